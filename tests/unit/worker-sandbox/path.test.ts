import { posix as nodePath } from 'node:path';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import * as path from '../../../src/sandbox/worker-runtime/builtins/path.ts';

/** Paths made of the pieces that matter: slashes, dots, names with and without extensions. */
const segment = fc.constantFrom('', '.', '..', 'a', 'b.js', '.x', '..y', 'c.d.e', 'f.', 'g..', '...', 'index.test.js');
const pathArbitrary = fc
  .tuple(fc.boolean(), fc.array(segment, { maxLength: 6 }), fc.boolean())
  .map(([absolute, parts, trailing]) => `${absolute ? '/' : ''}${parts.join('/')}${trailing ? '/' : ''}`);

describe('node:path in the worker matches Node’s path.posix', () => {
  test.each(['normalize', 'dirname', 'basename', 'extname', 'isAbsolute'] as const)('%s', (name) => {
    fc.assert(
      fc.property(pathArbitrary, (p) => {
        expect(path[name](p)).toEqual(nodePath[name](p));
      }),
      { numRuns: 2000 },
    );
  });

  test('parse and format', () => {
    fc.assert(
      fc.property(pathArbitrary, (p) => {
        expect(path.parse(p)).toEqual(nodePath.parse(p));
        expect(path.format(path.parse(p))).toEqual(nodePath.format(nodePath.parse(p)));
      }),
      { numRuns: 2000 },
    );
    expect(path.format({ name: 'x', ext: 'txt' })).toBe(nodePath.format({ name: 'x', ext: 'txt' }));
    expect(path.format({ root: '/', name: 'x', ext: '.js' })).toBe(nodePath.format({ root: '/', name: 'x', ext: '.js' }));
  });

  test('join, resolve (cwd /project) and relative', () => {
    fc.assert(
      fc.property(fc.array(pathArbitrary, { maxLength: 4 }), (parts) => {
        expect(path.join(...parts)).toBe(nodePath.join(...parts));
        expect(path.resolve(...parts)).toBe(nodePath.resolve('/project', ...parts));
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(pathArbitrary, pathArbitrary, (from, to) => {
        expect(path.relative(from, to)).toBe(nodePath.relative(nodePath.resolve('/project', from), nodePath.resolve('/project', to)));
      }),
      { numRuns: 2000 },
    );
  });

  test('basename with a suffix', () => {
    fc.assert(
      fc.property(pathArbitrary, fc.constantFrom('.js', 'js', 'b.js', '', '.'), (p, suffix) => {
        expect(path.basename(p, suffix)).toBe(nodePath.basename(p, suffix));
      }),
    );
  });

  test('a non-string argument is a TypeError with Node’s code', () => {
    expect(() => path.join('a', 1 as unknown as string)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARG_TYPE' }));
  });
});
