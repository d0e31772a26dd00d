import { describe, expect, it } from 'vitest';
import { AbortError } from '../../../src/errors.ts';
import {
  describeSkipGroup,
  describeSummary,
  importFromDirectoryHandle,
  importFromFileList,
  importOrigin,
  type DirectoryHandleLike,
  type FileHandleLike,
} from '../../../src/import/index.ts';

/** A File as `<input webkitdirectory>` gives it: the path from the chosen folder in `webkitRelativePath`. */
function pickedFile(relativePath: string, content: string | Uint8Array): File {
  const file = new File([content as BlobPart], relativePath.split('/').pop() ?? relativePath);
  Object.defineProperty(file, 'webkitRelativePath', { value: relativePath });
  return file;
}

type Tree = { [name: string]: string | Uint8Array | Tree };

/** A fake FileSystemDirectoryHandle over a tree; records which folders were opened. */
function directory(name: string, tree: Tree, opened: string[] = [], prefix = ''): DirectoryHandleLike {
  return {
    kind: 'directory',
    name,
    async *values() {
      opened.push(`${prefix}${name}/`);
      for (const [child, value] of Object.entries(tree)) {
        if (typeof value === 'string' || value instanceof Uint8Array) {
          const handle: FileHandleLike = { kind: 'file', name: child, getFile: async () => new File([value as BlobPart], child) };
          yield handle;
        } else {
          yield directory(child, value, opened, `${prefix}${name}/`);
        }
      }
    },
  };
}

describe('importFromFileList (<input webkitdirectory>)', () => {
  it('removes the chosen folder from every path and applies the rules', async () => {
    const result = await importFromFileList([
      pickedFile('shop/src/cart.js', 'export {};\n'),
      pickedFile('shop/node_modules/dep/index.js', 'dep'),
      pickedFile('shop/.git/config', '[core]'),
      pickedFile('shop/icon.ico', new Uint8Array([0, 0, 1, 0])),
      pickedFile('shop/data.json', `"${'x'.repeat(2000)}"`),
    ], { limits: { maxFileBytes: 1000 } });
    expect({ ...result.files }).toEqual({ 'src/cart.js': 'export {};\n' });
    expect(result.summary).toMatchObject({ source: { kind: 'folder', name: 'shop' }, root: 'shop', imported: { files: 1, bytes: 11 }, skippedFiles: 4 });
    expect(result.summary.skipped.map((g) => [g.reason, g.count])).toEqual([
      ['ignored-folder', 2],
      ['binary', 1],
      ['too-large', 1],
    ]);
    expect(result.summary.skipped.find((g) => g.reason === 'too-large')?.examples).toEqual([{ path: 'data.json', detail: '2 KB' }]);
  });

  it('a plain list of files (no folder) keeps their names', async () => {
    const result = await importFromFileList([new File(['a'], 'a.js'), new File(['b'], 'b.js')]);
    expect({ ...result.files }).toEqual({ 'a.js': 'a', 'b.js': 'b' });
    expect(result.summary.root).toBeNull();
  });
});

