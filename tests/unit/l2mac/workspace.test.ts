import { describe, expect, it } from 'vitest';
import { fileListing, Workspace } from '../../../src/l2mac/workspace.ts';

describe('workspace overlay', () => {
  it('reads through the overlay and reports only real changes', () => {
    const ws = new Workspace({ 'a.js': 'a', 'b.js': 'b' });
    ws.write('a.js', 'a');
    ws.write('c.js', 'c');
    ws.delete('b.js');
    expect(ws.paths()).toEqual(['a.js', 'c.js']);
    expect(ws.read('b.js')).toBeUndefined();
    expect(ws.changes()).toEqual([
      { path: 'b.js', content: null },
      { path: 'c.js', content: 'c' },
    ]);
    ws.write('d.js', 'd');
    ws.delete('d.js');
    expect(ws.changes().map((c) => c.path)).toEqual(['b.js', 'c.js']);
  });

  it('commits or discards a turn, and tells the sandbox about discarded paths again', () => {
    const ws = new Workspace({ 'a.js': 'a' });
    ws.write('a.js', 'A');
    expect(ws.takeUnsynced()).toEqual([{ path: 'a.js', content: 'A' }]);
    ws.discard();
    expect(ws.read('a.js')).toBe('a');
    expect(ws.takeUnsynced()).toEqual([{ path: 'a.js', content: 'a' }]);
    ws.write('b.js', 'b');
    ws.commit();
    expect(ws.changes()).toEqual([]);
    expect(ws.snapshot()).toEqual({ 'a.js': 'a', 'b.js': 'b' });
  });
});

describe('file listing', () => {
  it('lists every file with its lines up to 200 files', () => {
    const ws = new Workspace({ 'src/a.js': 'x\ny\n', 'README.md': 'hi' });
    expect(fileListing(ws)).toBe('README.md (1 line)\nsrc/a.js (2 lines)');
    expect(fileListing(new Workspace())).toBe('(no files yet)');
  });

  it('past 200 files collapses the deepest folders into counts', () => {
    const files: Record<string, string> = { 'package.json': '{}' };
    for (let i = 0; i < 150; i++) files[`src/models/m${i}.js`] = 'x';
    for (let i = 0; i < 150; i++) files[`src/views/v${i}.js`] = 'x\ny';
    for (let i = 0; i < 10; i++) files[`test/t${i}.test.js`] = 'x';
    const listing = fileListing(new Workspace(files));
    const lines = listing.split('\n');
    expect(lines.length).toBeLessThanOrEqual(201);
    expect(listing).toContain('src/models/ (150 files, 150 lines');
    expect(listing).toContain('src/views/ (150 files, 300 lines');
    expect(listing).toContain('test/t3.test.js (1 line)');
    expect(listing).toContain('package.json');
    expect(lines[0]).toMatch(/^311 files/);
  });

  it('truncates even the top level with a count of what is hidden', () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 300; i++) files[`f${String(i).padStart(3, '0')}.txt`] = 'x';
    const listing = fileListing(new Workspace(files), { maxEntries: 200 });
    expect(listing).toContain('f199.txt');
    expect(listing).not.toContain('f200.txt');
    expect(listing).toContain('… and 100 more entries holding 100 files');
  });

  it('keeps the listing within 8,000 characters however long the names are', () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 5000; i++) files[`${'very-long-folder-name-'.repeat(4)}${i}/index.js`] = 'x';
    const listing = fileListing(new Workspace(files));
    expect(listing.length).toBeLessThanOrEqual(8000);
    expect(listing.split('\n').at(-1)).toMatch(/^… \d+ more lines of this listing left out .*list_files/);
    expect(listing.split('\n')[0]).toMatch(/^5000 files/);
  });
});
