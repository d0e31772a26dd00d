import * as nodeEvents from 'node:events';
import { describe, expect, test } from 'vitest';
import { SHIMMED_EXPORTS } from '../../../src/sandbox/worker-runtime/builtins/catalog.ts';
import * as events from '../../../src/sandbox/worker-runtime/builtins/events.ts';
import { createBuiltins } from '../../../src/sandbox/worker-runtime/builtins/index.ts';
import { createConsole, createProcess, ProcessExit } from '../../../src/sandbox/worker-runtime/builtins/process.ts';
import { createTimers } from '../../../src/sandbox/worker-runtime/builtins/timers.ts';
import { lockdown } from '../../../src/sandbox/worker-runtime/lockdown.ts';

const nativeTimers = {
  setTimeout: (callback: () => void, ms: number) => setTimeout(callback, ms) as unknown as number,
  clearTimeout: (id: number) => clearTimeout(id),
};

describe('the shimmed built-ins export exactly what the catalog says', () => {
  test('every module, every name', () => {
    const timers = createTimers(nativeTimers);
    const process = createProcess({ argv: ['node', '/project/x.js'], write: () => undefined, onExit: () => undefined });
    const builtin = createBuiltins({ nodeTest: { default: () => undefined, ...Object.fromEntries(SHIMMED_EXPORTS['node:test']!.map((n) => [n, () => undefined])) }, process, console: createConsole(() => undefined, String, String), timers });
    for (const [name, exports] of Object.entries(SHIMMED_EXPORTS)) {
      const actual = builtin(name);
      expect(Object.keys(actual).filter((key) => key !== 'default').sort(), name).toEqual([...exports].sort());
      for (const key of exports) {
        if (key === 'exitCode') expect(actual).toHaveProperty(key);
        else expect(actual[key], `${name} ${key}`).not.toBeUndefined();
      }
    }
  });

  test('a partial module refuses what it lacks as needing the full sandbox', () => {
    const process = createProcess({ argv: [], write: () => undefined, onExit: () => undefined });
    const builtin = createBuiltins({ nodeTest: {}, process, console: {}, timers: createTimers(nativeTimers) });
    const crypto = builtin('node:crypto').default as Record<string, unknown>;
    expect(typeof crypto.randomUUID).toBe('function');
    expect(() => crypto.createHash).toThrow(/needs the full sandbox.*node:crypto createHash/);
    expect(crypto.then).toBeUndefined();
  });
});

describe('node:events behaves like Node’s', () => {
  /** One script of calls, run against both implementations; what each records must be equal. */
  function script(EventEmitter: typeof nodeEvents.EventEmitter | typeof events.EventEmitter): unknown[] {
    const seen: unknown[] = [];
    const label = (name: unknown) => (typeof name === 'symbol' ? name.description : name);
    const e = new EventEmitter();
    e.on('newListener', (name: unknown) => seen.push(['newListener', label(name)]));
    const a = (v: unknown) => seen.push(['a', v]);
    e.on('x', a);
    e.prependOnceListener('x', (v: unknown) => seen.push(['once first', v]));
    e.on('removeListener', (name: unknown) => seen.push(['removeListener', label(name)]));
    seen.push(['emit', e.emit('x', 1)], ['emit', e.emit('x', 2)], ['emit none', e.emit('y')]);
    seen.push(['count', e.listenerCount('x')], ['names', e.eventNames().map(label)]);
    e.off('x', a);
    seen.push(['after off', e.listenerCount('x')]);
    try {
      e.emit('error', 'not an error');
    } catch (error) {
      seen.push(['error', (error as { code?: string }).code]);
    }
    e.on((EventEmitter as unknown as { errorMonitor: symbol }).errorMonitor, () => seen.push(['monitor']));
    e.on('error', (err: Error) => seen.push(['handled', err.message]));
    e.emit('error', new Error('boom'));
    e.removeAllListeners();
    seen.push(['after removeAll', e.eventNames().map(label)]);
    return seen;
  }

  test('the same calls record the same things', () => {
    expect(script(events.EventEmitter)).toEqual(script(nodeEvents.EventEmitter));
  });

  test('once() resolves with the arguments and rejects on error', async () => {
    const e = new events.EventEmitter();
    const got = events.once(e, 'ready');
    e.emit('ready', 1, 2);
    expect(await got).toEqual([1, 2]);
    const failed = events.once(e, 'ready');
    e.emit('error', new Error('no'));
    await expect(failed).rejects.toThrow('no');
  });
});

