import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { canFollowUp, diffFileSets, filePatch } from '../../../src/followup/index.ts';
import { gitApply, removeTempFolders } from './git.ts';

afterAll(removeTempFolders);

const BEFORE = {
  'README.md': '# cart\n',
  'src/cart.js': 'export function total(items) {\n  return items.reduce((s, i) => s + i.price * i.quantity, 0);\n}\n',
  'src/cart.test.js': "import { test } from 'node:test';\ntest('a', () => {});\n",
  'src/old.js': 'export const old = true;\n',
  'docs/empty.md': '',
};
const AFTER = {
  'README.md': '# cart\n',
  'src/cart.js': 'export function total(items, discount = 0) {\n  const sum = items.reduce((s, i) => s + i.price * i.quantity, 0);\n  return sum * (1 - discount);\n}\n',
  'src/cart.test.js': "import { test } from 'node:test';\ntest('a', () => {});\ntest('b', () => {});\n",
  'src/discount.js': 'export const rate = 0.1;\n',
  'docs/empty.md': '',
};

describe('the per-file diff', () => {
  it('lists added, modified and deleted files with line counts, in path order; unchanged files are counted apart', async () => {
    const diff = await diffFileSets(BEFORE, AFTER);
    expect(diff.files.map(({ path, change, additions, deletions }) => ({ path, change, additions, deletions }))).toEqual([
      { path: 'src/cart.js', change: 'modified', additions: 3, deletions: 2 },
      { path: 'src/cart.test.js', change: 'modified', additions: 1, deletions: 0 },
      { path: 'src/discount.js', change: 'added', additions: 1, deletions: 0 },
      { path: 'src/old.js', change: 'deleted', additions: 0, deletions: 1 },
    ]);
    expect(diff).toMatchObject({ additions: 5, deletions: 3, unchanged: 2 });
    expect(diff.patch).toBe(diff.files.map((f) => f.patch).join(''));
  });

  it('writes git headers: a/ and b/, /dev/null and the file mode for added and deleted files', () => {
    expect(filePatch('src/new.js', undefined, 'x\n')?.text).toBe(
      'diff --git a/src/new.js b/src/new.js\nnew file mode 100644\n--- /dev/null\n+++ b/src/new.js\n@@ -0,0 +1,1 @@\n+x\n',
    );
    expect(filePatch('src/old.js', 'y\n', undefined)?.text).toBe(
      'diff --git a/src/old.js b/src/old.js\ndeleted file mode 100644\n--- a/src/old.js\n+++ /dev/null\n@@ -1,1 +0,0 @@\n-y\n',
    );
    expect(filePatch('a.js', '1\n2\n', '1\n3\n')?.text).toBe('diff --git a/a.js b/a.js\n--- a/a.js\n+++ b/a.js\n@@ -1,2 +1,2 @@\n 1\n-2\n+3\n');
    expect(filePatch('same.js', 'x', 'x')).toBeNull();
  });

  it('marks a missing final newline', () => {
    expect(filePatch('a.txt', 'one', 'one\n')?.text).toContain('-one\n\\ No newline at end of file\n+one\n');
  });

  it('replaces the whole file when the line diff would be too costly, and the patch still applies', () => {
    const before = Array.from({ length: 300 }, (_, i) => `old ${i}`).join('\n') + '\n';
    const after = Array.from({ length: 300 }, (_, i) => `new ${i}`).join('\n') + '\n';
    const patch = filePatch('big.txt', before, after, { maxEditLength: 10 });
    expect(patch).toMatchObject({ wholeFile: true, additions: 300, deletions: 300 });
    const applied = gitApply({ 'big.txt': before }, patch!.text);
    expect(applied.stderr).toBe('');
    expect(applied.files).toEqual({ 'big.txt': after });
  });
});

describe('the patch applies with real git apply', () => {
  it('the follow-up patch turns the starting files into the final files', async () => {
    const diff = await diffFileSets(BEFORE, AFTER);
    const applied = gitApply(BEFORE, diff.patch);
    expect(applied.stderr).toBe('');
    expect(applied.ok).toBe(true);
    expect(applied.files).toEqual(AFTER);
  });

  it('handles CRLF lines, missing final newlines, empty files, spaces, quotes and non-ASCII in paths', async () => {
    const before = {
      'win.txt': 'a\r\nb\r\nc\r\n',
      'tail.txt': 'no newline',
      'with space/name one.md': 'hello\n',
      'quote"d.js': 'q\n',
      'café/é.js': 'é\n',
      'gone empty.txt': '',
    };
    const after = {
      'win.txt': 'a\r\nB\r\nc\r\n',
      'tail.txt': 'no newline\nnow one\n',
      'with space/name one.md': 'hello\nworld',
      'quote"d.js': 'q2\n',
      'café/é.js': 'ë\n',
      'new empty.txt': '',
      'ünïcode new.js': 'x\n',
    };
    const diff = await diffFileSets(before, after);
    const applied = gitApply(before, diff.patch);
    expect(applied.stderr).toBe('');
    expect(applied.files).toEqual(after);
  });

  it('property: for any two file sets, git apply of the patch gives exactly the second', async () => {
    const name = fc.constantFrom('a.js', 'b.txt', 'src/c.js', 'src/d e.md', 'lib/x/y.ts', 'ñ.js');
    const line = fc.constantFrom('', 'x', 'y', 'zz', 'same', '\r', 'tab\there');
    const content = fc.tuple(fc.array(line, { maxLength: 12 }), fc.boolean()).map(([lines, finalNewline]) => lines.join('\n') + (finalNewline && lines.length ? '\n' : ''));
    const files = fc.dictionary(name, content, { maxKeys: 6 });
    await fc.assert(
      fc.asyncProperty(files, files, async (before, after) => {
        const diff = await diffFileSets(before, after);
        if (!diff.patch) {
          expect(after).toEqual(before);
          return;
        }
        const applied = gitApply(before, diff.patch);
        expect(applied.stderr).toBe('');
        expect(applied.files).toEqual(after);
      }),
      { numRuns: 40 },
    );
  });
});

describe('follow-up eligibility', () => {
  it('a completed or cancelled run may be followed up; a run that may still change may not', () => {
    expect(['completed', 'cancelled'].every((s) => canFollowUp(s as never))).toBe(true);
    expect(['planning', 'running', 'paused', 'interrupted', 'failed'].some((s) => canFollowUp(s as never))).toBe(false);
  });
});
