import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkFileSize, checkPath, lineCount, MAX_FILE_BYTES, MAX_PATH_LENGTH } from '../../../src/l2mac/paths.ts';

const segmentChar = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABC0123456789-_.é漢 '.split(''));
const segment = fc
  .array(segmentChar, { minLength: 1, maxLength: 12 })
  .map((chars) => chars.join(''))
  .filter((s) => s !== '.' && s !== '..');
const validPath = fc
  .array(segment, { minLength: 1, maxLength: 6 })
  .map((segments) => segments.join('/'))
  .filter((p) => p.length <= MAX_PATH_LENGTH && !/^[A-Za-z]:/.test(p));

describe('path rules (DESIGN.md §5)', () => {
  it('accepts relative POSIX paths and returns them unchanged', () => {
    fc.assert(
      fc.property(validPath, (path) => {
        expect(checkPath(path)).toEqual({ ok: true, path });
      }),
    );
  });

  it('never throws and accepts nothing with "..", a leading "/", a backslash, an empty segment or a control character', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), validPath), (path) => {
        const result = checkPath(path);
        if (!result.ok) return;
        const segments = path.split('/');
        expect(segments).not.toContain('..');
        expect(segments).not.toContain('.');
        expect(segments).not.toContain('');
        expect(path).not.toMatch(/[\\\u0000-\u001f\u007f-\u009f]/);
        expect(path.startsWith('/')).toBe(false);
        expect(path.length).toBeLessThanOrEqual(MAX_PATH_LENGTH);
      }),
    );
  });

  it('rejects every way out of the project and every malformed path', () => {
    fc.assert(
      fc.property(validPath, validPath, (a, b) => {
        for (const bad of [`../${a}`, `${a}/../${b}`, `/${a}`, `${a}\\${b}`, `${a}//${b}`, `${a}/`, `${a}\u0000`, `C:/${a}`, `./${a}`]) {
          expect(checkPath(bad).ok, bad).toBe(false);
        }
      }),
    );
    for (const bad of ['', '..', '/etc/passwd', 'C:\\x', 'a//b', 'x'.repeat(MAX_PATH_LENGTH + 1), 'a\nb', 42, null, undefined, {}]) {
      expect(checkPath(bad).ok).toBe(false);
    }
  });

  it('says why a path is rejected', () => {
    expect(checkPath('../x')).toMatchObject({ ok: false, reason: expect.stringContaining('..') });
    expect(checkPath('/etc/passwd')).toMatchObject({ ok: false, reason: expect.stringContaining('absolute') });
  });

  it('limits a file to 1 MB counted in UTF-8 bytes', () => {
    expect(checkFileSize('a.txt', 'x'.repeat(MAX_FILE_BYTES))).toBeNull();
    expect(checkFileSize('a.txt', 'x'.repeat(MAX_FILE_BYTES + 1))).toMatch(/1 MB/);
    // 350,000 three-byte characters are 1,050,000 bytes.
    expect(checkFileSize('a.txt', '漢'.repeat(350_000))).toMatch(/1050000 bytes/);
  });

  it('counts lines as an editor shows them', () => {
    expect(lineCount('')).toBe(0);
    expect(lineCount('a')).toBe(1);
    expect(lineCount('a\n')).toBe(1);
    expect(lineCount('a\nb')).toBe(2);
    expect(lineCount('a\n\n')).toBe(2);
  });
});
