import { describe, expect, it } from 'vitest';
import { initialCheckpoint } from '../../../src/l2mac/checkpoint.ts';
import { MemoryStore } from '../../../src/store/memory.ts';
import { changesBetween, changesToRestoreStep } from '../../../src/store/restore.ts';
import { sampleRun, statusEvent } from '../../support/store-contract.ts';

describe('restoring files to the end of an earlier step', () => {
  it('changesBetween writes what differs or is missing and deletes what is extra, in path order', () => {
    expect(changesBetween({ 'a.js': '1', 'b.js': 'same', 'x.js': 'extra' }, { 'b.js': 'same', 'a.js': '0', 'c.js': 'new' })).toEqual([
      { path: 'a.js', content: '0' },
      { path: 'c.js', content: 'new' },
      { path: 'x.js', content: null },
    ]);
  });

  it('a restore commit brings back the step\'s files as new versions and erases nothing', async () => {
    const store = new MemoryStore();
    const run = await store.createRun(sampleRun({ files: { 'a.js': 'a0' } }));
    const commit = (seq: number, step: number, changes: { path: string; content: string | null }[], cause?: 'restore') =>
      store.commitTurn(run.id, { step, turn: 1, changes, events: [statusEvent(run.id, seq)], checkpoint: initialCheckpoint(), ...(cause ? { cause } : {}) });
    await commit(1, 1, [{ path: 'a.js', content: 'a1' }, { path: 'b.js', content: 'b1' }]);
    await commit(2, 2, [{ path: 'a.js', content: 'a2' }, { path: 'b.js', content: null }, { path: 'c.js', content: 'c2' }]);
    const versionsBefore = await store.listVersions(run.id);
    await commit(3, 2, await changesToRestoreStep(store, run.id, 1), 'restore');
    expect(await store.readAllFiles(run.id)).toEqual(await store.filesAtStep(run.id, 1));
    expect(await store.readAllFiles(run.id)).toEqual({ 'a.js': 'a1', 'b.js': 'b1' });
    const versionsAfter = await store.listVersions(run.id);
    expect(versionsAfter.filter((v) => versionsBefore.some((b) => b.path === v.path && b.version === v.version))).toEqual(versionsBefore);
    expect(versionsAfter.filter((v) => v.cause === 'restore').map((v) => [v.path, v.version, v.hash === null])).toEqual([
      ['a.js', 4, false],
      ['b.js', 3, false],
      ['c.js', 2, true],
    ]);
  });
});
