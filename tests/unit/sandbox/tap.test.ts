import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTap } from '../../../src/sandbox/tap.ts';
import type { TestReport } from '../../../src/sandbox/types.ts';

/** Real output of Node 20.20 (see fixtures/tap/generate.mjs), with the run's folder shown as /project. */
const fixtureDir = join(import.meta.dirname, 'fixtures', 'tap');
const index = JSON.parse(readFileSync(join(fixtureDir, 'index.json'), 'utf8')) as {
  runs: Record<string, { exitCode: number; files: string[] }>;
};
const fixture = (name: string) => readFileSync(join(fixtureDir, `${name}.tap`), 'utf8');
const handwritten = (name: string) => readFileSync(join(fixtureDir, 'handwritten', `${name}.tap`), 'utf8');

function parseFixture(name: string): TestReport {
  const run = index.runs[name];
  if (!run) throw new Error(`no fixture ${name}`);
  return parseTap(fixture(name), { root: '/project', files: run.files, exitCode: run.exitCode });
}

const counts = (r: TestReport) => ({ passed: r.passed, failed: r.failed, skipped: r.skipped, todo: r.todo });
const names = (r: TestReport) => r.failures.map((f) => f.name);

describe('parseTap on real Node 20 output', () => {
  it('passing tests', () => {
    const report = parseFixture('pass');
    expect(counts(report)).toEqual({ passed: 2, failed: 0, skipped: 0, todo: 0 });
    expect(report.failures).toEqual([]);
    expect(report.durationMs).toBeGreaterThan(0);
  });

  it('failing assertions: name, file, location, message with the diff', () => {
    const report = parseFixture('fail-assert');
    expect(counts(report)).toEqual({ passed: 1, failed: 7, skipped: 0, todo: 0 });
    const deep = report.failures.find((f) => f.name === 'deep equal');
    expect(deep).toMatchObject({ file: 'math.test.js', location: 'math.test.js:5:1' });
    expect(deep?.message).toContain('Expected values to be strictly deep-equal');
    expect(deep?.message).toContain('+     2\n-     3');
    expect(deep?.message).toContain('at math.test.js:5:');
    expect(report.failures.find((f) => f.name === 'strict equal')?.message).toContain('2 !== 3');
    expect(report.failures.find((f) => f.name === 'custom message')?.message).toContain('two is not three');
    expect(report.failures.find((f) => f.name === 'throws TypeError')?.message).toMatch(/^TypeError: Cannot read properties of null/);
    expect(report.failures.find((f) => f.name === 'throws a string')?.message).toBe('plain string');
  });

  it('nested describe/it names joined with " > "; suites are not tests', () => {
    const report = parseFixture('nested');
    expect(counts(report)).toEqual({ passed: 2, failed: 1, skipped: 0, todo: 0 });
    expect(report.failures).toEqual([
      expect.objectContaining({ name: 'cart > totals > applies discount', file: 'cart.test.js', location: 'cart.test.js:6:5' }),
    ]);
    expect(report.failures[0]?.message).toContain('9 !== 8');
  });

  it('skip and todo, including a failing todo and a skipped suite', () => {
    expect(counts(parseFixture('skip-todo'))).toEqual({ passed: 1, failed: 0, skipped: 3, todo: 4 });
  });

  it('hooks: a failing before/after counts against its suite; beforeEach/afterEach against the test', () => {
    const report = parseFixture('hooks');
    expect(report.passed).toBe(4);
    expect(names(report)).toEqual([
      'before fails',
      'before fails > first',
      'before fails > second',
      'beforeEach fails > third',
      'after fails',
      'afterEach fails > fifth',
    ]);
    expect(report.failures[0]?.message).toMatch(/^before boom/);
    expect(report.failures[3]?.message).toMatch(/^beforeEach boom/);
    expect(report.failures[4]?.message).toMatch(/^after boom/);
  });

  it('async tests, callbacks, and a promise that never settles', () => {
    const report = parseFixture('async');
    expect(counts(report)).toEqual({ passed: 2, failed: 3, skipped: 0, todo: 0 });
    expect(names(report)).toEqual(['rejects', 'callback error', 'never settles']);
    expect(report.failures[1]?.message).toContain('callback boom');
  });

  it('subtests: leaves counted, a parent failing only through a child is not, one failing on its own is', () => {
    const report = parseFixture('subtests');
    expect(counts(report)).toEqual({ passed: 3, failed: 3, skipped: 0, todo: 0 });
    expect(names(report)).toEqual([
      'parent > child fails',
      'parent > child with grandchild > grandchild fails',
      'parent fails itself',
    ]);
    expect(report.failures[1]?.message).toBe('RangeError: too deep\nsecond line\nat sub.test.js:7:52');
  });

  it('a busy loop stopped at the per-file timeout: the file fails and is listed in timedOut', () => {
    const report = parseFixture('timeout-busy');
    expect(counts(report)).toEqual({ passed: 1, failed: 1, skipped: 0, todo: 0 });
    expect(report.failures[0]).toMatchObject({ name: 'busy.test.js', file: 'busy.test.js' });
    expect(report.failures[0]?.message).toContain('test timed out after 1000ms');
    expect(report.timedOut).toEqual(['busy.test.js']);
  });

  it('a timer that never ends, and a test over its own timeout', () => {
    const report = parseFixture('timeout-timer');
    expect(report.timedOut).toEqual(['own timeout', 'timer.test.js']);
    expect(counts(report)).toEqual({ passed: 1, failed: 2, skipped: 0, todo: 0 });
  });

  it('uncaught errors: at load, after a test ended, unhandled rejections', () => {
    const report = parseFixture('uncaught');
    expect(names(report)).toEqual(['late.test.js', 'rejection.test.js', 'top.test.js']);
    expect(report.failures[0]?.message).toContain('uncaught later');
    expect(report.failures[1]?.message).toContain('nobody catches me');
    expect(report.failures[2]?.message).toContain('Error: top-level boom');
    expect(report.failures[2]?.message).toContain('top.test.js:2');
    expect(report.failures[2]?.message).not.toContain('/project');
  });

  it('a syntax error in a test file or a module it imports', () => {
    const report = parseFixture('syntax-error');
    expect(counts(report)).toEqual({ passed: 0, failed: 2, skipped: 0, todo: 0 });
    expect(report.failures[0]).toMatchObject({ name: 'broken.test.js', file: 'broken.test.js' });
    expect(report.failures[0]?.message).toContain("SyntaxError: Unexpected token ';'");
    expect(report.failures[1]?.message).toContain('helper.js:2');
  });

  it('a missing relative module and a missing package', () => {
    const report = parseFixture('missing-import');
    expect(names(report)).toEqual(['a.test.js', 'b.test.js']);
    expect(report.failures[0]?.message).toContain("Cannot find module 'missing.js' imported from a.test.js");
    expect(report.failures[1]?.message).toContain("Cannot find package 'left-pad'");
    expect(report.failures[0]?.message).not.toMatch(/node:internal/);
  });

  it('process.exit with a non-zero code fails the file', () => {
    const report = parseFixture('process-exit');
    expect(names(report)).toEqual(['exit-in-test.test.js', 'exit1.test.js']);
    expect(report.failures[0]?.message).toContain('exited with code 3');
  });

  it('console output of tests does not confuse the parser, even a fake "not ok" line', () => {
    const report = parseFixture('console-output');
    expect(counts(report)).toEqual({ passed: 1, failed: 1, skipped: 0, todo: 0 });
    expect(names(report)).toEqual(['fails after logging']);
  });

  it('files without tests count as one passing test each, as Node counts them', () => {
    expect(counts(parseFixture('no-tests'))).toEqual({ passed: 2, failed: 0, skipped: 0, todo: 0 });
  });

  it('names with #, backslashes, quotes and unicode', () => {
    expect(names(parseFixture('names'))).toEqual([
      'suite # with hash > back\\slash and "quotes" and \'single\'',
      'suite # with hash > multi\\nline',
      'suite # with hash > ünïcödé ✓ 🚀',
    ]);
  });

  it('CommonJS and .mjs test files, and several files run concurrently', () => {
    expect(parseFixture('cjs-mjs').failures).toEqual([expect.objectContaining({ name: 'cjs fails', file: 'a.test.cjs' })]);
    const many = parseFixture('many-files');
    expect(counts(many)).toEqual({ passed: 8, failed: 2, skipped: 0, todo: 0 });
    expect(many.failures.map((f) => f.file)).toEqual(['f1.test.js', 'f3.test.js']);
  });

  it('an empty run is zero tests, not a failure', () => {
    expect(counts(parseFixture('empty-run'))).toEqual({ passed: 0, failed: 0, skipped: 0, todo: 0 });
  });

  it('a runner that printed no TAP is a failure carrying its output', () => {
    const report = parseFixture('bad-flag');
    expect(report.failed).toBe(1);
    expect(report.failures[0]?.message).toContain('bad option: --no-such-flag');
  });
});

