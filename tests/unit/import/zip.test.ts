import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync, strToU8 } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { AbortError } from '../../../src/errors.ts';
import { importFromZip, ZipFormatError, type ImportResult, type SkipReason } from '../../../src/import/index.ts';
import { blobSource, bytesSource, readZipDirectory } from '../../../src/import/zip-directory.ts';
import { localHeader, renamed, withField, zipOf } from './zip-bytes.ts';

function skipped(result: ImportResult, reason: SkipReason) {
  return result.summary.skipped.find((g) => g.reason === reason);
}

const temp: string[] = [];
afterAll(() => {
  for (const dir of temp) rmSync(dir, { recursive: true, force: true });
});

describe('importFromZip: what is kept', () => {
  it('unwraps a single top-level folder and keeps content exactly (BOM, CRLF, non-ASCII)', async () => {
    const files = { 'app/src/a.js': 'export const a = 1;\r\n', 'app/README.md': '\uFEFF# Café ☕\n', 'app/empty.txt': '' };
    const result = await importFromZip(zipOf(files), 'app.zip');
    expect(result.summary.root).toBe('app');
    expect({ ...result.files }).toEqual({ 'README.md': '\uFEFF# Café ☕\n', 'empty.txt': '', 'src/a.js': 'export const a = 1;\r\n' });
    expect(Object.keys(result.files)).toEqual(['README.md', 'empty.txt', 'src/a.js']);
    // UTF-8 bytes: the BOM is 3, é 2, ☕ 3.
    expect(result.summary.imported).toEqual({ files: 3, bytes: 21 + 15 });
    expect(result.summary.skipped).toEqual([]);
  });

  it('does not unwrap when there are two top-level folders or a file at the top', async () => {
    const two = await importFromZip(zipOf({ 'a/x.js': '1', 'b/y.js': '2' }), 'two.zip');
    expect(two.summary.root).toBeNull();
    expect(Object.keys(two.files)).toEqual(['a/x.js', 'b/y.js']);
    const top = await importFromZip(zipOf({ 'a/x.js': '1', 'index.js': '2' }), 'top.zip');
    expect(top.summary.root).toBeNull();
    expect(Object.keys(top.files)).toEqual(['a/x.js', 'index.js']);
  });

  it('unwraps despite the __MACOSX folder and .DS_Store that macOS adds, and leaves those out', async () => {
    const result = await importFromZip(zipOf({ 'app/a.js': '1', '__MACOSX/app/._a.js': 'meta', '.DS_Store': 'x', 'app/._b.js': 'y' }), 'app.zip');
    expect(result.summary.root).toBe('app');
    expect(Object.keys(result.files)).toEqual(['a.js']);
    expect(skipped(result, 'metadata')?.count).toBe(2);
    expect(skipped(result, 'ignored-folder')).toMatchObject({ count: 1, unit: 'file', examples: [{ path: '__MACOSX/', detail: 'system metadata, 1 file' }] });
  });

  it('a file named __proto__ is an ordinary file', async () => {
    // fflate cannot write an entry named __proto__ (it builds plain objects), so rename one in place.
    const result = await importFromZip(renamed(zipOf({ 'xxxxxxxxx': 'p', 'constructor': 'c' }), 0, '__proto__'), 'odd.zip');
    expect(Object.entries(result.files)).toEqual([['__proto__', 'p'], ['constructor', 'c']]);
  });
});

