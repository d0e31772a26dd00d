/**
 * Projects run both by real `node --test` (the Node sandbox) and by the worker sandbox, whose reports must
 * agree: counts, failing names (in order) and time-outs. Each exercises one area of `node:test`, the
 * assert port, the module loader or the built-ins, with passing AND failing tests, so that a difference in
 * semantics shows up as a difference in the reports.
 *
 * `nodeOnlyUnsafe`: the project throws errors nobody catches, or sets the exit code, which the in-process
 * unit run (vitest, `run-in-node.ts`) cannot contain; those run only in the browser spec.
 */

export interface ParityProject {
  name: string;
  files: Record<string, string>;
  nodeOnlyUnsafe?: boolean;
}

const esm = { 'package.json': '{ "type": "module" }\n' };
const header = "import { test, describe, it, before, after, beforeEach, afterEach, mock } from 'node:test';\nimport assert from 'node:assert/strict';\n";

export const parityProjects: ParityProject[] = [
  {
    name: 'hook order at every level, root hooks included',
    files: {
      ...esm,
      'hooks.test.js': `${header}
const log = [];
before(() => log.push('root before'));
beforeEach((t) => log.push('root beforeEach ' + t.name));
afterEach((t) => log.push('root afterEach ' + t.name));
describe('outer', () => {
  before(() => log.push('outer before'));
  beforeEach(() => log.push('outer beforeEach'));
  afterEach(() => log.push('outer afterEach'));
  after(() => log.push('outer after'));
  it('one', () => { log.push('one'); });
  describe('inner', () => {
    beforeEach(() => log.push('inner beforeEach'));
    it('two', () => { log.push('two'); });
  });
});
test('the order', () => {
  assert.deepEqual(log, [
    'root before', 'outer before', 'outer beforeEach', 'one', 'outer afterEach',
    'outer beforeEach', 'inner beforeEach', 'two', 'outer afterEach', 'outer after',
    'root beforeEach the order',
  ]);
});
test('a wrong expectation about hooks', () => { assert.equal(log.includes('root afterEach one'), true); });
`,
    },
  },
  {
    name: 'skip, todo and only in every form',
    files: {
      ...esm,
      'plan.test.js': `${header}
test('runs', () => {});
test.skip('skipped', () => { throw new Error('no'); });
test('skip option with reason', { skip: 'not today' }, () => { throw new Error('no'); });
test('todo option, failing', { todo: true }, () => { throw new Error('todo fails'); });
test('todo option, passing', { todo: 'later' }, () => {});
test.todo('todo without body');
test('skips itself', (t) => { t.skip('decided inside'); });
test('todo itself then fails', (t) => { t.todo(); throw new Error('x'); });
test('only is ignored without --test-only', { only: true }, () => {});
it.only('it.only too', () => {});
describe.skip('a skipped suite', () => { it('never', () => { throw new Error('no'); }); });
describe.todo('a todo suite', () => { it('inside a todo suite fails', () => { throw new Error('counted?'); }); });
describe('suite with a skipped child', () => { it.skip('child'); it('sibling', () => {}); });
test('plain failure', () => { assert.fail('boom'); });
`,
    },
  },
  {
    name: 'subtests: awaited, forgotten, nested, failing',
    files: {
      ...esm,
      'sub.test.js': `${header}
test('parent awaits', async (t) => {
  await t.test('a', () => {});
  await t.test('b', async (t2) => {
    await t2.test('b1', () => {});
    await t2.test('b2', () => { assert.equal(1, 2); });
  });
});
test('forgets to await', (t) => {
  t.test('late child', async () => { await new Promise((r) => setTimeout(r, 30)); });
});
test('todo subtest failing does not fail the parent', async (t) => {
  await t.test('todo child', { todo: true }, () => { throw new Error('x'); });
});
test('subtest named by its function', async (t) => {
  await t.test(function namedFn() {});
  await t.test(() => {});
});
`,
    },
  },
  {
    name: 'async tests, callbacks and per-test time-outs',
    files: {
      ...esm,
      'async.test.js': `${header}
const wait = (ms) => new Promise((r) => setTimeout(r, ms));
test('resolves', async () => { await wait(5); });
test('rejects with a non-error', async () => { await wait(1); throw 'a string'; });
test('done with an error', (t, done) => { setTimeout(() => done(new Error('via done')), 1); });
test('done without error', (t, done) => { setTimeout(done, 1); });
test('callback and promise', async (t, done) => { done(); });
test('times out', { timeout: 40 }, async () => { await wait(2000); });
test('fast enough', { timeout: 2000 }, async () => { await wait(5); });
test('throws synchronously', () => { throw new TypeError('sync'); });
describe('suite time-out', { timeout: 40 }, () => {
  it('slow child', async () => { await wait(2000); });
});
`,
    },
  },
  {
    name: 'failing hooks and failing suite bodies',
    files: {
      ...esm,
      'hookfail.test.js': `${header}
describe('before fails', () => {
  before(() => { throw new Error('before boom'); });
  it('x', () => {});
  it('y', () => {});
});
describe('afterEach fails', () => {
  afterEach(() => { throw new Error('afterEach boom'); });
  it('first', () => {});
  it('second', () => {});
});
describe('async beforeEach rejects', () => {
  beforeEach(async () => { throw new Error('rejected'); });
  it('z', () => {});
});
describe('the body throws', () => {
  it('declared before the throw', () => {});
  throw new Error('suite body');
});
describe('after fails', () => {
  after(() => { throw new Error('after boom'); });
  it('passes anyway', () => {});
});
test('still runs', () => {});
`,
    },
  },
  {
    name: 'assertions of node:assert and node:assert/strict',
    files: {
      ...esm,
      'assert.test.js': `import { test } from 'node:test';
import assert from 'node:assert';
import strict, { deepStrictEqual, throws } from 'node:assert/strict';
test('loose deepEqual passes on 1 vs "1"', () => { assert.deepEqual({ a: 1 }, { a: '1' }); });
test('strict deepEqual fails on 1 vs "1"', () => { strict.deepEqual({ a: 1 }, { a: '1' }); });
test('deepStrictEqual of maps and sets', () => { deepStrictEqual(new Map([[1, new Set([2])]]), new Map([[1, new Set([2])]])); });
test('deepStrictEqual sees prototypes', () => { class A {} deepStrictEqual(new A(), {}); });
test('throws with a class and a regex', () => {
  throws(() => { throw new RangeError('out of range'); }, RangeError);
  throws(() => { throw new RangeError('out of range'); }, /out of/);
  throws(() => { throw new RangeError('out of range'); }, { name: 'RangeError', message: 'out of range' });
});
test('throws when nothing is thrown', () => { throws(() => {}); });
test('rejects and doesNotReject', async () => {
  await strict.rejects(Promise.reject(new Error('r')), /r/);
  await strict.doesNotReject(Promise.resolve(1));
});
test('match and doesNotMatch', () => { strict.match('abc', /b/); strict.doesNotMatch('abc', /z/); });
test('match fails', () => { strict.match('abc', /z/); });
test('strictEqual NaN', () => { strict.strictEqual(NaN, NaN); });
test('notStrictEqual fails', () => { strict.notStrictEqual(1, 1); });
test('ok with a message', () => { assert.ok(0, 'zero is falsy'); });
test('ifError', () => { assert.ifError(null); assert.ifError(new Error('if error')); });
test('equal is loose in node:assert', () => { assert.equal(1, '1'); });
test('equal is strict in node:assert/strict', () => { strict.equal(1, '1'); });
test('AssertionError is exported', () => { assert.ok(new assert.AssertionError({ message: 'm' }) instanceof Error); });
`,
    },
  },
  {
    name: 'mock.fn, mock.method and t.mock',
    files: {
      ...esm,
      'mock.test.js': `${header}
test('mock.fn counts calls and results', () => {
  const fn = mock.fn((a, b) => a + b);
  assert.equal(fn(1, 2), 3);
  fn(3, 4);
  assert.equal(fn.mock.callCount(), 2);
  assert.deepEqual(fn.mock.calls[1].arguments, [3, 4]);
  assert.equal(fn.mock.calls[0].result, 3);
});
test('mockImplementationOnce then the default', () => {
  const fn = mock.fn(() => 'default');
  fn.mock.mockImplementationOnce(() => 'once');
  assert.deepEqual([fn(), fn()], ['once', 'default']);
});
test('t.mock.method is restored after the test', (t) => {
  const clock = { now: () => 1 };
  t.mock.method(clock, 'now', () => 42);
  assert.equal(clock.now(), 42);
  globalThis.__clock = clock;
});
test('restored', () => { assert.equal(globalThis.__clock.now(), 1); });
test('a wrong call count', () => { const fn = mock.fn(); fn(); assert.equal(fn.mock.callCount(), 2); });
test('mock.fn with times', () => {
  const fn = mock.fn(() => 'original', () => 'mocked', { times: 1 });
  assert.deepEqual([fn(), fn()], ['mocked', 'original']);
});
`,
    },
  },
  {
    name: 'ES modules: cycles, hoisting, live bindings, TDZ, exports of every form',
    files: {
      ...esm,
      'src/a.js': `import { fromB, bValue } from './b.js';
export function hoisted() { return 'hoisted from a'; }
export let counter = 0;
export function bump() { counter += 1; return counter; }
export const seenByA = fromB();
export const readB = () => bValue;
`,
      'src/b.js': `import { hoisted, counter } from './a.js';
export const calledDuringCycle = hoisted();
let tdz;
try { tdz = counter; } catch (error) { tdz = error.constructor.name; }
export const counterDuringCycle = tdz;
export function fromB() { return 'from b'; }
export let bValue = 1;
export function setB(v) { bValue = v; }
`,
      'src/defaults.js': `export default function () { return 'anon'; }
export class Named {}
`,
      'src/default-class.js': 'export default class { static kind = "anon class"; }\n',
      'src/default-expr.js': 'const value = { answer: 42 };\nexport default (value);\n',
      'src/re.js': `export * from './a.js';
export { fromB as renamed } from './b.js';
export * as bNamespace from './b.js';
export { default } from './defaults.js';
`,
      'src/star1.js': 'export const shared = 1;\nexport const only1 = 1;\n',
      'src/star2.js': 'export const shared = 2;\nexport const only2 = 2;\n',
      'src/stars.js': "export * from './star1.js';\nexport * from './star2.js';\n",
      'src/data.json': '{ "name": "data", "list": [1, 2] }\n',
      'src/tla.js': "export const loaded = await Promise.resolve('after await');\n",
      'modules.test.js': `${header}
import { hoisted, counter, bump, seenByA, readB } from './src/a.js';
import { calledDuringCycle, counterDuringCycle, setB } from './src/b.js';
import anon, { Named } from './src/defaults.js';
import AnonClass from './src/default-class.js';
import expr from './src/default-expr.js';
import * as re from './src/re.js';
import * as stars from './src/stars.js';
import data from './src/data.json' with { type: 'json' };
import { loaded } from './src/tla.js';
test('a cycle calls a hoisted function before the body ran', () => { assert.equal(calledDuringCycle, 'hoisted from a'); });
test('a cycle meets the TDZ of a let', () => { assert.equal(counterDuringCycle, 'ReferenceError'); });
test('bindings are live', () => { assert.equal(counter, 0); bump(); bump(); assert.equal(counter, 2); setB(5); assert.equal(readB(), 5); });
test('values across the cycle', () => { assert.equal(seenByA, 'from b'); assert.equal(hoisted(), 'hoisted from a'); });
test('default exports are named default', () => { assert.equal(anon.name, 'default'); assert.equal(AnonClass.name, 'default'); assert.equal(anon(), 'anon'); assert.equal(Named.name, 'Named'); });
test('export default of an expression', () => { assert.equal(expr.answer, 42); });
test('namespace objects', () => {
  assert.equal(Object.prototype.toString.call(re), '[object Module]');
  assert.deepEqual(Object.keys(re), ['bNamespace', 'bump', 'counter', 'default', 'hoisted', 'readB', 'renamed', 'seenByA']);
  assert.equal(re.renamed(), 'from b');
  assert.equal(re.bNamespace.fromB(), 'from b');
  assert.equal(re.default(), 'anon');
  assert.throws(() => { re.extra = 1; }, TypeError);
});
test('ambiguous star exports are left out', () => { assert.deepEqual(Object.keys(stars), ['only1', 'only2']); });
test('JSON modules', () => { assert.deepEqual(data, { name: 'data', list: [1, 2] }); });
test('top-level await in a dependency', () => { assert.equal(loaded, 'after await'); });
test('dynamic import of a project file', async () => { const m = await import('./src/b.js'); assert.equal(m.fromB(), 'from b'); });
test('dynamic import of a missing file', async () => { await assert.rejects(import('./src/nope.js'), { code: 'ERR_MODULE_NOT_FOUND' }); });
test('import.meta.url names the file', () => { assert.match(import.meta.url, /^file:\\/\\/.*\\/modules\\.test\\.js$/); });
test('assigning to an import fails', () => { assert.throws(() => { counter = 1; }, TypeError); });
test('a deliberate failure to prove this file is really compared', () => { assert.equal(counter, -1); });
`,
    },
  },
  {
    name: 'a module that throws while loading fails its file',
    files: {
      ...esm,
      'src/broken.js': "export const x = 1;\nthrow new Error('broken at load');\n",
      'load.test.js': `import { test } from 'node:test';\nimport { x } from './src/broken.js';\ntest('never runs', () => { console.log(x); });\n`,
      'ok.test.js': "import { test } from 'node:test';\ntest('other file runs', () => {});\n",
    },
  },
  {
    name: 'a missing export and a file without tests',
    files: {
      ...esm,
      'src/lib.js': 'export const present = 1;\n',
      'missing-export.test.js': "import { test } from 'node:test';\nimport { absent } from './src/lib.js';\ntest('never', () => {});\n",
      'no-tests.test.js': "console.log('no tests here');\n",
    },
  },
  {
    name: 'built-ins: events, path, util, url, timers/promises',
    files: {
      ...esm,
      'builtins.test.js': `${header}
import { EventEmitter, once } from 'node:events';
import path from 'node:path';
import { format, inspect, isDeepStrictEqual, promisify, types } from 'node:util';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
test('EventEmitter order, once and errors', async () => {
  const e = new EventEmitter();
  const seen = [];
  e.on('x', (v) => seen.push('on ' + v));
  e.prependListener('x', (v) => seen.push('first ' + v));
  e.once('x', (v) => seen.push('once ' + v));
  e.emit('x', 1); e.emit('x', 2);
  assert.deepEqual(seen, ['first 1', 'on 1', 'once 1', 'first 2', 'on 2']);
  assert.throws(() => e.emit('error', new Error('unhandled')), /unhandled/);
  setTimeout(() => e.emit('ready', 7), 1);
  assert.deepEqual(await once(e, 'ready'), [7]);
});
test('path', () => {
  assert.equal(path.join('a', '..', 'b', 'c.js'), 'b/c.js');
  assert.equal(path.extname('x.test.js'), '.js');
  assert.equal(path.relative('/a/b', '/a/c/d'), '../c/d');
});
test('util', async () => {
  assert.equal(format('%s=%d', 'n', 4), 'n=4');
  assert.equal(inspect({ a: [1, 2] }), '{ a: [ 1, 2 ] }');
  assert.equal(isDeepStrictEqual({ a: 1 }, { a: 1 }), true);
  assert.equal(types.isPromise(Promise.resolve()), true);
  const cb = (v, done) => setTimeout(() => done(null, v * 2), 1);
  assert.equal(await promisify(cb)(21), 42);
});
test('url', () => {
  const here = fileURLToPath(import.meta.url);
  assert.equal(path.basename(here), 'builtins.test.js');
  assert.equal(pathToFileURL(here).href, import.meta.url);
});
test('timers/promises', async () => { assert.equal(await sleep(5, 'slept'), 'slept'); });
test('a failing built-in expectation', () => { assert.equal(path.sep, '\\\\'); });
`,
    },
  },
  {
    name: 'console output and diagnostics do not disturb the counts',
    files: {
      ...esm,
      'noise.test.js': `${header}
console.log('at load # with a hash');
test('logs', (t) => { console.log('line one\\nline two'); console.error('to stderr'); t.diagnostic('a note'); });
test('logs then fails', () => { console.log({ deep: { object: [1, 2, 3] } }); assert.ok(false); });
`,
    },
  },
  {
    name: 'describe with concurrency reports in declaration order',
    files: {
      ...esm,
      'concurrent.test.js': `${header}
const wait = (ms) => new Promise((r) => setTimeout(r, ms));
describe('concurrent', { concurrency: true }, () => {
  it('slow', async () => { await wait(40); });
  it('fast but failing', async () => { await wait(1); assert.equal('fast', 'slow'); });
  it('medium', async () => { await wait(20); });
});
`,
    },
  },
  {
    name: 'errors nobody caught fail the running test',
    nodeOnlyUnsafe: true,
    files: {
      ...esm,
      'uncaught.test.js': `${header}
test('throws from a timer', (t, done) => { setTimeout(() => { throw new Error('late throw'); }, 1); });
test('rejects without a handler', async () => { Promise.reject(new Error('nobody caught me')); await new Promise((r) => setTimeout(r, 20)); });
test('after them', () => {});
`,
    },
  },
  {
    name: 'exit codes: process.exitCode and process.exit',
    nodeOnlyUnsafe: true,
    files: {
      ...esm,
      'exitcode.test.js': "import { test } from 'node:test';\ntest('passes', () => {});\nprocess.exitCode = 3;\n",
      'exit.test.js': "import { test } from 'node:test';\ntest('never reported', () => {});\nprocess.exit(0);\n",
      'exit-late.test.js': "import { test } from 'node:test';\ntest('exits inside', () => { process.exit(2); });\ntest('never', () => {});\n",
    },
  },
];