describe('parseTap on other Nodes and other streams', () => {
  it('Node 22 style (type in every block, test directory, TODO leaf)', () => {
    const report = parseTap(handwritten('node22-nested'), { root: '/home/projects/shop' });
    expect(counts(report)).toEqual({ passed: 1, failed: 3, skipped: 0, todo: 1 });
    expect(report.failures.map((f) => [f.name, f.file, f.location])).toEqual([
      ['cart > discount', 'test/cart.test.js', 'test/cart.test.js:6:3'],
      ['slow', 'test/slow.test.js', 'test/slow.test.js:2:1'],
      ['test/crash.test.js', 'test/crash.test.js', undefined],
    ]);
    expect(report.timedOut).toEqual(['slow']);
  });

  it('Node 18 / early Node 20 style, where each file wraps its tests', () => {
    const report = parseTap(handwritten('node18-file-wrapper'), { files: ['math.test.js', 'empty.test.js'] });
    expect(counts(report)).toEqual({ passed: 2, failed: 1, skipped: 1, todo: 0 });
    expect(report.failures).toEqual([
      expect.objectContaining({ name: 'subtracts', file: 'math.test.js' }),
    ]);
    expect(report.failures[0]?.message).toContain('1 !== 2');
    expect(report.failures[0]?.message).toContain('at math.test.js:4:30');
  });

  it('merged streams with ANSI codes, CRLF and a stray stderr line inside a YAML block', () => {
    const report = parseTap(handwritten('webcontainer-noise'), { files: ['a.test.js'] });
    expect(counts(report)).toEqual({ passed: 1, failed: 1, skipped: 0, todo: 0 });
    expect(report.failures).toEqual([
      { name: 'breaks', file: 'a.test.js', location: 'a.test.js:3:1', message: 'broken on purpose' },
    ]);
    expect(report.output).not.toContain('\x1b[');
  });

  it('finds the run folder from the test files when it is not given', () => {
    const report = parseTap(fixture('nested'), { files: ['cart.test.js'] });
    expect(report.failures[0]).toMatchObject({ file: 'cart.test.js', location: 'cart.test.js:6:5' });
  });

  it('gives the same report when noise, colours and CRLF are added to real output', () => {
    for (const name of ['fail-assert', 'hooks', 'uncaught', 'timeout-timer']) {
      const clean = parseFixture(name);
      const noisy = fixture(name)
        .split('\n')
        .map((line) => (/^(not )?ok /.test(line) ? `\x1b[32m${line}\x1b[39m` : line))
        .join('\r\n')
        .replace(/\r\n# Subtest: /g, '\r\n(node:7) Warning: something\r\n# Subtest: ');
      const run = index.runs[name];
      const report = parseTap(noisy, { root: '/project', files: run?.files ?? [], exitCode: run?.exitCode ?? null });
      expect(counts(report), name).toEqual(counts(clean));
      expect(names(report), name).toEqual(names(clean));
    }
  });
});

describe('parseTap never reports a pass by accident', () => {
  it('output cut anywhere before the summary is a failure', () => {
    for (const name of ['pass', 'nested', 'skip-todo', 'no-tests']) {
      const lines = fixture(name).split('\n');
      const summaryAt = lines.findIndex((line) => line.startsWith('# tests '));
      for (let cut = 0; cut <= summaryAt; cut++) {
        const report = parseTap(lines.slice(0, cut).join('\n'), { root: '/project' });
        expect(report.failed, `${name} cut at line ${cut}`).toBeGreaterThan(0);
      }
    }
  });

  it('a test that started but never reported is named as unfinished', () => {
    const lines = fixture('nested').split('\n');
    const cut = lines.findIndex((line) => line.includes('# Subtest: starts empty'));
    const report = parseTap(lines.slice(0, cut + 1).join('\n'), { root: '/project' });
    expect(names(report)).toContain('cart > starts empty');
    expect(names(report)).toContain('cart > totals > applies discount');
    expect(report.failures.find((f) => f.name === 'cart > starts empty')?.message).toMatch(/did not finish/);
  });

  it('no output at all, or only noise, is a failure', () => {
    expect(parseTap('').failed).toBe(1);
    expect(parseTap('Segmentation fault (core dumped)\n').failures[0]?.message).toContain('Segmentation fault');
  });

  it('a non-zero exit code with only passing tests is a failure', () => {
    const report = parseTap(fixture('pass'), { root: '/project', exitCode: 1 });
    expect(report.failed).toBe(1);
    expect(report.failures[0]?.message).toContain('exited with code 1');
    expect(parseTap(fixture('pass'), { root: '/project', exitCode: 0 }).failed).toBe(0);
  });

  it('a summary that counts failures the results do not show is a failure', () => {
    const text = 'TAP version 13\n1..0\n# tests 1\n# pass 0\n# fail 1\n';
    expect(parseTap(text).failed).toBe(1);
  });

  it('never throws on arbitrary input', () => {
    const token = fc.constantFrom(
      'TAP version 13', 'ok 1 - a', 'not ok 2 - b # TODO', '    not ok 1 - c', '  ---', '  ...', '  error: |-', '    x',
      "  location: '/p/a.js:1:2'", '  expected:', '# Subtest: d', '        ok 3 - deep', '1..2', '# tests 2', '# fail 1', '# x',
      "  error: 'unterminated", '  stack: |-', '    (file:///p/a.js:1:1)', '\x1b[31m', '\r',
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(token, fc.string({ maxLength: 30 })), { maxLength: 40 }), fc.option(fc.string({ maxLength: 8 })), (lines, root) => {
        const report = parseTap(lines.join('\n'), root === null ? {} : { root, files: ['a.js'] });
        expect(report.passed + report.failed + report.skipped + report.todo).toBeGreaterThanOrEqual(0);
        expect(report.failed).toBeGreaterThanOrEqual(report.failures.length > 0 ? 1 : 0);
      }),
      { numRuns: 500 },
    );
  });
});

