import { describe, expect, it } from 'vitest';
import { filePatch } from '../../../src/followup/index.ts';
import { diffLinesOf, diffSummaryText } from '../../../src/ui/followup/diff-view.ts';

describe('the diff as shown', () => {
  it('classifies a file\'s patch lines, without the git headers', () => {
    const patch = filePatch('a.js', '1\n2\nend\n', '1\n3\nend\n')!;
    expect(diffLinesOf({ patch: patch.text }).lines).toEqual([
      { kind: 'hunk', text: '@@ -1,3 +1,3 @@' },
      { kind: 'context', text: ' 1' },
      { kind: 'removed', text: '-2' },
      { kind: 'added', text: '+3' },
      { kind: 'context', text: ' end' },
    ]);
    const added = filePatch('n.js', undefined, 'x')!;
    expect(diffLinesOf({ patch: added.text }).lines.map((l) => l.kind)).toEqual(['hunk', 'added', 'note']);
    expect(diffLinesOf({ patch: filePatch('e.js', undefined, '')!.text }).lines).toEqual([]);
  });

  it('cuts a long diff for display and says how much is left to the patch', () => {
    const patch = filePatch('big.txt', undefined, Array.from({ length: 50 }, (_, i) => `${i}`).join('\n') + '\n')!;
    const shown = diffLinesOf({ patch: patch.text }, 10);
    expect(shown.lines).toHaveLength(10);
    expect(shown.hidden).toBe(41);
  });

  it('sums up the changes', () => {
    expect(diffSummaryText({ files: [], additions: 0, deletions: 0, unchanged: 4 })).toBe('No changes to the starting files (4 unchanged).');
    expect(diffSummaryText({ files: [{} as never, {} as never], additions: 1200, deletions: 3, unchanged: 1 })).toBe('2 files changed, +1,200 −3 (1 unchanged)');
  });
});