describe('importFromDirectoryHandle (File System Access API)', () => {
  it('walks the folder without opening ignored folders, and counts those as folders', async () => {
    const opened: string[] = [];
    const root = directory(
      'shop',
      {
        'package.json': '{"type":"module"}',
        src: { 'cart.js': 'export {};\n', 'cart.test.js': "import 'node:test';\n" },
        node_modules: { dep: { 'index.js': 'dep' } },
        '.git': { HEAD: 'ref' },
        packages: { ui: { node_modules: { 'x.js': 'x' }, 'ui.js': 'ui' } },
      },
      opened,
    );
    const result = await importFromDirectoryHandle(root);
    expect(Object.keys(result.files)).toEqual(['package.json', 'packages/ui/ui.js', 'src/cart.js', 'src/cart.test.js']);
    expect(opened.sort()).toEqual(['shop/', 'shop/packages/', 'shop/packages/ui/', 'shop/src/']);
    const folders = result.summary.skipped.find((g) => g.reason === 'ignored-folder');
    expect(folders).toEqual({
      reason: 'ignored-folder',
      count: 3,
      unit: 'folder',
      examples: [
        { path: '.git/', detail: 'version control, not opened' },
        { path: 'node_modules/', detail: 'dependencies, not opened' },
        { path: 'packages/ui/node_modules/', detail: 'dependencies, not opened' },
      ],
      unshown: 0,
    });
    expect(result.summary.skippedFiles).toBe(0);
    expect(describeSummary(result.summary)).toBe('Imported 4 files (50 B); left out 3 folders.');
  });

  it('stops listing after the entry limit and says so', async () => {
    const tree: Tree = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`f${i}.js`, `${i}`]));
    const result = await importFromDirectoryHandle(directory('big', tree), { limits: { maxEntries: 4 } });
    expect(result.summary.imported.files).toBe(4);
    expect(result.summary.truncated).toBe(true);
    expect(describeSummary(result.summary)).toBe('Imported 4 files (4 B); stopped looking after the entry limit.');
  });

  it('a file that cannot be opened is reported, the rest imported', async () => {
    const root: DirectoryHandleLike = {
      kind: 'directory',
      name: 'r',
      async *values() {
        yield { kind: 'file', name: 'ok.js', getFile: async () => new File(['ok'], 'ok.js') };
        yield { kind: 'file', name: 'gone.js', getFile: async () => Promise.reject(new DOMException('A requested file could not be found.', 'NotFoundError')) };
      },
    };
    const result = await importFromDirectoryHandle(root);
    expect(Object.keys(result.files)).toEqual(['ok.js']);
    expect(result.summary.skipped).toEqual([
      { reason: 'unreadable', count: 1, unit: 'file', examples: [{ path: 'gone.js', detail: 'could not be opened (A requested file could not be found.)' }], unshown: 0 },
    ]);
  });

  it('cancelling stops the import with AbortError', async () => {
    const controller = new AbortController();
    const tree: Tree = Object.fromEntries(Array.from({ length: 3 }, (_, i) => [`f${i}.js`, `${i}`]));
    controller.abort();
    await expect(importFromDirectoryHandle(directory('r', tree), { signal: controller.signal })).rejects.toBeInstanceOf(AbortError);
  });
});

describe('the summary in words', () => {
  it('says what was left out and why, quoting the limits applied', async () => {
    const files = Array.from({ length: 4 }, (_, i) => pickedFile(`p/f${i}.js`, `${i}`));
    const result = await importFromFileList([...files, pickedFile('p/node_modules/a.js', 'a'), pickedFile('p/b.bin', new Uint8Array([0]))], { limits: { maxFiles: 2 } });
    const texts = result.summary.skipped.map((g) => describeSkipGroup(g, result.summary.limits));
    expect(texts).toEqual([
      '1 file in dependency, version-control, build-output or cache folders left out (npm reinstalls dependencies from package.json).',
      '1 binary file left out: only UTF-8 text is imported.',
      '2 files past the limit of 2 files per project (the first ones in path order were kept).',
    ]);
    expect(describeSummary(result.summary)).toBe('Imported 2 files (2 B); left out 4 files.');
  });

  it('keeps at most five examples per reason, in path order', async () => {
    const files = Array.from({ length: 12 }, (_, i) => pickedFile(`p/bin${String(i).padStart(2, '0')}.dat`, new Uint8Array([0])));
    const { summary } = await importFromFileList(files);
    const binary = summary.skipped[0];
    expect(binary?.count).toBe(12);
    expect(binary?.examples.map((e) => e.path)).toEqual(['bin00.dat', 'bin01.dat', 'bin02.dat', 'bin03.dat', 'bin04.dat']);
  });

  it('the run origin of an import names its source', async () => {
    const { summary } = await importFromFileList([pickedFile('shop/a.js', 'a')]);
    expect(importOrigin(summary)).toEqual({ kind: 'import', label: 'Imported from folder shop', files: 1 });
  });
});

describe('what the summary leaves unshown', () => {
  it('counts files beyond the examples, and for ignored folders the folders beyond them', async () => {
    const list = [
      ...Array.from({ length: 7 }, (_, i) => pickedFile(`p/b${i}.bin`, new Uint8Array([0]))),
      ...Array.from({ length: 7 }, (_, i) => pickedFile(`p/pkg${i}/node_modules/x.js`, 'x')),
      pickedFile('p/pkg0/node_modules/y.js', 'y'),
    ];
    const { summary } = await importFromFileList(list);
    expect(summary.skipped.map((g) => [g.reason, g.count, g.examples.length, g.unshown])).toEqual([
      ['ignored-folder', 8, 5, 2],
      ['binary', 7, 5, 2],
    ]);
  });
});