describe('parseTap on huge real output', () => {
  it('keeps the failing name and the summary within the output limit', async () => {
    const root = await mkdtemp(join(tmpdir(), 'l2mac-tap-huge-'));
    try {
      await writeFile(join(root, 'package.json'), '{"type":"module"}');
      await writeFile(
        join(root, 'huge.test.js'),
        `import { test } from 'node:test';
test('prints a lot', () => { for (let i = 0; i < 40000; i++) console.log('line ' + i + ' of noisy output'); });
test('fails at the end', () => { throw new Error('the real problem'); });
`,
      );
      const output = await new Promise<string>((resolve) => {
        const child = spawn(process.execPath, ['--test', '--test-reporter=tap', 'huge.test.js'], { cwd: root });
        let text = '';
        child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
        child.on('close', () => resolve(text));
      });
      expect(output.length).toBeGreaterThan(500_000);
      const report = parseTap(output, { root, files: ['huge.test.js'], exitCode: 1 });
      expect(counts(report)).toEqual({ passed: 1, failed: 1, skipped: 0, todo: 0 });
      expect(report.failures[0]).toMatchObject({ name: 'fails at the end', message: expect.stringContaining('the real problem') });
      expect(report.output.length).toBeLessThanOrEqual(8000);
      expect(report.output).toContain('not ok 2 - fails at the end');
      expect(report.output).toContain('# fail 1');
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
