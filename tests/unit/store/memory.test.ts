import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../../src/store/memory.ts';
import { registerStoreContract, sampleRun, statusEvent } from '../../support/store-contract.ts';
import { initialCheckpoint } from '../../../src/l2mac/checkpoint.ts';

describe('MemoryStore: the store contract', () => {
  registerStoreContract(async () => new MemoryStore(), it);
});

describe('MemoryStore specifics', () => {
  it('stamps versions and runs with the injected clock and ids', async () => {
    let now = 5_000;
    let n = 0;
    const store = new MemoryStore({ now: () => now, newId: () => `run-${++n}` });
    const run = await store.createRun(sampleRun({ files: { 'a.js': 'a' } }));
    expect([run.id, run.createdAt]).toEqual(['run-1', 5_000]);
    now = 6_000;
    await store.commitTurn(run.id, { step: 1, turn: 1, changes: [{ path: 'a.js', content: 'b' }], events: [statusEvent(run.id, 1)], checkpoint: initialCheckpoint() });
    expect((await store.listVersions(run.id, 'a.js')).map((v) => v.at)).toEqual([5_000, 6_000]);
    expect((await store.getRun(run.id))?.updatedAt).toBe(6_000);
  });

  it('two stores keep separate locks (each is its own process state)', async () => {
    const a = new MemoryStore();
    const b = new MemoryStore();
    const lock = await a.lockRun('r');
    expect(lock).not.toBeNull();
    expect(await b.isLocked('r')).toBe(false);
    lock?.release();
  });
});
