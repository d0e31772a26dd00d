import { describe, expect, test } from 'vitest';
import { parseTap } from '../../../src/sandbox/tap.ts';
import { writeTap, type FileRun } from '../../../src/sandbox/worker-runtime/host/tap-writer.ts';
import type { TestEvent, WorkerMessage } from '../../../src/sandbox/worker-runtime/protocol.ts';

type Result = Extract<TestEvent, { type: 'result' }>;

function result(name: string, fields: Partial<Result> = {}): WorkerMessage {
  return {
    type: 'test',
    event: { type: 'result', passed: true, nesting: 0, testNumber: 1, name, parents: [], durationMs: 1.5, suite: false, cancelled: false, ...fields },
  };
}
const out = (text: string): WorkerMessage => ({ type: 'output', stream: 'stdout', text });

function run(file: string, messages: WorkerMessage[], end: FileRun['end'] = { kind: 'done', exitCode: 0 }): FileRun {
  return { file, messages, end, durationMs: 12, timeoutMs: 1000 };
}

const report = (runs: FileRun[]) => parseTap(writeTap(runs), { root: '/project', files: runs.map((r) => r.file) });

describe('the worker’s results as Node’s TAP', () => {
  test('leaves, parents and suites count as Node counts them; names join with " > "', () => {
    const tap = writeTap([
      run('a.test.js', [
        { type: 'test', event: { type: 'start', nesting: 0, name: 'suite' } },
        result('passes', { nesting: 1, parents: ['suite'] }),
        result('fails', {
          nesting: 1,
          testNumber: 2,
          parents: ['suite'],
          passed: false,
          location: '/project/a.test.js:3:3',
          failureType: 'testCodeFailure',
          error: { name: 'AssertionError', message: 'Expected values to be strictly equal:\n\n1 !== 2\n', code: 'ERR_ASSERTION', expected: '2', actual: '1', operator: 'strictEqual', stack: 'AssertionError: x\n    at file:///project/a.test.js:3:30' },
        }),
        { type: 'test', event: { type: 'plan', nesting: 1, count: 2 } },
        result('suite', { passed: false, suite: true, failureType: 'subtestsFailed', error: { name: 'Error', message: '1 subtest failed', code: 'ERR_TEST_FAILURE' } }),
        result('skipped', { testNumber: 2, skip: 'not now' }),
        result('todo # with a hash', { testNumber: 3, todo: true, passed: false }),
      ]),
    ]);
    expect(tap).toContain('# tests 4\n# suites 1\n# pass 1\n# fail 1\n# cancelled 0\n# skipped 1\n# todo 1\n');
    expect(tap).toContain('ok 2 - skipped # SKIP not now');
    expect(tap).toContain('not ok 3 - todo \\# with a hash # TODO');
    const parsed = parseTap(tap, { root: '/project', files: ['a.test.js'] });
    expect([parsed.passed, parsed.failed, parsed.skipped, parsed.todo]).toEqual([1, 1, 1, 1]);
    expect(parsed.failures).toEqual([
      expect.objectContaining({ name: 'suite > fails', file: 'a.test.js', location: 'a.test.js:3:3', message: expect.stringMatching(/1 !== 2/) }),
    ]);
  });

  test('console output becomes comments, line by line, even split across messages', () => {
    const tap = writeTap([run('a.test.js', [out('first li'), out('ne\n# second\n'), result('t')])]);
    expect(tap).toContain('# first line\n# \\# second\n');
  });

  test('a file without tests is one passing test; with a non-zero exit and no failure it fails', () => {
    expect(report([run('empty.test.js', [])])).toMatchObject({ passed: 1, failed: 0 });
    const exited = report([run('exit.test.js', [result('passes')], { kind: 'done', exitCode: 3 })]);
    expect(exited).toMatchObject({ passed: 1, failed: 1 });
    expect(exited.failures[0]).toMatchObject({ name: 'exit.test.js', file: 'exit.test.js', message: expect.stringMatching(/exited with code 3/) });
    // A failing test explains a non-zero exit: no extra failure.
    expect(report([run('f.test.js', [result('fails', { passed: false, failureType: 'testCodeFailure', error: { name: 'Error', message: 'x' } })], { kind: 'done', exitCode: 1 })])).toMatchObject({ failed: 1 });
  });

  test('a crash before any test: the file fails with what it printed', () => {
    const crashed = report([run('crash.test.js', [{ type: 'output', stream: 'stderr', text: "Error: Cannot find module '/project/x.js'\n" }], { kind: 'done', exitCode: 1 })]);
    expect(crashed.failures).toEqual([expect.objectContaining({ name: 'crash.test.js', message: expect.stringMatching(/Cannot find module 'x\.js'|Cannot find module '\/project\/x\.js'/) })]);
  });

  test('a time-out names the file, and the test that was running', () => {
    const timedOut = report([
      run(
        'spin.test.js',
        [
          { type: 'test', event: { type: 'begin', name: 'first' } },
          result('first'),
          { type: 'test', event: { type: 'begin', name: 'spins' } },
        ],
        { kind: 'timeout' },
      ),
      run('next.test.js', [result('next')]),
    ]);
    expect(timedOut.timedOut).toEqual(['spin.test.js']);
    expect(timedOut).toMatchObject({ passed: 2, failed: 1 });
    expect(timedOut.failures[0]?.message).toMatch(/timed out after 1000ms[\s\S]*running "spins"/);
  });

  test('top-level numbering continues across files; a worker failure fails its file', () => {
    const tap = writeTap([run('a.test.js', [result('one')]), run('b.test.js', [], { kind: 'failed', message: 'worker died', boot: false })]);
    expect(tap).toMatch(/^ok 1 - one$/m);
    expect(tap).toMatch(/^not ok 2 - \/project\/b\.test\.js$/m);
    expect(tap).toContain('1..2\n');
  });
});
