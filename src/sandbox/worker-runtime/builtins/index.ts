/**
 * The worker's built-in modules (see `catalog.ts` for what is provided and why): each name maps to its
 * exports, `default` included. `node:assert` and `node:util` come from the npm ports of Node's own
 * modules (browserify's `assert` and `util`, with Node 20's `inspect` and `format` from this folder, see
 * `util-patch.ts`); `node:test` from `node-test/`; the rest from this folder.
 *
 * Partial modules (`node:util`, `node:crypto`, `node:os`, `node:url`) refuse, through their default export,
 * any Node API they do not provide with an error that says "needs the full sandbox", instead of
 * `undefined` and a misleading TypeError later.
 */
import './util-patch.ts';
import assert from 'assert/build/assert.js';
import { isDeepStrictEqual } from 'assert/build/internal/util/comparisons.js';
import util from 'util/util.js';
import { UnsupportedError } from '../errors.ts';
import { format } from './format.ts';
import { inspect } from './inspect.ts';
import { SHIMMED_EXPORTS } from './catalog.ts';
import pathModule from './path.ts';
import { eventsModule } from './events.ts';
import { timersPromises, type NodeTimers } from './timers.ts';
import type { NodeProcess } from './process.ts';
import { fileURLToPath, pathToFileURL } from './url.ts';

export interface BuiltinServices {
  nodeTest: Record<string, unknown>;
  process: NodeProcess;
  console: Record<string, unknown>;
  timers: NodeTimers;
}

/** Property names that code probes without meaning to use them (promise checks, serializers, interop). */
const PROBES = new Set(['then', 'toJSON', 'constructor', '__esModule', 'default', 'inspect', 'asymmetricMatch', '$$typeof', 'nodeType']);

function refusingMissing(name: string, target: Record<string, unknown>): Record<string, unknown> {
  return new Proxy(target, {
    get(object, property, receiver) {
      if (typeof property === 'string' && !(property in object) && !PROBES.has(property)) {
        throw new UnsupportedError(`${name} ${property}`);
      }
      return Reflect.get(object, property, receiver) as unknown;
    },
  });
}

/** Exports with a default that is the module object itself (as Node's CommonJS built-ins are). */
function moduleOf(name: string, exports: Record<string, unknown>, partial = false): Record<string, unknown> {
  const object = { ...exports };
  return { ...exports, default: partial ? refusingMissing(name, object) : object };
}

const ANSI_STYLES: Record<string, [number, number]> = {
  bold: [1, 22], dim: [2, 22], italic: [3, 23], underline: [4, 24], inverse: [7, 27], strikethrough: [9, 29],
  black: [30, 39], red: [31, 39], green: [32, 39], yellow: [33, 39], blue: [34, 39], magenta: [35, 39],
  cyan: [36, 39], white: [37, 39], gray: [90, 39], grey: [90, 39],
};

function styleText(format: string | string[], text: string): string {
  const styles = Array.isArray(format) ? format : [format];
  return styles.reduce((inner, style) => {
    const codes = ANSI_STYLES[style];
    if (!codes) throw new TypeError(`The argument 'format' must be one of: ${Object.keys(ANSI_STYLES).join(', ')}. Received '${style}'`);
    return `\u001b[${codes[0]}m${inner}\u001b[${codes[1]}m`;
  }, text);
}