describe('timers keep the file alive like Node’s event loop', () => {
  test('ref’ed timers count until they fire or are cleared; unref’ed ones do not', async () => {
    const timers = createTimers(nativeTimers);
    const fired: string[] = [];
    const a = timers.setTimeout(() => fired.push('a'), 1);
    const b = timers.setInterval(() => fired.push('b'), 1) as { unref(): unknown; hasRef(): boolean };
    const c = timers.setTimeout(() => fired.push('c'), 60_000);
    expect(timers.liveHandles()).toBe(3);
    b.unref();
    expect(b.hasRef()).toBe(false);
    expect(timers.liveHandles()).toBe(2);
    timers.clearTimeout(c);
    expect(timers.liveHandles()).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(fired).toContain('a');
    expect(timers.liveHandles()).toBe(0);
    timers.clearInterval(b);
    expect(Number(a)).toBeGreaterThan(0);
    expect(() => timers.setTimeout('not a function' as never, 1)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARG_TYPE' }));
  });
});

describe('process and console', () => {
  test('exit runs the exit listeners once, reports the code and unwinds', () => {
    const exits: number[] = [];
    const process = createProcess({ argv: ['node', '/project/a.js', 'x'], write: () => undefined, onExit: (code) => exits.push(code) });
    const order: string[] = [];
    process.on('exit', (code: number) => order.push(`exit ${code}`));
    expect(() => (process.exit as (code?: number) => never)(3)).toThrow(ProcessExit);
    expect(() => (process.exit as (code?: number) => never)(4)).toThrow(ProcessExit);
    expect(exits).toEqual([3]);
    expect(order).toEqual(['exit 3']);
    expect(process.argv).toEqual(['node', '/project/a.js', 'x']);
  });

  test('console writes formatted lines to the right stream, with group indentation', () => {
    const written: [string, string][] = [];
    const console = createConsole((stream, text) => written.push([stream, text]), (...args) => args.join(' '), String) as Record<string, (...args: unknown[]) => void>;
    console.log!('a', 1);
    console.group!('g');
    console.error!('inside\nnext');
    console.groupEnd!();
    console.warn!('w');
    expect(written).toEqual([
      ['stdout', 'a 1\n'],
      ['stdout', 'g\n'],
      ['stderr', '  inside\n  next\n'],
      ['stderr', 'w\n'],
    ]);
  });
});

describe('lockdown', () => {
  function fakeScope() {
    const proto = { fetch: () => 'proto fetch', caches: {}, indexedDB: {} };
    const scope = Object.create(proto) as Record<string, unknown>;
    Object.assign(scope, {
      postMessage: () => undefined,
      setTimeout: () => 1,
      clearTimeout: () => undefined,
      fetch: () => 'own fetch',
      XMLHttpRequest: class {},
      WebSocket: class {},
      Worker: class {},
      navigator: Object.create({ serviceWorker: {}, storage: {} }),
    });
    return scope;
  }

  test('removes the network, storage and worker entry points from the scope, its prototypes and the navigator', () => {
    const createObjectURL = URL.createObjectURL;
    try {
      const scope = fakeScope();
      const sealed = lockdown(scope as unknown as typeof globalThis);
      for (const name of ['fetch', 'caches', 'indexedDB', 'XMLHttpRequest', 'WebSocket', 'Worker', 'postMessage']) {
        expect(scope[name], name).toBeUndefined();
        expect(name in scope, name).toBe(false);
      }
      expect((scope.navigator as Record<string, unknown>).serviceWorker).toBeUndefined();
      expect((scope.navigator as Record<string, unknown>).storage).toBeUndefined();
      expect('createObjectURL' in URL).toBe(false);
      expect(typeof sealed.post).toBe('function');
      expect(typeof sealed.createObjectURL).toBe('function');
    } finally {
      URL.createObjectURL = createObjectURL;
    }
  });

  test('fails closed when something cannot be removed', () => {
    const createObjectURL = URL.createObjectURL;
    try {
      const scope = fakeScope();
      // Non-configurable and not writable: it can neither be deleted nor overwritten.
      Object.defineProperty(scope, 'WebSocket', { get: () => class {}, configurable: false });
      expect(() => lockdown(scope as unknown as typeof globalThis)).toThrow();
      // Non-configurable but writable: overwritten with undefined, which is as good as gone.
      const writable = fakeScope();
      Object.defineProperty(writable, 'Worker', { value: class {}, writable: true, configurable: false });
      lockdown(writable as unknown as typeof globalThis);
      expect(writable.Worker).toBeUndefined();
    } finally {
      URL.createObjectURL = createObjectURL;
    }
  });
});
