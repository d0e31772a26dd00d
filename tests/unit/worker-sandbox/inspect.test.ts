import * as nodeUtil from 'node:util';
import { describe, expect, test } from 'vitest';
import { format } from '../../../src/sandbox/worker-runtime/builtins/format.ts';
import { inspect } from '../../../src/sandbox/worker-runtime/builtins/inspect.ts';

class Point {
  constructor(
    public x: number,
    public y: number,
  ) {}
}
class Base {}
class Derived extends Base {
  tag = 'd';
}
const circular: Record<string, unknown> = { name: 'root', list: [1, 2] };
circular.self = circular;
const nested: Record<string, unknown> = { a: { b: { c: { d: { e: 1 } } } } };
const withGetter = Object.defineProperty({ plain: 1 }, 'computed', { get: () => 42, enumerable: true });
const nullProto = Object.assign(Object.create(null) as object, { a: 1 });
const sparse = [1, , , 4]; // eslint-disable-line no-sparse-arrays
const withExtra = Object.assign([1, 2], { extra: true });

/** Values whose inspection must equal Node's, byte for byte. */
const corpus: Record<string, unknown> = {
  string: 'text',
  'string with quote': "it's",
  'string with both quotes': `it's "x"`,
  'string with newline': 'a\nb',
  number: 42,
  'negative zero': -0,
  bigint: 10n,
  symbol: Symbol('s'),
  undefined: undefined,
  null: null,
  boolean: true,
  'empty object': {},
  'empty array': [],
  object: { a: 1, 'b-c': 'x', [Symbol('k')]: true },
  array: [1, 'two', { three: 3 }],
  'long array of numbers': Array.from({ length: 30 }, (_, i) => i * 7),
  'long array of words': Array.from({ length: 12 }, (_, i) => `word${i}`),
  'more than 100 items': Array.from({ length: 120 }, (_, i) => i),
  sparse,
  'array with an extra key': withExtra,
  map: new Map<unknown, unknown>([
    ['a', 1],
    [{ k: 1 }, [2]],
  ]),
  'empty map': new Map(),
  set: new Set([1, 'x', { y: 2 }]),
  'class instance': new Point(1, 2),
  'derived class instance': new Derived(),
  class: Point,
  'derived class': Derived,
  function: function named() {},
  'arrow function': () => 1,
  'async function': async function load() {},
  'generator function': function* gen() {},
  date: new Date(0),
  regexp: /a+b/gi,
  'null prototype': nullProto,
  circular,
  'deep nesting': nested,
  'four levels fitting': { a: { b: { c: {} } } },
  getter: withGetter,
  'boxed number': new Number(3),
  'boxed string': new String('s'),
  'typed array': new Uint8Array([1, 2, 3]),
  'long object': { alpha: 'aaaaaaaaaa', beta: 'bbbbbbbbbb', gamma: 'cccccccccc', delta: 'dddddddddd', epsilon: 'eeeeeeeeee' },
  'array of objects': [{ id: 1, name: 'first' }, { id: 2, name: 'second' }, { id: 3, name: 'third' }],
  'weak map': new WeakMap(),
};

describe('inspect prints like Node’s util.inspect', () => {
  for (const [label, value] of Object.entries(corpus)) {
    test(label, () => {
      expect(inspect(value)).toBe(nodeUtil.inspect(value));
    });
  }

  test('the options the assert port uses (one entry per line, sorted, deep, getters)', () => {
    const options = { compact: false, customInspect: false, depth: 1000, maxArrayLength: Infinity, breakLength: Infinity, sorted: true, getters: true };
    for (const value of [{ b: 1, a: [1, 2, { c: new Map([[1, 2]]) }] }, new Set(['x']), [], {}, withGetter, new Point(1, 2)]) {
      expect(inspect(value, options)).toBe(nodeUtil.inspect(value, options));
    }
  });

  test('depth, custom inspection and errors', () => {
    expect(inspect(nested, { depth: 0 })).toBe(nodeUtil.inspect(nested, { depth: 0 }));
    expect(inspect(nested, { depth: null })).toBe(nodeUtil.inspect(nested, { depth: null }));
    const custom = { [Symbol.for('nodejs.util.inspect.custom')]: () => 'CUSTOM' };
    expect(inspect({ wrapped: custom })).toBe('{ wrapped: CUSTOM }');
    const error = new TypeError('bad');
    expect(inspect(error)).toBe(error.stack);
    expect(inspect(Object.assign(new Error('coded'), { code: 'E_X' }))).toMatch(/^Error: coded\n[\s\S]* \{\n  code: 'E_X'\n\}$/);
  });
});

describe('format prints like Node’s util.format', () => {
  const cases: unknown[][] = [
    ['%s is %d years', 'Bob', 42],
    ['%i and %f', '42.9px', '1.5e3'],
    ['%j', { a: [1] }],
    ['%o|%O', { a: 1 }, { b: 2 }],
    ['100%% sure', 'extra'],
    ['%s', { nested: { deep: { deeper: 1 } } }],
    ['%s', 12n],
    ['no specifiers', 1, 'two', { three: 3 }],
    [1, 'two', [3]],
    ['%c styled', 'color: red'],
    ['missing %s %s', 'one'],
    [],
    [new Map([[1, 2]])],
  ];
  for (const args of cases) {
    test(JSON.stringify(args, (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v instanceof Map ? 'Map' : v)), () => {
      expect(format(...args)).toBe(nodeUtil.format(...args));
    });
  }
});

describe('the assert port, given this inspect, explains failures as Node does', () => {
  test('deepStrictEqual diffs of maps, sets and class instances', async () => {
    const { createBuiltins } = await import('../../../src/sandbox/worker-runtime/builtins/index.ts');
    const nodeAssert = (await import('node:assert/strict')).default;
    const builtins = createBuiltins({ nodeTest: {}, process: {} as never, console: {}, timers: {} as never });
    const strict = builtins('node:assert/strict').default as typeof nodeAssert;
    const pairs: [unknown, unknown][] = [
      [new Map([['a', 1]]), new Map([['a', 2]])],
      [new Set([1, 2]), new Set([1, 3])],
      [new Point(1, 2), new Point(1, 3)],
      [{ list: [1, 2], flag: true }, { list: [1, 3], flag: true }],
    ];
    // (Where a long diff elides unchanged lines with "...", the port keeps its older rules: not compared.)
    for (const [actual, expected] of pairs) {
      const message = (run: () => void) => {
        try {
          run();
        } catch (error) {
          return (error as Error).message;
        }
        return 'no error';
      };
      expect(message(() => strict.deepStrictEqual(actual, expected))).toBe(message(() => nodeAssert.deepStrictEqual(actual, expected)));
    }
  });
});