function utilExports(): Record<string, unknown> {
  const pick = (key: string) => util[key];
  return {
    callbackify: pick('callbackify'),
    debuglog: pick('debuglog'),
    deprecate: pick('deprecate'),
    format,
    formatWithOptions: (_options: unknown, ...args: unknown[]) => format(...args),
    inherits: pick('inherits'),
    inspect,
    isArray: Array.isArray,
    isDeepStrictEqual,
    promisify: pick('promisify'),
    stripVTControlCharacters: (text: string) => text.replace(/\u001b\[[0-9;?]*[ -/]*[@-~]/g, ''),
    styleText,
    TextDecoder,
    TextEncoder,
    types: util.types,
  };
}

function randomInt(min: number, max?: number): number {
  const [low, high] = max === undefined ? [0, min] : [min, max];
  const range = high - low;
  if (!Number.isSafeInteger(low) || !Number.isSafeInteger(high) || range <= 0 || range > 2 ** 48) {
    throw new RangeError(`The value of "max" is out of range. It must be greater than the value of "min" (${low}). Received ${high}`);
  }
  const limit = Math.floor(2 ** 48 / range) * range;
  const words = new Uint32Array(2);
  for (;;) {
    crypto.getRandomValues(words);
    const value = (words[0]! & 0xffff) * 2 ** 32 + words[1]!;
    if (value < limit) return low + (value % range);
  }
}

/** The names the catalog lists, from a module object that may have more (Node dropped some of them). */
function pickExports(name: string, from: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries((SHIMMED_EXPORTS[name] ?? []).map((key) => [key, from[key]]));
}

/** Every shimmed built-in's exports, built once per worker. */
export function createBuiltins(services: BuiltinServices): (name: string) => Record<string, unknown> {
  const timers = services.timers;
  const timerExports = {
    setTimeout: timers.setTimeout,
    clearTimeout: timers.clearTimeout,
    setInterval: timers.setInterval,
    clearInterval: timers.clearInterval,
    setImmediate: timers.setImmediate,
    clearImmediate: timers.clearImmediate,
  };
  const promises = timersPromises(timers);
  const assertExports = (object: Record<string, unknown>) => {
    const exports: Record<string, unknown> = { default: object };
    for (const key of ['AssertionError', 'deepEqual', 'deepStrictEqual', 'doesNotMatch', 'doesNotReject', 'doesNotThrow', 'equal', 'fail', 'ifError', 'match', 'notDeepEqual', 'notDeepStrictEqual', 'notEqual', 'notStrictEqual', 'ok', 'rejects', 'strict', 'strictEqual', 'throws']) {
      exports[key] = object[key];
    }
    return exports;
  };
  const { process } = services;
  const factories: Record<string, () => Record<string, unknown>> = {
    'node:test': () => services.nodeTest,
    'node:assert': () => assertExports(assert),
    'node:assert/strict': () => assertExports(assert.strict),
    'node:path': () => ({ ...pathModule, default: pathModule }),
    'node:path/posix': () => ({ ...pathModule, default: pathModule }),
    'node:events': () => eventsModule(),
    'node:util': () => moduleOf('node:util', utilExports(), true),
    'node:util/types': () => moduleOf('node:util/types', pickExports('node:util/types', util.types)),
    'node:url': () => moduleOf('node:url', { URL, URLSearchParams, fileURLToPath, pathToFileURL }, true),
    'node:timers': () => moduleOf('node:timers', { ...timerExports, promises }),
    'node:timers/promises': () => moduleOf('node:timers/promises', promises),
    'node:process': () => {
      const exports: Record<string, unknown> = { default: process };
      for (const key of ['argv', 'cwd', 'env', 'exit', 'exitCode', 'hrtime', 'nextTick', 'platform', 'stderr', 'stdout', 'version', 'versions']) {
        exports[key] = process[key];
      }
      return exports;
    },
    'node:console': () => ({ ...services.console, default: services.console }),
    'node:os': () =>
      moduleOf(
        'node:os',
        {
          EOL: '\n',
          arch: () => 'x64',
          availableParallelism: () => navigator.hardwareConcurrency || 1,
          endianness: () => 'LE',
          platform: () => 'linux',
          type: () => 'Linux',
        },
        true,
      ),
    'node:crypto': () =>
      moduleOf(
        'node:crypto',
        {
          getRandomValues: <T extends ArrayBufferView>(array: T) => crypto.getRandomValues(array as T & ArrayBufferView<ArrayBuffer>),
          randomInt,
          randomUUID: () => crypto.randomUUID(),
          subtle: crypto.subtle,
          webcrypto: crypto,
        },
        true,
      ),
  };
  const cache = new Map<string, Record<string, unknown>>();
  return (name) => {
    let exports = cache.get(name);
    if (!exports) {
      const factory = factories[name];
      if (!factory) throw new UnsupportedError(name);
      exports = factory();
      cache.set(name, exports);
    }
    return exports;
  };
}
