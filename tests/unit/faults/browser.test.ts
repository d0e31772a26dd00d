/**
 * Issue 12, browser faults, the rules under the end-to-end tests of `tests/e2e/faults-browser.spec.ts`:
 * a tab that follows another tab's drive (DESIGN.md §6) shows its commits, never continues the run on its
 * own, and marks it interrupted (so it can offer Resume) only when the driving tab is gone; the locks it
 * waits on; and the store announcing each committed change so other tabs can follow.
 */
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { initialCheckpoint } from '../../../src/l2mac/checkpoint.ts';
import { followRun } from '../../../src/app/run-follower.ts';
import { IdbStore } from '../../../src/store/indexeddb.ts';
import { InProcessLocks } from '../../../src/store/locks.ts';
import { MemoryStore } from '../../../src/store/memory.ts';
import { INTERRUPTED_REASON, recoverInterruptedRuns } from '../../../src/store/recovery.ts';
import { StorageQuotaError } from '../../../src/errors.ts';
import { sampleRun, statusEvent } from '../../support/store-contract.ts';

const checkpoint = { ...initialCheckpoint(), phase: 'executing' as const, stepIndex: 1 };

/** A store with one run that "tab A" drives: status running, its lock held. */
async function drivenRun() {
  const store = new MemoryStore({ locks: new InProcessLocks() });
  const run = await store.createRun(sampleRun());
  await store.commitTurn(run.id, { step: 1, turn: 0, changes: [], events: [statusEvent(run.id, 1)], checkpoint, run: { status: 'running' } });
  const driverLock = await store.lockRun(run.id);
  if (!driverLock) throw new Error('the driver could not lock');
  const announced = new Set<(runId: string) => void>();
  const changes = {
    onRunChanged: (listener: (runId: string) => void) => {
      announced.add(listener);
      return () => announced.delete(listener);
    },
    announce: (runId: string) => {
      for (const listener of [...announced]) listener(runId);
    },
  };
  const deps = { store, onRunChanged: changes.onRunChanged, waitForLock: (id: string, signal: AbortSignal) => store.waitForLock(id, signal), now: () => 5 };
  return { store, runId: run.id, driverLock, changes, deps, listeners: announced };
}

