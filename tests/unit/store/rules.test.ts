/**
 * The store's own commit rules (DESIGN.md §6): whatever a caller sends, no change reaches a store when its
 * path or content could not be exported, synced to a sandbox, or hashed to its own blob.
 */
import { describe, expect, it } from 'vitest';
import { checkChanges, checkStartingFiles } from '../../../src/store/rules.ts';
import { MemoryStore } from '../../../src/store/memory.ts';
import { sampleRun } from '../../support/store-contract.ts';

describe('store commit rules', () => {
  it('refuse text with a lone surrogate: it is not Unicode and would share a blob with other text', () => {
    expect(() => checkChanges([{ path: 'a.js', content: 'x\ud800y' }])).toThrow(/lone surrogate/);
    expect(() => checkChanges([{ path: 'a.js', content: 'emoji \ud83d\ude00 is a pair' }])).not.toThrow();
  });

  it('apply to a run\'s starting files too', async () => {
    expect(() => checkStartingFiles({ 'b.md': '\udc00' })).toThrow(/lone surrogate/);
    const store = new MemoryStore();
    await expect(store.createRun(sampleRun({ files: { 'b.md': 'ok\udfff' } }))).rejects.toThrow(/lone surrogate/);
  });
});