describe('importFromZip: what is left out, with counts and examples', () => {
  it('dependency, version-control and build folders at any depth, counted per folder', async () => {
    const result = await importFromZip(
      zipOf({
        'p/src/a.js': 'a',
        'p/node_modules/x/index.js': 'x',
        'p/node_modules/x/package.json': '{}',
        'p/.git/HEAD': 'ref: refs/heads/main',
        'p/packages/ui/node_modules/y.js': 'y',
        'p/dist/bundle.js': 'b',
        'p/coverage/lcov.info': 'c',
        'p/build/script.js': 'kept: build/ may be source',
      }),
      'p.zip',
    );
    expect(Object.keys(result.files)).toEqual(['build/script.js', 'src/a.js']);
    expect(skipped(result, 'ignored-folder')).toEqual({
      reason: 'ignored-folder',
      count: 6,
      unit: 'file',
      examples: [
        { path: '.git/', detail: 'version control, 1 file' },
        { path: 'coverage/', detail: 'build output, 1 file' },
        { path: 'dist/', detail: 'build output, 1 file' },
        { path: 'node_modules/', detail: 'dependencies, 2 files' },
        { path: 'packages/ui/node_modules/', detail: 'dependencies, 1 file' },
      ],
      unshown: 0,
    });
    expect(result.summary.skippedFiles).toBe(6);
  });

  it('binaries by content, whatever their extension', async () => {
    const result = await importFromZip(
      zipOf({ 'nul.js': new Uint8Array([0x61, 0x00, 0x62]), 'latin1.txt': new Uint8Array([0x63, 0x61, 0x66, 0xe9]), 'text.png': 'not an image' }),
      'mixed.zip',
    );
    expect(Object.keys(result.files)).toEqual(['text.png']);
    expect(skipped(result, 'binary')).toEqual({
      reason: 'binary',
      count: 2,
      unit: 'file',
      examples: [
        { path: 'latin1.txt', detail: 'is not valid UTF-8 text (binary, or another encoding)' },
        { path: 'nul.js', detail: 'contains NUL bytes (binary)' },
      ],
      unshown: 0,
    });
  });

  it('files over the file limit, judged by the declared size without decompressing them', async () => {
    const big = 'a'.repeat(1024 * 1024 + 1);
    const exact = 'b'.repeat(1024 * 1024);
    const result = await importFromZip(zipOf({ 'big.txt': big, 'exact.txt': exact }), 'big.zip');
    expect(Object.keys(result.files)).toEqual(['exact.txt']);
    expect(skipped(result, 'too-large')?.examples).toEqual([{ path: 'big.txt', detail: '1 MB' }]);
  });

  it('paths the store would refuse, each with the rule it breaks', async () => {
    const result = await importFromZip(zipOf({ '../evil.js': '1', '/etc/passwd': '2', 'a\\b.js': '3', 'x/./y.js': '4', 'ok.js': '5' }), 'bad.zip');
    expect(Object.keys(result.files)).toEqual(['ok.js']);
    const bad = skipped(result, 'bad-path');
    expect(bad?.count).toBe(4);
    expect(bad?.examples.map((e) => e.detail)).toEqual([
      expect.stringContaining('".."'),
      expect.stringContaining('is absolute'),
      expect.stringContaining('backslash'),
      expect.stringContaining('"." segment'),
    ]);
  });

  it('a file that is also a folder keeps the folder', async () => {
    const result = await importFromZip(zipOf({ 'lib': 'file', 'lib/a.js': 'a' }), 'clash.zip');
    expect(Object.keys(result.files)).toEqual(['lib/a.js']);
    expect(skipped(result, 'bad-path')?.examples).toEqual([{ path: 'lib', detail: 'a file and a folder have this same path; the folder was kept' }]);
  });

  it('files past the file limit: the first ones in path order are kept, the rest counted', async () => {
    const files = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`f${i}.js`, `${i}`]));
    const result = await importFromZip(zipOf(files), 'many.zip', { limits: { maxFiles: 5 } });
    expect(Object.keys(result.files)).toEqual(['f0.js', 'f1.js', 'f2.js', 'f3.js', 'f4.js']);
    expect(skipped(result, 'over-file-limit')).toMatchObject({ count: 3, examples: [{ path: 'f5.js' }, { path: 'f6.js' }, { path: 'f7.js' }] });
  });

  it('files past the total size of an import', async () => {
    const result = await importFromZip(zipOf({ 'a.txt': 'x'.repeat(600), 'b.txt': 'y'.repeat(600), 'c.txt': 'z' }), 't.zip', { limits: { maxTotalBytes: 1000 } });
    expect(Object.keys(result.files)).toEqual(['a.txt', 'c.txt']);
    expect(skipped(result, 'over-total-size')?.examples).toEqual([{ path: 'b.txt', detail: '600 B' }]);
  });

  it('a second entry with the same path', async () => {
    const zip = renamed(zipOf({ 'a.js': 'first', 'b.js': 'second' }), 1, 'a.js');
    const result = await importFromZip(zip, 'dup.zip');
    expect({ ...result.files }).toEqual({ 'a.js': 'first' });
    expect(skipped(result, 'duplicate')?.count).toBe(1);
  });
});

