/**
 * The ONE contract suite of the sandbox port (DESIGN.md §7, CONVENTIONS.md): runner-independent cases, each
 * plain data (files, an operation, limits) plus a `check` that throws when the sandbox broke the contract.
 *
 * How a runner uses it: for each case, create a fresh sandbox, `runContractCase(sandbox, case)` (sync every
 * file, then the operation), and `case.check(result, { kind: sandbox.kind })`. vitest does this against the
 * Node sandbox (`tests/unit/sandbox/node-sandbox.contract.test.ts`); Playwright specs do it against the
 * worker sandbox and the WebContainer adapter over a fake WebContainer, running the case's data in the page
 * (`contract-projects/runner.ts` is browser-safe) and `check` here in Node. `check` uses node:assert and
 * never runs in the browser.
 *
 * Where the worker sandbox cannot do what a full sandbox does (Node built-ins like `fs`, packages), the
 * check expects `unsupported` saying the code needs the full sandbox; `needs` lists those requirements.
 */
import assert from 'node:assert/strict';
import type { RunFileResult, SyntaxReport, TestReport } from '../../src/sandbox/types.ts';
import type { ContractCaseData, ContractContext, ContractResult } from './contract-projects/runner.ts';

export { contractChanges, runContractCase, DEFAULT_CONTRACT_PER_FILE_TIMEOUT_MS, DEFAULT_CONTRACT_TIMEOUT_MS } from './contract-projects/runner.ts';
export type { ContractCaseData, ContractContext, ContractNeed, ContractOp, ContractResult } from './contract-projects/runner.ts';

export interface ContractCase extends ContractCaseData {
  check(result: ContractResult, ctx: ContractContext): void;
}

const esm = { 'package.json': '{ "type": "module" }\n' };

function testsOf(result: ContractResult): TestReport {
  assert.equal(result.kind, 'runTests');
  return result.report;
}

function runOf(result: ContractResult): RunFileResult {
  assert.equal(result.kind, 'runFile');
  return result.result;
}

function syntaxOf(result: ContractResult): SyntaxReport {
  assert.equal(result.kind, 'checkSyntax');
  return result.report;
}

const isFull = (ctx: ContractContext) => ctx.kind !== 'worker';

function counts(report: TestReport) {
  return { passed: report.passed, failed: report.failed, skipped: report.skipped, todo: report.todo };
}

function assertUnsupported(value: { unsupported?: string }) {
  assert.match(value.unsupported ?? '', /full sandbox/i, 'expected "needs the full sandbox"');
}

/** A passing report: no failures and nothing unsupported. */
function assertGreen(report: TestReport) {
  assert.equal(report.unsupported, undefined);
  assert.deepEqual(report.failures, []);
  assert.equal(report.failed, 0);
  assert.deepEqual(report.timedOut, []);
}

function failureNamed(report: TestReport, name: string) {
  const failure = report.failures.find((f) => f.name === name);
  assert.ok(failure, `no failure named ${JSON.stringify(name)} in ${JSON.stringify(report.failures.map((f) => f.name))}`);
  return failure;
}

