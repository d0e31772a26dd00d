/**
 * `node:events` for the worker: Node's EventEmitter semantics (listener order, `once`, `prepend*`,
 * `newListener`/`removeListener` events, an unhandled `'error'` throws, `errorMonitor`, the max-listeners
 * warning) and the static helpers generated code commonly uses (`once`, `listenerCount`,
 * `getEventListeners`, `setMaxListeners`, `addAbortListener`). No npm port of it is installed, so it is
 * written here and tested against Node's own.
 */

// Listeners take any arguments.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Listener = (...args: any[]) => unknown;
type EventName = string | symbol;
interface Wrapped extends Listener {
  listener?: Listener;
}

export const errorMonitor = Symbol('events.errorMonitor');
export const captureRejectionSymbol = Symbol.for('nodejs.rejection');
let defaultMax = 10;

let warn: (message: string, name: string) => void = () => undefined;

/** Where warnings go (`process.emitWarning` in the worker). */
export function setWarningSink(sink: (message: string, name: string) => void): void {
  warn = sink;
}

function invalidListener(listener: unknown): TypeError {
  const error = new TypeError(`The "listener" argument must be of type function. Received ${listener === null ? 'null' : typeof listener}`) as TypeError & {
    code: string;
  };
  error.code = 'ERR_INVALID_ARG_TYPE';
  return error;
}

export class EventEmitter {
  static get defaultMaxListeners(): number {
    return defaultMax;
  }

  static set defaultMaxListeners(value: number) {
    defaultMax = value;
  }

  static readonly errorMonitor = errorMonitor;
  static readonly captureRejectionSymbol = captureRejectionSymbol;
  static EventEmitter: typeof EventEmitter;
  static once = once;
  static listenerCount = (emitter: EventEmitter, name: EventName) => emitter.listenerCount(name);
  static getEventListeners = getEventListeners;
  static setMaxListeners = setMaxListeners;
  static addAbortListener = addAbortListener;

  #events = new Map<EventName, Wrapped[]>();
  #max: number | undefined;
  #warned = new Set<EventName>();

  setMaxListeners(n: number): this {
    this.#max = n;
    return this;
  }

  getMaxListeners(): number {
    return this.#max ?? defaultMax;
  }