describe('importFromZip: hostile and damaged archives stay bounded', () => {
  it('an entry that lies about its size is cut off at the file limit, not decompressed whole', async () => {
    // 16 MB of one letter deflates to ~16 KB; the headers claim 50 KB, which that much deflate data could hold.
    const liar = withField(zipOf({ 'bomb.txt': new Uint8Array(16 * 1024 * 1024).fill(0x61), 'ok.js': 'fine' }), 0, 'size', 50_000);
    const result = await importFromZip(liar, 'bomb.zip', { limits: { maxFileBytes: 1024 * 1024 } });
    expect(Object.keys(result.files)).toEqual(['ok.js']);
    const tooLarge = skipped(result, 'too-large');
    expect(tooLarge?.examples[0]?.path).toBe('bomb.txt');
    // At most the limit plus one piece's expansion (4 KB × 1032) was produced before it stopped.
    expect(tooLarge?.examples[0]?.detail).toMatch(/^over [1-5](\.\d)? MB$/);
  });

  it('a small entry that lies about its size is cut at its declared size and refused as damaged', async () => {
    // 10,000 letters deflate to a few dozen bytes (inflated in one call into a buffer of the declared size).
    const bigger = withField(zipOf({ 'a.txt': 'a'.repeat(10_000), 'ok.js': 'ok' }), 0, 'size', 100);
    const smaller = withField(zipOf({ 'a.txt': 'a'.repeat(100), 'ok.js': 'ok' }), 0, 'size', 150);
    for (const zip of [bigger, smaller]) {
      const result = await importFromZip(zip, 'liar.zip');
      expect(Object.keys(result.files)).toEqual(['ok.js']);
      expect(skipped(result, 'unreadable')?.examples).toEqual([{ path: 'a.txt', detail: expect.stringMatching(/^damaged: /) }]);
    }
  });

  it('the whole archive may expand only so far: later entries are not read once the budget is spent', async () => {
    const files = Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`f${i}.txt`, 'q'.repeat(1000)]));
    const result = await importFromZip(zipOf(files), 'budget.zip', { limits: { maxInflatedBytes: 2500 } });
    expect(Object.keys(result.files)).toEqual(['f0.txt', 'f1.txt', 'f2.txt']);
    const detail = 'not read: the archive already expanded to 2.4 KB (a zip bomb?)';
    expect(skipped(result, 'unreadable')).toMatchObject({ count: 3, examples: ['f3.txt', 'f4.txt', 'f5.txt'].map((path) => ({ path, detail })) });
  });

  it('entries whose data overlap (the overlapping-files bomb) are refused unread', async () => {
    const zip = zipOf({ 'a.txt': 'a'.repeat(5000), 'b.txt': 'b' });
    // Point b's directory record at a's data.
    const hostile = withField(zip, 1, 'localHeaderOffset', localHeader(zip, 0));
    const result = await importFromZip(hostile, 'overlap.zip');
    expect(Object.keys(result.files)).toEqual([]);
    expect(skipped(result, 'unreadable')?.examples.map((e) => e.detail)).toEqual([
      'its data overlaps another entry (a zip bomb pattern)',
      'its data overlaps another entry (a zip bomb pattern)',
    ]);
  });

  it('a compressed size far beyond the declared size is refused as damaged, without reading it', async () => {
    const zip = withField(zipOf({ 'a.txt': 'hello', 'b.txt': 'x'.repeat(100_000) }, 0), 0, 'size', 3);
    const result = await importFromZip(zip, 'd.zip');
    expect(skipped(result, 'unreadable')?.examples[0]).toMatchObject({ path: 'a.txt', detail: expect.stringContaining('damaged') });
  });

  it('a wrong checksum, a truncated stream, encryption and unknown methods are reported per entry', async () => {
    let zip = zipOf({ 'crc.txt': 'checksum', 'enc.txt': 'secret', 'lzma.txt': 'method 14', 'ok.txt': 'ok' });
    zip = withField(zip, 0, 'crc', 12345);
    zip = withField(zip, 1, 'flags', 1);
    zip = withField(zip, 2, 'method', 14);
    const result = await importFromZip(zip, 'damaged.zip');
    expect(Object.keys(result.files)).toEqual(['ok.txt']);
    expect(skipped(result, 'unreadable')?.examples).toEqual([
      { path: 'crc.txt', detail: 'damaged: its checksum does not match' },
      { path: 'enc.txt', detail: 'encrypted (password-protected archives cannot be imported)' },
      { path: 'lzma.txt', detail: 'compressed with method 14, which cannot be read (only stored and deflate)' },
    ]);
  });

  it('a deflate stream that ends early is damaged', async () => {
    const content = Array.from({ length: 3000 }, (_, i) => `line ${i}`).join('\n');
    const zip = zipOf({ 'cut.txt': content });
    const compressed = deflateSync(strToU8(content));
    const cut = withField(zip, 0, 'compressedSize', Math.floor(compressed.length / 2));
    const result = await importFromZip(cut, 'cut.zip');
    expect(skipped(result, 'unreadable')?.examples[0]?.detail).toMatch(/^damaged: /);
  });

  it('a symbolic link is left out', async () => {
    const zip = withField(withField(zipOf({ 'link': 'target.js', 'target.js': 't' }), 0, 'madeBy', 3 << 8 | 30), 0, 'externalAttributes', (0o120777 << 16) >>> 0);
    const result = await importFromZip(zip, 'l.zip');
    expect(Object.keys(result.files)).toEqual(['target.js']);
    expect(skipped(result, 'link')?.examples).toEqual([{ path: 'link', detail: 'a symbolic link' }]);
  });

  it('a file that is not a zip is a ZipFormatError', async () => {
    await expect(importFromZip(strToU8('just some text, no archive here'), 'x.zip')).rejects.toBeInstanceOf(ZipFormatError);
    await expect(importFromZip(new Uint8Array(0), 'empty.zip')).rejects.toThrow(/not a zip archive/);
  });

  it('a directory past the entry limit is listed only that far and says so', async () => {
    const files = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`f${i}.js`, `${i}`]));
    const result = await importFromZip(zipOf(files), 'many.zip', { limits: { maxEntries: 4 } });
    expect(result.summary).toMatchObject({ truncated: true, unlisted: 6, imported: { files: 4 } });
  });
});

