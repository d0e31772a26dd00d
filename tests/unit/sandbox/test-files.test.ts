import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findTestFiles, isTestFile } from '../../../src/sandbox/test-files.ts';

const run = promisify(execFile);

/** What real `node --test` (no arguments) discovers in a folder holding exactly `paths` (empty files). */
async function nodeDiscovers(paths: string[]): Promise<string[]> {
  const root = await mkdtemp(join(tmpdir(), 'l2mac-discovery-'));
  try {
    for (const path of paths) {
      await mkdir(dirname(join(root, path)), { recursive: true });
      await writeFile(join(root, path), '');
    }
    let stdout = '';
    try {
      ({ stdout } = await run(process.execPath, ['--test', '--test-reporter=tap', '--test-concurrency=4'], { cwd: root }));
    } catch (error) {
      // Exit code 1 when a file fails; discovery is what we compare, not the outcome.
      stdout = (error as { stdout?: string }).stdout ?? '';
    }
    const prefix = `# Subtest: ${root}/`;
    return stdout
      .split('\n')
      .filter((line) => line.startsWith(prefix))
      .map((line) => line.slice(prefix.length));
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

const segment = fc.constantFrom(
  'test', 'tests', 'node_modules', 'src', 'lib', '.hidden', 'a', 'test-a', 'spec', '__tests__', 'Test',
);
const fileName = fc.oneof(
  fc.constantFrom(
    'test.js', 'test.mjs', 'test.cjs', 'test.jsx', 'test.ts', 'test-a.js', 'test-.js', '-test.js', '.test.js',
    'a.test.js', 'a-test.mjs', 'a_test.cjs', 'a.spec.js', 'test.test.js', 'TEST.js', 'a.TEST.js', 'x.js', 'x.json',
    'test-a.b.js', 'test-.js.js', 'a.test.mjs.js', 'testx.js', 'xtest.js', '.a.test.js', 'a test.test.js',
    'index.js', 'a.test.ts', 'a.test.tsx', 'a.d.ts', 'a.mjs', 'test', 'a.test.jsx',
  ),
  fc
    .tuple(fc.constantFrom('', 'a', 'test', 'x.y'), fc.constantFrom('', '.', '-', '_'), fc.constantFrom('', 'test', 'tes'), fc.constantFrom('.js', '.cjs', '.mjs', '.ts', '.txt', ''))
    .map((parts) => parts.join(''))
    .filter((name) => name !== '' && name !== '.' && name !== '..'),
);
const projectPath = fc
  .tuple(fc.array(segment, { maxLength: 3 }), fileName)
  .map(([dirs, name]) => [...dirs, name].join('/'));

/** Paths where no path is both a file and a directory (a file system cannot hold both). */
function consistent(paths: string[]): boolean {
  const files = new Set(paths);
  return paths.every((path) => {
    const parts = path.split('/');
    return parts.slice(0, -1).every((_, i) => !files.has(parts.slice(0, i + 1).join('/')));
  });
}

const jsOnly = (path: string) => /\.[cm]?js$/.test(path);

describe('findTestFiles', () => {
  it('matches what real node --test discovers, for the JS patterns', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(projectPath, { minLength: 1, maxLength: 10 }).filter(consistent), async (paths) => {
        const discovered = await nodeDiscovers(paths);
        expect(findTestFiles(paths).filter(jsOnly)).toEqual(discovered);
      }),
      { numRuns: 12 },
    );
  });

  it('agrees with node --test on the edge names Node 20 treats differently from newer globs', async () => {
    const paths = [
      'test-.js', '-test.js', '.test.js', 'test.test.js', 'a.test.js', 'a-test.cjs', 'a_test.mjs', 'test.js',
      'test-a.js', 'TEST.js', 'x.spec.js', 'test/helper.js', 'test/deep/er.cjs', 'src/test/x.mjs', 'tests/x.js',
      'node_modules/a.test.js', 'lib/node_modules/b.test.js', 'test/node_modules/c.js', '.hidden/a.test.js',
      'test/readme.md', 'space name.test.js',
    ];
    const expected = await nodeDiscovers(paths);
    expect(findTestFiles(paths)).toEqual(expected);
    expect(expected).toContain('test/deep/er.cjs');
    expect(expected).not.toContain('test-.js');
  });

  it('applies the same rule to the extensions the sandboxes strip', () => {
    expect(findTestFiles(['a.test.ts', 'b-test.mts', 'c_test.cts', 'd.test.tsx', 'e.test.jsx', 'test/f.ts', 'g.ts'])).toEqual([
      'a.test.ts', 'b-test.mts', 'c_test.cts', 'd.test.tsx', 'e.test.jsx', 'test/f.ts',
    ]);
  });

  it('never counts declaration files, JSON or files under node_modules', () => {
    expect(isTestFile('test/types.d.ts')).toBe(false);
    expect(isTestFile('a.test.d.ts')).toBe(false);
    expect(isTestFile('test/data.json')).toBe(false);
    expect(isTestFile('node_modules/x/test/a.js')).toBe(false);
  });

  it('sorts by code unit and drops duplicates', () => {
    expect(findTestFiles(['b.test.js', 'B.test.js', 'a/test.js', 'b.test.js', 'a.test.js'])).toEqual([
      'B.test.js', 'a.test.js', 'a/test.js', 'b.test.js',
    ]);
  });
});
