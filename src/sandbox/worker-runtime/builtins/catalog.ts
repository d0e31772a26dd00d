/**
 * Which Node built-in modules the worker sandbox provides, and with which exports (DESIGN.md §7).
 *
 * Shared by the main thread (which refuses, before running anything, a test file whose imports need the full
 * sandbox) and the worker (whose shims must export exactly these names: a unit test holds them to it).
 *
 * The rule: a built-in is shimmed when its behaviour is pure computation that a browser can reproduce
 * faithfully (`node:test`, `node:assert`, `node:path` (POSIX), `node:events`, the pure parts of `node:util`,
 * `node:url`, `node:timers`, ...). Anything that touches the file system, processes or the network
 * (`fs`, `child_process`, `http`, `net`, ...) or whose semantics a browser cannot give (`vm`, `worker_threads`,
 * `buffer` without a faithful `Buffer`) is reported as "needs the full sandbox" instead of being faked.
 */

/** Node 20's `require('module').builtinModules`, without the internal `_` ones. */
const NODE_BUILTINS = new Set([
  'assert', 'assert/strict', 'async_hooks', 'buffer', 'child_process', 'cluster', 'console', 'constants',
  'crypto', 'dgram', 'diagnostics_channel', 'dns', 'dns/promises', 'domain', 'events', 'fs', 'fs/promises',
  'http', 'http2', 'https', 'inspector', 'inspector/promises', 'module', 'net', 'os', 'path', 'path/posix',
  'path/win32', 'perf_hooks', 'process', 'punycode', 'querystring', 'readline', 'readline/promises', 'repl',
  'stream', 'stream/consumers', 'stream/promises', 'stream/web', 'string_decoder', 'sys', 'timers',
  'timers/promises', 'tls', 'trace_events', 'tty', 'url', 'util', 'util/types', 'v8', 'vm', 'wasi',
  'worker_threads', 'zlib',
]);

/** Built-ins that exist only with the `node:` prefix. */
const PREFIX_ONLY_BUILTINS = new Set(['test', 'test/reporters', 'sea']);

const PATH_EXPORTS = [
  'basename', 'delimiter', 'dirname', 'extname', 'format', 'isAbsolute', 'join', 'normalize', 'parse', 'posix',
  'relative', 'resolve', 'sep', 'toNamespacedPath',
];
const TIMERS_EXPORTS = ['clearImmediate', 'clearInterval', 'clearTimeout', 'promises', 'setImmediate', 'setInterval', 'setTimeout'];
const UTIL_TYPES_EXPORTS = [
  'isAnyArrayBuffer', 'isArgumentsObject', 'isArrayBuffer', 'isArrayBufferView', 'isAsyncFunction', 'isBigInt64Array',
  'isBigIntObject', 'isBigUint64Array', 'isBooleanObject', 'isBoxedPrimitive', 'isDataView', 'isDate', 'isFloat32Array',
  'isFloat64Array', 'isGeneratorFunction', 'isGeneratorObject', 'isInt16Array', 'isInt32Array', 'isInt8Array',
  'isMap', 'isMapIterator', 'isNativeError', 'isNumberObject', 'isPromise', 'isRegExp', 'isSet',
  'isSetIterator', 'isSharedArrayBuffer', 'isStringObject', 'isSymbolObject', 'isTypedArray', 'isUint16Array',
  'isUint32Array', 'isUint8Array', 'isUint8ClampedArray', 'isWeakMap', 'isWeakSet',
];
const ASSERT_EXPORTS = [
  'AssertionError', 'deepEqual', 'deepStrictEqual', 'doesNotMatch', 'doesNotReject', 'doesNotThrow', 'equal',
  'fail', 'ifError', 'match', 'notDeepEqual', 'notDeepStrictEqual', 'notEqual', 'notStrictEqual', 'ok',
  'rejects', 'strict', 'strictEqual', 'throws',
];

/**
 * The named exports each shimmed built-in provides (besides `default`, which every one has). Keys are the
 * canonical `node:` names.
 */
