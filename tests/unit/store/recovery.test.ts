import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { initialCheckpoint, type CheckpointState } from '../../../src/l2mac/checkpoint.ts';
import type { RunStatus } from '../../../src/l2mac/run-state.ts';
import { IdbStore } from '../../../src/store/indexeddb.ts';
import { MemoryStore } from '../../../src/store/memory.ts';
import { INTERRUPTED_REASON, recoverInterruptedRuns } from '../../../src/store/recovery.ts';
import type { AppStore } from '../../../src/store/types.ts';
import { sampleRun, statusEvent } from '../../support/store-contract.ts';

const checkpoint: CheckpointState = { ...initialCheckpoint(), phase: 'executing', stepIndex: 2, restart: 1 };

async function runIn(store: AppStore, status: RunStatus, withCheckpoint = true): Promise<string> {
  const run = await store.createRun(sampleRun({ files: { 'a.js': 'a' } }));
  if (withCheckpoint) {
    await store.commitTurn(run.id, { step: 3, turn: 4, changes: [{ path: 'b.js', content: 'b' }], events: [statusEvent(run.id, 1), statusEvent(run.id, 2)], checkpoint, run: { status } });
  } else if (status !== 'planning') {
    await store.updateRun(run.id, { status });
  }
  return run.id;
}

for (const [label, make] of [
  ['MemoryStore', async () => new MemoryStore()],
  ['IdbStore', async () => IdbStore.open({ name: `recovery-${Math.random()}` })],
] as const) {
  describe(`recoverInterruptedRuns (${label})`, () => {
    it('turns an unlocked running run into interrupted with a durable status event and its checkpoint kept', async () => {
      globalThis.indexedDB = new IDBFactory();
      const store = await make();
      const id = await runIn(store, 'running');
      const files = await store.readAllFiles(id);
      expect(await recoverInterruptedRuns(store, { now: () => 77 })).toEqual([id]);
      const run = await store.getRun(id);
      expect([run?.status, run?.statusReason, run?.lastSeq]).toEqual(['interrupted', INTERRUPTED_REASON, 3]);
      expect(INTERRUPTED_REASON).toMatch(/tab .* closed or crashed/);
      expect((await store.listEvents(id, 3))).toEqual([{ type: 'status', runId: id, seq: 3, at: 77, status: 'interrupted', reason: INTERRUPTED_REASON }]);
      expect(await store.getCheckpoint(id)).toEqual(checkpoint);
      expect(await store.readAllFiles(id)).toEqual(files);
      expect(await store.isLocked(id)).toBe(false);
    });

    it('turns a run left planning (no checkpoint yet) into interrupted, at the initial checkpoint', async () => {
      globalThis.indexedDB = new IDBFactory();
      const store = await make();
      const id = await runIn(store, 'planning', false);
      expect(await recoverInterruptedRuns(store)).toEqual([id]);
      expect((await store.getRun(id))?.status).toBe('interrupted');
      expect((await store.listEvents(id)).map((e) => [e.seq, e.type])).toEqual([[1, 'status']]);
      expect(await store.getCheckpoint(id)).toEqual(initialCheckpoint());
    });

    it('leaves a run whose lock another holder has as it is, and every run not planning or running', async () => {
      globalThis.indexedDB = new IDBFactory();
      const store = await make();
      const driven = await runIn(store, 'running');
      const others = await Promise.all((['paused', 'completed', 'failed', 'cancelled', 'interrupted'] as const).map((s) => runIn(store, s)));
      const lock = await store.lockRun(driven);
      expect(lock).not.toBeNull();
      const before = await Promise.all([driven, ...others].map(async (id) => [await store.getRun(id), await store.listEvents(id)]));
      expect(await recoverInterruptedRuns(store)).toEqual([]);
      const after = await Promise.all([driven, ...others].map(async (id) => [await store.getRun(id), await store.listEvents(id)]));
      expect(after).toEqual(before);
      expect(await store.isLocked(driven)).toBe(true);
      lock?.release();
      expect(await recoverInterruptedRuns(store)).toEqual([driven]);
    });
  });
}
