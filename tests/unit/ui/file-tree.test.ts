import { describe, expect, it } from 'vitest';
import { visibleRows } from '../../../src/ui/model/file-tree.ts';

describe('visibleRows', () => {
  it('names every file by its full path and every folder with a trailing slash, folders expanded', () => {
    const rows = visibleRows(['src/b.js', 'README.md', 'src/lib/a.js', 'test/a.test.js']);
    expect(rows.map((r) => r.path)).toEqual(['src/', 'src/lib/', 'src/lib/a.js', 'src/b.js', 'test/', 'test/a.test.js', 'README.md']);
    expect(rows.filter((r) => r.folder).every((r) => r.path.endsWith('/') && r.expanded)).toBe(true);
    expect(rows.find((r) => r.path === 'src/lib/a.js')).toMatchObject({ name: 'a.js', level: 3, parent: 'src/lib/' });
  });

  it('orders names naturally and gives positions among siblings', () => {
    const rows = visibleRows(['f10.js', 'f2.js', 'f1.js']);
    expect(rows.map((r) => [r.name, r.position, r.siblings])).toEqual([
      ['f1.js', 1, 3],
      ['f2.js', 2, 3],
      ['f10.js', 3, 3],
    ]);
  });

  it('hides the contents of a collapsed folder but keeps the folder row', () => {
    const rows = visibleRows(['a/x.js', 'a/y.js', 'b.js'], new Set(['a/']));
    expect(rows.map((r) => [r.path, r.expanded])).toEqual([
      ['a/', false],
      ['b.js', false],
    ]);
  });

  it('keeps a file and a folder of the same name apart', () => {
    const rows = visibleRows(['x', 'x/y.js']);
    expect(rows.map((r) => r.path)).toEqual(['x/', 'x/y.js', 'x']);
  });
});