describe('importFromZip: archives made by other tools', () => {
  function infoZip(args: string[], build: (dir: string) => void): Uint8Array {
    const dir = mkdtempSync(join(tmpdir(), 'l2mac-zip-'));
    temp.push(dir);
    const project = join(dir, 'proj');
    mkdirSync(project);
    build(project);
    execFileSync('zip', ['-q', ...args, join(dir, 'out.zip'), 'proj'], { cwd: dir });
    return new Uint8Array(readFileSync(join(dir, 'out.zip')));
  }

  function tree(project: string): void {
    mkdirSync(join(project, 'src'));
    mkdirSync(join(project, 'node_modules'));
    writeFileSync(join(project, 'src', 'a.js'), 'export const a = 1;\n');
    writeFileSync(join(project, 'src', 'a.test.js'), "import 'node:test';\n");
    writeFileSync(join(project, 'node_modules', 'dep.js'), 'dep');
    writeFileSync(join(project, 'logo.png'), new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]));
    symlinkSync('src/a.js', join(project, 'alias.js'));
  }

  it('Info-ZIP with directory entries and a stored symlink (-y)', async () => {
    const result = await importFromZip(infoZip(['-r', '-y'], tree), 'proj.zip');
    expect({ ...result.files }).toEqual({ 'src/a.js': 'export const a = 1;\n', 'src/a.test.js': "import 'node:test';\n" });
    expect(result.summary.root).toBe('proj');
    expect(skipped(result, 'link')?.examples).toEqual([{ path: 'alias.js', detail: 'a symbolic link' }]);
    expect(skipped(result, 'binary')?.examples[0]?.path).toBe('logo.png');
    expect(skipped(result, 'ignored-folder')?.examples).toEqual([{ path: 'node_modules/', detail: 'dependencies, 1 file' }]);
  });

  it('Info-ZIP with ZIP64 records (-fz)', async () => {
    const result = await importFromZip(infoZip(['-r', '-fz'], tree), 'proj64.zip');
    expect(Object.keys(result.files)).toEqual(['alias.js', 'src/a.js', 'src/a.test.js']);
    expect(result.files['alias.js']).toBe('export const a = 1;\n');
  });
});

describe('importFromZip: reading, progress and cancel', () => {
  it('reads the directory the same from memory and from a Blob read in slices', async () => {
    const zip = zipOf({ 'a/b.js': 'b', 'c.js': 'c' });
    const fromBytes = await readZipDirectory(bytesSource(zip), 100);
    const fromBlob = await readZipDirectory(blobSource(new Blob([zip as BlobPart])), 100);
    expect(fromBlob).toEqual(fromBytes);
    expect(fromBytes.entries.map((e) => e.name)).toEqual(['a/b.js', 'c.js']);
  });

  it('imports from a Blob (a chosen File) as from bytes', async () => {
    const zip = zipOf({ 'x/a.js': 'a' });
    const result = await importFromZip(new Blob([zip as BlobPart]), 'x.zip');
    expect({ ...result.files }).toEqual({ 'a.js': 'a' });
  });

  it('reports progress up to every candidate', async () => {
    const files = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`f${i}.js`, `${i}`]));
    const seen: { phase: string; done: number; total: number | null }[] = [];
    await importFromZip(zipOf(files), 'p.zip', { onProgress: (p) => seen.push(p) });
    expect(seen[0]).toMatchObject({ phase: 'listing', done: 30 });
    expect(seen.at(-1)).toEqual({ phase: 'reading', done: 30, total: 30 });
  });

  it('stops with AbortError when cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(importFromZip(zipOf({ 'a.js': 'a' }), 'a.zip', { signal: controller.signal })).rejects.toBeInstanceOf(AbortError);
  });
});