/** Lets queued promise callbacks (the follower's store reads and commit) run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setTimeout(resolve, 0));
}

describe('following a run another tab drives', () => {
  it('shows each commit of the driving tab, then marks the run interrupted once that tab is gone, and drives nothing', async () => {
    const { store, runId, driverLock, changes, deps } = await drivenRun();
    let changed = 0;
    const stop = followRun(deps, runId, () => changed++);
    await settle();
    expect(changed).toBe(0);

    // Tab A commits a turn: the follower hears of it; the run is still A's.
    await store.commitTurn(runId, { step: 1, turn: 1, changes: [{ path: 'a.js', content: 'a' }], events: [statusEvent(runId, 2)], checkpoint });
    changes.announce(runId);
    changes.announce('another-run');
    await settle();
    expect(changed).toBe(1);
    expect((await store.getRun(runId))?.status).toBe('running');

    // Tab A closes mid-run: its lock is freed, its status still says running.
    driverLock.release();
    await settle();
    const run = await store.getRun(runId);
    expect([run?.status, run?.statusReason, run?.lastSeq]).toEqual(['interrupted', INTERRUPTED_REASON, 3]);
    expect(await store.listEvents(runId, 3)).toEqual([{ type: 'status', runId, seq: 3, at: 5, status: 'interrupted', reason: INTERRUPTED_REASON }]);
    expect(changed).toBe(2);
    // Nothing more was written (no drive), the files are as tab A left them, and the lock is free for Resume.
    expect((await store.listEvents(runId)).length).toBe(3);
    expect(await store.readAllFiles(runId)).toEqual({ 'a.js': 'a' });
    expect(await store.getCheckpoint(runId)).toEqual(checkpoint);
    expect(await store.isLocked(runId)).toBe(false);
    stop();
  });

  it('leaves a run the driving tab paused as it is, and does not hold its lock afterwards', async () => {
    const { store, runId, driverLock, changes, deps } = await drivenRun();
    let changed = 0;
    const stop = followRun(deps, runId, () => changed++);
    await settle();
    await store.commitTurn(runId, { step: 1, turn: 1, changes: [], events: [statusEvent(runId, 2, 'paused')], checkpoint, run: { status: 'paused' } });
    driverLock.release();
    changes.announce(runId);
    await settle();
    expect((await store.getRun(runId))?.status).toBe('paused');
    expect(changed).toBe(1);
    expect(await store.isLocked(runId)).toBe(false);
    // The driving tab (or this one) can take the lock again to resume it.
    const again = await store.lockRun(runId);
    expect(again).not.toBeNull();
    again?.release();
    stop();
  });

  it('once stopped, follows nothing: a later close of the driving tab is left to the next page load', async () => {
    const { store, runId, driverLock, changes, deps, listeners } = await drivenRun();
    let changed = 0;
    const stop = followRun(deps, runId, () => changed++);
    await settle();
    stop();
    expect(listeners.size).toBe(0);
    changes.announce(runId);
    driverLock.release();
    await settle();
    expect(changed).toBe(0);
    expect((await store.getRun(runId))?.status).toBe('running');
    expect(await store.isLocked(runId)).toBe(false);
  });
});

describe('InProcessLocks.waitFor', () => {
  it('grants a free lock at once, queues behind a holder, and gives up on abort', async () => {
    const locks = new InProcessLocks();
    const first = await locks.waitFor('x', new AbortController().signal);
    const order: string[] = [];
    const aborted = new AbortController();
    const gaveUp = locks.waitFor('x', aborted.signal).then(
      () => order.push('aborted one granted'),
      (error: unknown) => order.push(`aborted one: ${(error as Error).name}`),
    );
    const second = locks.waitFor('x', new AbortController().signal).then((lock) => {
      order.push('second granted');
      return lock;
    });
    expect(await locks.tryLock('x')).toBeNull();
    aborted.abort();
    await gaveUp;
    first.release();
    (await second).release();
    expect(order).toEqual(['aborted one: AbortError', 'second granted']);
    expect(await locks.isHeld('x')).toBe(false);
  });
});

describe('IdbStore announces committed changes to other tabs', () => {
  it('after a committed turn and a run update, never for a refused commit', async () => {
    globalThis.indexedDB = new IDBFactory();
    const announced: string[] = [];
    const store = await IdbStore.open({ name: `follow-${Math.random()}`, onRunChanged: (runId) => announced.push(runId) });
    const run = await store.createRun(sampleRun());
    await store.commitTurn(run.id, { step: 1, turn: 0, changes: [], events: [statusEvent(run.id, 1)], checkpoint });
    await store.updateRun(run.id, { title: 'Renamed' });
    // An event out of sequence: refused, nothing stored, nothing announced.
    await expect(store.commitTurn(run.id, { step: 1, turn: 1, changes: [], events: [statusEvent(run.id, 9)], checkpoint })).rejects.toThrow();
    expect(announced).toEqual([run.id, run.id]);
    store.close();
  });
});

describe('opening the app with a full storage', () => {
  it('recovery skips a run the store refuses to mark, recovers the others, and does not stop the app from opening', async () => {
    const store = new MemoryStore({ locks: new InProcessLocks() });
    const runs = [];
    for (let i = 0; i < 2; i++) {
      const run = await store.createRun(sampleRun());
      await store.commitTurn(run.id, { step: 1, turn: 0, changes: [], events: [statusEvent(run.id, 1)], checkpoint, run: { status: 'running' } });
      runs.push(run.id);
    }
    const [full, fine] = runs as [string, string];
    const commitTurn = store.commitTurn.bind(store);
    store.commitTurn = async (runId, commit) => {
      if (runId === full) throw new StorageQuotaError('The storage is full.');
      return commitTurn(runId, commit);
    };
    expect(await recoverInterruptedRuns(store)).toEqual([fine]);
    expect((await store.getRun(full))?.status).toBe('running');
    expect((await store.getRun(fine))?.status).toBe('interrupted');
    expect(await store.isLocked(full)).toBe(false);

    // Any other failure is not hidden.
    store.commitTurn = async () => {
      throw new Error('broken');
    };
    await expect(recoverInterruptedRuns(store)).rejects.toThrow('broken');
  });
});