export const sandboxContractCases: ContractCase[] = [
  {
    name: 'passing tests',
    files: {
      ...esm,
      'src/math.js': 'export const add = (a, b) => a + b;\nexport const mul = (a, b) => a * b;\n',
      'test/math.test.js': `import { test } from 'node:test';
import assert from 'node:assert/strict';
import { add, mul } from '../src/math.js';
test('adds', () => { assert.equal(add(2, 3), 5); });
test('multiplies', () => { assert.equal(mul(2, 3), 6); });
`,
    },
    op: { kind: 'runTests' },
    check(result) {
      const report = testsOf(result);
      assertGreen(report);
      assert.deepEqual(counts(report), { passed: 2, failed: 0, skipped: 0, todo: 0 });
    },
  },
  {
    name: 'a failing assertion: name, file, message and deepStrictEqual diff',
    files: {
      ...esm,
      'cart.test.js': `import { test } from 'node:test';
import assert from 'node:assert/strict';
test('keeps its items', () => { assert.equal(1, 1); });
test('sums a cart', () => {
  assert.deepStrictEqual({ total: 41, items: ['apple', 'pear'] }, { total: 42, items: ['apple', 'pear'] });
});
`,
    },
    op: { kind: 'runTests' },
    check(result) {
      const report = testsOf(result);
      assert.deepEqual(counts(report), { passed: 1, failed: 1, skipped: 0, todo: 0 });
      const failure = failureNamed(report, 'sums a cart');
      assert.equal(failure.file, 'cart.test.js');
      assert.match(failure.message, /strictly deep-equal/);
      assert.match(failure.message, /41/);
      assert.match(failure.message, /42/);
      if (failure.location !== undefined) assert.match(failure.location, /^cart\.test\.js:\d+:\d+$/);
      assert.match(report.output, /sums a cart/);
    },
  },
  {
    name: 'nested describe/it names',
    files: {
      ...esm,
      'shop.test.js': `import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
describe('shop', () => {
  describe('totals', () => {
    it('sums prices', () => { assert.equal(1 + 2, 3); });
    it('applies a discount', () => { assert.equal(100 * 0.9, 80); });
  });
  it('starts empty', () => {});
});
`,
    },
    op: { kind: 'runTests' },
    check(result) {
      const report = testsOf(result);
      assert.deepEqual(counts(report), { passed: 2, failed: 1, skipped: 0, todo: 0 });
      assert.deepEqual(report.failures.map((f) => f.name), ['shop > totals > applies a discount']);
      assert.match(report.failures[0]?.message ?? '', /90/);
    },
  },
  {
    name: 'skip and todo are counted, not failed',
    files: {
      ...esm,
      'plan.test.js': `import { describe, it, test } from 'node:test';
test('runs', () => {});
test.skip('skipped', () => { throw new Error('must not run'); });
test('skipped with a reason', { skip: 'later' }, () => { throw new Error('must not run'); });
test.todo('to do');
describe('suite', () => { it.todo('failing todo', () => { throw new Error('not yet'); }); });
`,
    },
    op: { kind: 'runTests' },
    check(result) {
      const report = testsOf(result);
      assertGreen(report);
      assert.deepEqual(counts(report), { passed: 1, failed: 0, skipped: 2, todo: 2 });
    },
  },
  {
    name: 'async tests: awaits, rejections and done callbacks',
    files: {
      ...esm,
      'async.test.js': `import { test } from 'node:test';
import assert from 'node:assert/strict';
const later = (value, ms) => new Promise((resolve) => setTimeout(() => resolve(value), ms));
test('awaits a value', async () => { assert.equal(await later(7, 5), 7); });
test('rejects', async () => { await later(0, 5); throw new Error('async boom'); });
test('calls done', (t, done) => { setTimeout(done, 5); });
test('assert.rejects', async () => { await assert.rejects(later(1, 1).then(() => { throw new TypeError('bad'); }), TypeError); });
`,
    },
    op: { kind: 'runTests' },
    check(result) {
      const report = testsOf(result);
      assert.deepEqual(counts(report), { passed: 3, failed: 1, skipped: 0, todo: 0 });
      assert.match(failureNamed(report, 'rejects').message, /async boom/);
    },
  },
  {
    name: 'hooks: before, after, beforeEach, afterEach',
    files: {
      ...esm,
      'hooks.test.js': `import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
const log = [];
describe('with hooks', () => {
  before(() => log.push('before'));
  beforeEach(() => log.push('beforeEach'));
  afterEach(() => log.push('afterEach'));
  after(() => log.push('after'));
  it('first', () => { assert.deepEqual(log, ['before', 'beforeEach']); });
  it('second', () => { assert.deepEqual(log, ['before', 'beforeEach', 'afterEach', 'beforeEach']); });
});
describe('failing hook', () => {
  beforeEach(() => { throw new Error('beforeEach boom'); });
  it('never really runs', () => {});
});
`,
    },
    op: { kind: 'runTests' },
    check(result) {
      const report = testsOf(result);
      assert.equal(report.passed, 2);
      assert.equal(report.failed, 1);
      assert.match(failureNamed(report, 'failing hook > never really runs').message, /beforeEach boom/);
    },
  },
  {
    name: 'subtests via t.test',
    files: {
      ...esm,
      'sub.test.js': `import { test } from 'node:test';
import assert from 'node:assert/strict';
test('parent', async (t) => {
  await t.test('child passes', () => {});
  await t.test('child fails', () => { assert.equal('a', 'b'); });
});
`,
    },
    op: { kind: 'runTests' },
    check(result) {
      const report = testsOf(result);
      assert.deepEqual(counts(report), { passed: 1, failed: 1, skipped: 0, todo: 0 });
      assert.deepEqual(report.failures.map((f) => f.name), ['parent > child fails']);
    },
  },
  {
    name: 'a busy loop is stopped at the per-file timeout and reported as timed out',
    files: {
      ...esm,
      'busy.test.js': `import { test } from 'node:test';
test('spins forever', () => { while (true) {} });
`,
      'fine.test.js': `import { test } from 'node:test';
test('still runs', () => {});
`,
    },
    op: { kind: 'runTests' },
    perFileTimeoutMs: 1000,
    timeoutMs: 30_000,
    check(result) {
      const report = testsOf(result);
      assert.ok(report.failed >= 1, 'the busy file fails');
      assert.ok(
        report.timedOut.some((entry) => entry.includes('busy.test.js') || entry.includes('spins forever')),
        `timedOut names the busy file or test: ${JSON.stringify(report.timedOut)}`,
      );
      assert.ok(!report.timedOut.some((entry) => entry.includes('fine')), 'the other file did not time out');
      assert.equal(report.passed, 1);
    },
  },
  {
    name: 'a timer that never ends is stopped at the per-file timeout',
    files: {
      ...esm,
      'timer.test.js': `import { test } from 'node:test';
test('waits on an interval forever', async () => { await new Promise(() => setInterval(() => {}, 50)); });
`,
    },
    op: { kind: 'runTests' },
    perFileTimeoutMs: 1000,
    timeoutMs: 30_000,
    check(result) {
      const report = testsOf(result);
      assert.ok(report.failed >= 1);
      assert.ok(report.timedOut.length >= 1, 'reported as timed out');
      assert.equal(report.passed, 0);
    },
  },
  {
    name: 'relative imports between files, including a cycle',
    files: {
      ...esm,
      'src/even.js': `import { isOdd } from './odd.js';
export const isEven = (n) => (n === 0 ? true : isOdd(n - 1));
`,
      'src/odd.js': `import { isEven } from './even.js';
export const isOdd = (n) => (n === 0 ? false : isEven(n - 1));
`,
      'src/util/format.js': `import { isEven } from '../even.js';
export const describeNumber = (n) => \`\${n} is \${isEven(n) ? 'even' : 'odd'}\`;
`,
      'test/parity.test.js': `import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeNumber } from '../src/util/format.js';
import { isOdd } from '../src/odd.js';
test('cycle works', () => { assert.equal(describeNumber(10), '10 is even'); assert.equal(isOdd(7), true); });
`,
    },
    op: { kind: 'runTests' },
    check(result) {
      const report = testsOf(result);
      assertGreen(report);
      assert.equal(report.passed, 1);
    },
  },
  {
    name: 'a TypeScript source with its TypeScript test',
    files: {
      ...esm,
      'src/stack.ts': `export interface Stack<T> { push(item: T): void; pop(): T | undefined; readonly size: number }
export enum Kind { Empty = 'empty', Full = 'full' }
export function createStack<T>(): Stack<T> {
  const items: T[] = [];
  return { push: (item: T) => { items.push(item); }, pop: () => items.pop(), get size() { return items.length; } };
}
export const kindOf = (stack: Stack<unknown>): Kind => (stack.size === 0 ? Kind.Empty : Kind.Full);
`,
      'src/stack.test.ts': `import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createStack, kindOf, Kind, type Stack } from './stack.ts';
test('pushes and pops', () => {
  const stack: Stack<number> = createStack<number>();
  stack.push(1);
  stack.push(2);
  assert.equal(stack.pop(), 2);
  assert.equal(kindOf(stack), Kind.Full);
});
test('a typed failure', () => { const n: number = 1; assert.equal(n as number, 2); });
`,
    },
    op: { kind: 'runTests' },
    check(result) {
      const report = testsOf(result);
      assert.equal(report.unsupported, undefined);
      assert.deepEqual(counts(report), { passed: 1, failed: 1, skipped: 0, todo: 0 });
      const failure = failureNamed(report, 'a typed failure');
      assert.equal(failure.file, 'src/stack.test.ts');
    },
  },
  {
    name: 'zero test files give a report with zero tests',
    files: { ...esm, 'src/index.js': 'export const x = 1;\n' },
    op: { kind: 'runTests', paths: [] },
    check(result) {
      const report = testsOf(result);
      assert.deepEqual(counts(report), { passed: 0, failed: 0, skipped: 0, todo: 0 });
      assert.deepEqual(report.failures, []);
      assert.equal(report.unsupported, undefined);
    },
  },
  {
    name: '10 MB of output is cut to the limit, keeping the failing test',
    files: {
      ...esm,
      'noisy.test.js': `import { test } from 'node:test';
test('prints ten megabytes', () => {
  const line = 'x'.repeat(99);
  for (let i = 0; i < 100_000; i++) console.log(line);
});
test('the failing one', () => { throw new Error('found after the noise'); });
`,
    },
    op: { kind: 'runTests' },
    timeoutMs: 120_000,
    perFileTimeoutMs: 60_000,
    check(result) {
      const report = testsOf(result);
      assert.ok(report.output.length <= 8000, `output is ${report.output.length} characters`);
      assert.match(report.output, /the failing one/);
      assert.deepEqual(report.failures.map((f) => f.name), ['the failing one']);
      assert.match(report.failures[0]?.message ?? '', /found after the noise/);
      assert.equal(report.passed, 1);
    },
  },
  {
    name: 'importing a missing file fails the test file',
    files: {
      ...esm,
      'a.test.js': `import { test } from 'node:test';
import { helper } from './lib/missing.js';
test('uses a helper', () => { helper(); });
`,
    },
    op: { kind: 'runTests' },
    check(result) {
      const report = testsOf(result);
      assert.equal(report.unsupported, undefined);
      assert.ok(report.failed >= 1);
      assert.equal(report.passed, 0);
      const failure = report.failures[0];
      assert.equal(failure?.file, 'a.test.js');
      assert.match(failure?.message ?? '', /missing\.js/);
    },
  },
  {
    name: 'runFile prints to the console and exits 0',
    files: { ...esm, 'src/main.js': "import { greet } from './greet.js';\nconsole.log(greet('sandbox'));\nconsole.error('to stderr');\n", 'src/greet.js': 'export const greet = (name) => `hello from ${name}`;\n' },
    op: { kind: 'runFile', path: 'src/main.js' },
    check(result) {
      const run = runOf(result);
      assert.equal(run.unsupported, undefined);
      assert.equal(run.exitCode, 0);
      assert.equal(run.timedOut, false);
      assert.match(run.output, /hello from sandbox/);
      assert.match(run.output, /to stderr/);
    },
  },
  {
    name: 'runFile with process.exit(3)',
    files: { ...esm, 'exit.js': "console.log('before exit');\nprocess.exit(3);\n" },
    op: { kind: 'runFile', path: 'exit.js' },
    needs: ['process'],
    check(result, ctx) {
      const run = runOf(result);
      if (run.unsupported !== undefined && !isFull(ctx)) return assertUnsupported(run);
      assert.equal(run.exitCode, 3);
      assert.match(run.output, /before exit/);
    },
  },
  {
    name: 'runFile with arguments',
    files: { ...esm, 'args.js': "console.log(process.argv.slice(2).join('|'));\n" },
    op: { kind: 'runFile', path: 'args.js', args: ['a b', '--flag', '3'] },
    needs: ['process'],
    check(result, ctx) {
      const run = runOf(result);
      if (run.unsupported !== undefined && !isFull(ctx)) return assertUnsupported(run);
      assert.equal(run.exitCode, 0);
      assert.match(run.output, /a b\|--flag\|3/);
    },
  },
  {
    name: 'runFile of a busy loop is stopped at its timeout',
    files: { ...esm, 'spin.js': "console.log('spinning');\nwhile (true) {}\n" },
    op: { kind: 'runFile', path: 'spin.js' },
    timeoutMs: 1500,
    check(result) {
      const run = runOf(result);
      assert.equal(run.timedOut, true);
      assert.equal(run.exitCode, null);
    },
  },
  {
    name: "checkSyntax: Node rejects what the in-app parser accepts, and reports real errors",
    files: {
      ...esm,
      'src/pattern.js': 'export const pattern = /(unclosed/;\n',
      'src/broken.mjs': 'export function f() {\n  return {;\n}\n',
      'src/fine.js': 'export const fine = (x) => x?.y ?? 1;\nthrow new Error("checking must not run code");\n',
      'src/script.cjs': 'if (!module) return;\nmodule.exports = 1;\n',
    },
    op: { kind: 'checkSyntax', paths: ['src/pattern.js', 'src/broken.mjs', 'src/fine.js', 'src/script.cjs'] },
    check(result) {
      const report = syntaxOf(result);
      if (report.unsupported !== undefined) assert.fail(`checkSyntax unsupported: ${report.unsupported}`);
      assert.deepEqual(report.issues.map((issue) => issue.file).sort(), ['src/broken.mjs', 'src/pattern.js']);
      const pattern = report.issues.find((issue) => issue.file === 'src/pattern.js');
      assert.match(pattern?.message ?? '', /regular expression/i);
      const broken = report.issues.find((issue) => issue.file === 'src/broken.mjs');
      if (broken?.line !== undefined) assert.equal(broken.line, 2);
    },
  },
  {
    name: 'a test using node:fs (full sandboxes run it; the worker needs the full sandbox)',
    files: {
      ...esm,
      'data/greeting.txt': 'hello',
      'fs.test.js': `import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
test('reads a file', () => { assert.equal(readFileSync('data/greeting.txt', 'utf8'), 'hello'); });
`,
    },
    op: { kind: 'runTests' },
    needs: ['fs'],
    check(result, ctx) {
      const report = testsOf(result);
      if (!isFull(ctx)) return assertUnsupported(report);
      assertGreen(report);
      assert.equal(report.passed, 1);
    },
  },
  {
    name: 'a bare package import without node_modules',
    files: {
      ...esm,
      'pad.test.js': `import { test } from 'node:test';
import leftPad from 'left-pad';
test('pads', () => { leftPad('1', 3); });
`,
    },
    op: { kind: 'runTests' },
    needs: ['packages'],
    check(result, ctx) {
      const report = testsOf(result);
      if (!isFull(ctx)) return assertUnsupported(report);
      assert.equal(report.unsupported, undefined);
      assert.ok(report.failed >= 1);
      assert.match(report.failures[0]?.message ?? '', /Cannot find package 'left-pad'/);
    },
  },
];
