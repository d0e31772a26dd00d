import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkPath } from '../../../src/l2mac/paths.ts';
import { importLimits } from '../../../src/import/limits.ts';
import { runImport, type ImportCandidate } from '../../../src/import/pipeline.ts';
import { commonRootFolder, IGNORED_FOLDERS, ignoredFolderOf, isMetadataFile } from '../../../src/import/rules.ts';
import { SummaryBuilder } from '../../../src/import/summary.ts';
import { decodeText } from '../../../src/import/text.ts';

/** A candidate read from memory, as a folder's file would be. */
function candidate(path: string, content: string | Uint8Array): ImportCandidate {
  const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
  return {
    path,
    read: async ({ maxBytes }) => {
      if (bytes.length > maxBytes) return { ok: false, reason: 'too-large', bytes: bytes.length };
      const verdict = decodeText(bytes);
      return verdict.ok ? { ok: true, text: verdict.text, bytes: bytes.length } : { ok: false, reason: 'binary', detail: verdict.detail };
    },
  };
}

function run(candidates: ImportCandidate[], limits = importLimits()) {
  return runImport({ source: { kind: 'folder', name: 'p' }, root: 'p', candidates, builder: new SummaryBuilder(), startedAt: Date.now() }, limits);
}

// Segments that exercise every path rule and every ignore rule, plus ordinary and unusual names.
const segment = fc.oneof(
  { weight: 6, arbitrary: fc.stringMatching(/^[a-z][a-z0-9_-]{0,6}(\.[a-z]{1,3})?$/) },
  { weight: 1, arbitrary: fc.constantFrom('..', '.', '', 'node_modules', '.git', 'dist', '__MACOSX', '.DS_Store', '._x', 'a\\b', 'C:', 'x\u0000y', 'é☕', '__proto__', 'constructor') },
  { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
);
const path = fc.oneof(
  fc.array(segment, { minLength: 1, maxLength: 5 }).map((parts) => parts.join('/')),
  fc.constantFrom('/abs.js', 'a//b.js', `${'x'.repeat(257)}.js`),
);
const content = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }).filter((s) => !s.includes('\u0000')) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 40 }) },
);

describe('the import pipeline (property tests)', () => {
  it('keeps exactly the files the rules allow, each with its exact content, and accounts for every other one', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(path, content), { maxLength: 30 }), fc.integer({ min: 1, max: 30 }), async (entries, maxFiles) => {
        const limits = importLimits({ maxFiles, maxFileBytes: 30 });
        const { files, summary } = await run(entries.map(([p, c]) => candidate(p, c)), limits);
        const kept = Object.keys(files);

        // Everything kept is allowed, and holds the first such entry's content.
        for (const p of kept) {
          expect(checkPath(p).ok).toBe(true);
          expect(ignoredFolderOf(p)).toBeNull();
          expect(isMetadataFile(p)).toBe(false);
          const first = entries.find(([q]) => q === p);
          expect(first).toBeDefined();
          const bytes = typeof first![1] === 'string' ? new TextEncoder().encode(first![1]) : first![1];
          expect(decodeText(bytes)).toEqual({ ok: true, text: files[p] });
        }
        expect(kept).toEqual([...kept].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
        expect(kept.length).toBeLessThanOrEqual(maxFiles);
        expect(summary.imported.files).toBe(kept.length);

        // Every entry is either kept or counted as skipped (ignored folders counted in files here).
        expect(summary.imported.files + summary.skippedFiles).toBe(entries.length);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps every valid text file when no limit is reached', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.array(fc.stringMatching(/^[a-z]{1,5}$/), { minLength: 1, maxLength: 3 }).map((s) => s.join('/')), { maxLength: 20 }),
        async (paths) => {
          // A path that is also a folder of another is a clash; leave those out of this property.
          const clean = paths.filter((p) => !paths.some((q) => q.startsWith(`${p}/`)) && !ignoredFolderOf(p) && !IGNORED_FOLDERS.has(p));
          const { files, summary } = await run(clean.map((p) => candidate(p, `content of ${p}`)));
          expect(Object.keys(files).sort()).toEqual([...clean].sort());
          expect(summary.skipped).toEqual([]);
        },
      ),
    );
  });
});

describe('import rules', () => {
  it('ignored folders are found at any depth and named by their path', () => {
    expect(ignoredFolderOf('node_modules/a/index.js')).toBe('node_modules/');
    expect(ignoredFolderOf('packages/ui/node_modules/x.js')).toBe('packages/ui/node_modules/');
    expect(ignoredFolderOf('src/.git/HEAD')).toBe('src/.git/');
    expect(ignoredFolderOf('src/dist.js')).toBeNull();
    expect(ignoredFolderOf('node_modules')).toBeNull();
    expect(ignoredFolderOf('build/out.js')).toBeNull();
  });

  it('metadata files are recognised by name', () => {
    expect(['.DS_Store', 'a/Thumbs.db', 'a/._b.js', 'desktop.ini'].every(isMetadataFile)).toBe(true);
    expect(['a.js', '.gitignore', 'b/_x.js'].some(isMetadataFile)).toBe(false);
  });

  it('the common root folder: one folder holding everything, ignoring archivers\' metadata', () => {
    expect(commonRootFolder(['app/a.js', 'app/src/b.js'])).toBe('app');
    expect(commonRootFolder(['app/a.js', '__MACOSX/app/._a.js', '.DS_Store'])).toBe('app');
    expect(commonRootFolder(['app/a.js', 'b.js'])).toBeNull();
    expect(commonRootFolder(['app/a.js', 'lib/b.js'])).toBeNull();
    expect(commonRootFolder([])).toBeNull();
  });

  it('the common root property: any set of paths put under one folder gets that folder back', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z]{1,8}$/), fc.array(fc.stringMatching(/^[a-z]{1,5}(\/[a-z]{1,5}){0,2}$/), { minLength: 1 }), (root, paths) => {
        expect(commonRootFolder(paths.map((p) => `${root}/${p}`))).toBe(root === '__MACOSX' ? null : root);
      }),
    );
  });
});