  private add(name: EventName, listener: unknown, prepend: boolean, wrapped?: Wrapped): this {
    if (typeof listener !== 'function') throw invalidListener(listener);
    if (this.#events.has('newListener')) this.emit('newListener', name, listener);
    const list = this.#events.get(name) ?? [];
    const entry = wrapped ?? (listener as Listener);
    if (prepend) list.unshift(entry);
    else list.push(entry);
    this.#events.set(name, list);
    const max = this.getMaxListeners();
    if (max > 0 && list.length > max && !this.#warned.has(name)) {
      this.#warned.add(name);
      warn(
        `Possible EventEmitter memory leak detected. ${list.length} ${String(name)} listeners added to ${this.constructor.name}. Use emitter.setMaxListeners() to increase limit`,
        'MaxListenersExceededWarning',
      );
    }
    return this;
  }

  private wrapOnce(name: EventName, listener: unknown): Wrapped {
    if (typeof listener !== 'function') throw invalidListener(listener);
    let fired = false;
    const wrapped: Wrapped = (...args: unknown[]) => {
      if (fired) return undefined;
      fired = true;
      this.removeListener(name, wrapped);
      return (listener as Listener).apply(this, args);
    };
    wrapped.listener = listener as Listener;
    return wrapped;
  }

  on(name: EventName, listener: Listener): this {
    return this.add(name, listener, false);
  }

  addListener(name: EventName, listener: Listener): this {
    return this.add(name, listener, false);
  }

  prependListener(name: EventName, listener: Listener): this {
    return this.add(name, listener, true);
  }

  once(name: EventName, listener: Listener): this {
    return this.add(name, listener, false, this.wrapOnce(name, listener));
  }

  prependOnceListener(name: EventName, listener: Listener): this {
    return this.add(name, listener, true, this.wrapOnce(name, listener));
  }

  removeListener(name: EventName, listener: Listener): this {
    if (typeof listener !== 'function') throw invalidListener(listener);
    const list = this.#events.get(name);
    if (!list) return this;
    for (let i = list.length - 1; i >= 0; i--) {
      const entry = list[i]!;
      if (entry === listener || entry.listener === listener) {
        list.splice(i, 1);
        if (list.length === 0) this.#events.delete(name);
        if (this.#events.has('removeListener')) this.emit('removeListener', name, entry.listener ?? entry);
        break;
      }
    }
    return this;
  }

  off(name: EventName, listener: Listener): this {
    return this.removeListener(name, listener);
  }

  /** Event names as Node keeps them (an object's own keys): strings first, then symbols. */
  #names(): EventName[] {
    const keys = [...this.#events.keys()];
    return [...keys.filter((key) => typeof key === 'string'), ...keys.filter((key) => typeof key === 'symbol')];
  }

  removeAllListeners(name?: EventName): this {
    const names = name === undefined ? this.#names().filter((n) => n !== 'removeListener') : [name];
    for (const eventName of names) {
      const list = this.#events.get(eventName) ?? [];
      for (let i = list.length - 1; i >= 0; i--) this.removeListener(eventName, list[i]!);
    }
    if (name === undefined) this.#events.delete('removeListener');
    return this;
  }

  emit(name: EventName, ...args: unknown[]): boolean {
    if (name === 'error') {
      const monitors = this.#events.get(errorMonitor);
      if (monitors) for (const listener of [...monitors]) listener.apply(this, args);
    }
    const list = this.#events.get(name);
    if (!list || list.length === 0) {
      if (name !== 'error') return false;
      const error = args[0];
      if (error instanceof Error) throw error;
      const unhandled = new Error(`Unhandled error. (${String(error)})`) as Error & { code: string; context: unknown };
      unhandled.code = 'ERR_UNHANDLED_ERROR';
      unhandled.context = error;
      throw unhandled;
    }
    for (const listener of [...list]) listener.apply(this, args);
    return true;
  }

  listeners(name: EventName): Listener[] {
    return (this.#events.get(name) ?? []).map((entry) => entry.listener ?? entry);
  }

  rawListeners(name: EventName): Listener[] {
    return [...(this.#events.get(name) ?? [])];
  }

  listenerCount(name: EventName, listener?: Listener): number {
    const list = this.#events.get(name) ?? [];
    return listener ? list.filter((entry) => entry === listener || entry.listener === listener).length : list.length;
  }

  eventNames(): EventName[] {
    return this.#names();
  }
}
EventEmitter.EventEmitter = EventEmitter;

interface OnceOptions {
  signal?: AbortSignal;
}

export function once(emitter: EventEmitter | EventTarget, name: EventName, options?: OnceOptions): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const signal = options?.signal;
    const abortError = () => Object.assign(new Error('The operation was aborted'), { name: 'AbortError', code: 'ABORT_ERR' });
    if (signal?.aborted) return reject(abortError());
    if (!(emitter instanceof EventEmitter)) {
      const listener = (event: Event) => resolve([event]);
      emitter.addEventListener(String(name), listener, { once: true });
      signal?.addEventListener('abort', () => {
        emitter.removeEventListener(String(name), listener);
        reject(abortError());
      });
      return;
    }
    const onEvent = (...args: unknown[]) => {
      if (name !== 'error') emitter.removeListener('error', onError);
      signal?.removeEventListener('abort', onAbort);
      resolve(args);
    };
    const onError = (error: unknown) => {
      emitter.removeListener(name, onEvent);
      signal?.removeEventListener('abort', onAbort);
      reject(error);
    };
    const onAbort = () => {
      emitter.removeListener(name, onEvent);
      emitter.removeListener('error', onError);
      reject(abortError());
    };
    emitter.once(name, onEvent);
    if (name !== 'error') emitter.once('error', onError);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function getEventListeners(emitter: EventEmitter, name: EventName): Listener[] {
  return emitter.listeners(name);
}

export function setMaxListeners(n: number, ...emitters: EventEmitter[]): void {
  if (emitters.length === 0) defaultMax = n;
  for (const emitter of emitters) emitter.setMaxListeners(n);
}

export function listenerCount(emitter: EventEmitter, name: EventName): number {
  return emitter.listenerCount(name);
}

export function addAbortListener(signal: AbortSignal, listener: (event: Event) => void): { [Symbol.dispose](): void } {
  if (signal.aborted) queueMicrotask(() => listener(new Event('abort')));
  else signal.addEventListener('abort', listener, { once: true });
  return { [Symbol.dispose]: () => signal.removeEventListener('abort', listener) };
}

export function eventsModule(): Record<string, unknown> {
  return {
    default: EventEmitter,
    EventEmitter,
    addAbortListener,
    captureRejectionSymbol,
    get defaultMaxListeners() {
      return defaultMax;
    },
    errorMonitor,
    getEventListeners,
    listenerCount,
    once,
    setMaxListeners,
  };
}