export const SHIMMED_EXPORTS: Readonly<Record<string, readonly string[]>> = {
  'node:test': ['after', 'afterEach', 'before', 'beforeEach', 'describe', 'it', 'mock', 'only', 'skip', 'suite', 'test', 'todo'],
  'node:assert': ASSERT_EXPORTS,
  'node:assert/strict': ASSERT_EXPORTS,
  'node:path': PATH_EXPORTS,
  'node:path/posix': PATH_EXPORTS,
  'node:events': [
    'EventEmitter', 'addAbortListener', 'captureRejectionSymbol', 'defaultMaxListeners', 'errorMonitor',
    'getEventListeners', 'listenerCount', 'once', 'setMaxListeners',
  ],
  'node:util': [
    'callbackify', 'debuglog', 'deprecate', 'format', 'formatWithOptions', 'inherits', 'inspect', 'isArray',
    'isDeepStrictEqual', 'promisify', 'stripVTControlCharacters', 'styleText', 'TextDecoder', 'TextEncoder', 'types',
  ],
  'node:util/types': UTIL_TYPES_EXPORTS,
  'node:url': ['URL', 'URLSearchParams', 'fileURLToPath', 'pathToFileURL'],
  'node:timers': TIMERS_EXPORTS,
  'node:timers/promises': ['scheduler', 'setImmediate', 'setTimeout'],
  'node:process': ['argv', 'cwd', 'env', 'exit', 'exitCode', 'hrtime', 'nextTick', 'platform', 'stderr', 'stdout', 'version', 'versions'],
  'node:console': [
    'assert', 'count', 'countReset', 'debug', 'dir', 'error', 'group', 'groupCollapsed', 'groupEnd', 'info', 'log',
    'table', 'time', 'timeEnd', 'timeLog', 'trace', 'warn',
  ],
  'node:os': ['EOL', 'arch', 'availableParallelism', 'endianness', 'platform', 'type'],
  'node:crypto': ['getRandomValues', 'randomInt', 'randomUUID', 'subtle', 'webcrypto'],
};

/** Why a built-in that is not shimmed needs the full sandbox (plain words for the model and the user). */
function unsupportedReason(name: string): string {
  const bare = name.slice('node:'.length);
  if (bare === 'fs' || bare === 'fs/promises') return `${name} (the file system)`;
  if (['child_process', 'cluster', 'worker_threads'].includes(bare)) return `${name} (processes)`;
  if (['http', 'https', 'http2', 'net', 'dgram', 'dns', 'dns/promises', 'tls'].includes(bare)) return `${name} (the network)`;
  return name;
}

export type BuiltinLookup =
  | { kind: 'shimmed'; name: string }
  | { kind: 'unsupported'; name: string; reason: string }
  | { kind: 'unknown'; specifier: string };

/** Whether a specifier names a Node built-in (`node:x`, or a bare name Node reserves), and its status here. */
export function lookupBuiltin(specifier: string): BuiltinLookup | null {
  const prefixed = specifier.startsWith('node:');
  const bare = prefixed ? specifier.slice(5) : specifier;
  if (!NODE_BUILTINS.has(bare) && !(prefixed && PREFIX_ONLY_BUILTINS.has(bare))) {
    return prefixed ? { kind: 'unknown', specifier } : null;
  }
  const name = `node:${bare === 'sys' ? 'util' : bare}`;
  if (name in SHIMMED_EXPORTS) return { kind: 'shimmed', name };
  return { kind: 'unsupported', name, reason: unsupportedReason(name) };
}

/** Whether a shimmed built-in provides this export (`default` always exists). */
export function builtinHasExport(name: string, exportName: string): boolean {
  return exportName === 'default' || (SHIMMED_EXPORTS[name]?.includes(exportName) ?? false);
}

/**
 * Globals Node provides that the worker does not, and what using them means. A free reference to one of
 * these (not under `typeof`) makes the file need the full sandbox: it would otherwise fail with a
 * misleading ReferenceError that Node would never give.
 */
export const MISSING_GLOBALS: Readonly<Record<string, string>> = {
  Buffer: 'Buffer',
  fetch: 'the network (fetch)',
  XMLHttpRequest: 'the network (XMLHttpRequest)',
  WebSocket: 'the network (WebSocket)',
  EventSource: 'the network (EventSource)',
  SharedArrayBuffer: 'SharedArrayBuffer',
};
