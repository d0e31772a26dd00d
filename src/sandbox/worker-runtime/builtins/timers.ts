/**
 * Node's timers for the worker: `setTimeout`/`setInterval`/`setImmediate` return objects with `ref`,
 * `unref`, `hasRef`, `refresh` and `close` (code written for Node calls them), and every timer that would
 * keep Node's event loop alive is counted, so the test harness knows when a file is done (`liveHandles`).
 */

export interface NativeTimers {
  setTimeout(callback: () => void, ms: number): number;
  clearTimeout(id: number): void;
}

// Timer callbacks take any arguments.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Callback = (...args: any[]) => unknown;

const TIMEOUT_MAX = 2 ** 31 - 1;

function invalidCallback(callback: unknown): TypeError {
  const error = new TypeError(`The "callback" argument must be of type function. Received ${typeof callback}`) as TypeError & { code: string };
  error.code = 'ERR_INVALID_ARG_TYPE';
  return error;
}

function delayOf(ms: unknown): number {
  const delay = Number(ms);
  return !(delay >= 1 && delay <= TIMEOUT_MAX) ? 1 : Math.trunc(delay);
}

export interface NodeTimers {
  setTimeout(callback: Callback, ms?: unknown, ...args: unknown[]): object;
  setInterval(callback: Callback, ms?: unknown, ...args: unknown[]): object;
  setImmediate(callback: Callback, ...args: unknown[]): object;
  clearTimeout(handle: unknown): void;
  clearInterval(handle: unknown): void;
  clearImmediate(handle: unknown): void;
  /** Timers and immediates that are scheduled and ref'ed. */
  liveHandles(): number;
}

export function createTimers(native: NativeTimers): NodeTimers {
  let live = 0;
  let nextId = 1;
  const byId = new Map<number, Handle>();

  class Handle {
    readonly #id = nextId++;
    #native: number | null = null;
    #ref = true;
    #active = false;

    constructor(
      private readonly callback: Callback,
      private readonly args: unknown[],
      private readonly delay: number,
      private readonly repeat: boolean,
    ) {
      this.schedule();
    }

    private schedule(): void {
      if (!this.#active && this.#ref) live++;
      this.#active = true;
      byId.set(this.#id, this);
      this.#native = native.setTimeout(() => this.fire(), this.delay);
    }

    private fire(): void {
      if (this.repeat) {
        this.#native = native.setTimeout(() => this.fire(), this.delay);
      } else {
        this.stop();
      }
      this.callback(...this.args);
    }

    stop(): void {
      if (this.#native !== null) native.clearTimeout(this.#native);
      this.#native = null;
      if (this.#active && this.#ref) live--;
      this.#active = false;
      byId.delete(this.#id);
    }

    ref(): this {
      if (!this.#ref && this.#active) live++;
      this.#ref = true;
      return this;
    }

    unref(): this {
      if (this.#ref && this.#active) live--;
      this.#ref = false;
      return this;
    }

    hasRef(): boolean {
      return this.#ref;
    }

    refresh(): this {
      if (this.#active) {
        if (this.#native !== null) native.clearTimeout(this.#native);
        this.#native = native.setTimeout(() => this.fire(), this.delay);
      }
      return this;
    }

    close(): this {
      this.stop();
      return this;
    }

    [Symbol.toPrimitive](): number {
      return this.#id;
    }
  }

  const clear = (handle: unknown) => {
    if (handle instanceof Handle) handle.stop();
    else if (typeof handle === 'number' || typeof handle === 'string') byId.get(Number(handle))?.stop();
  };

  return {
    setTimeout(callback, ms, ...args) {
      if (typeof callback !== 'function') throw invalidCallback(callback);
      return new Handle(callback, args, delayOf(ms), false);
    },
    setInterval(callback, ms, ...args) {
      if (typeof callback !== 'function') throw invalidCallback(callback);
      return new Handle(callback, args, delayOf(ms), true);
    },
    setImmediate(callback, ...args) {
      if (typeof callback !== 'function') throw invalidCallback(callback);
      return new Handle(callback, args, 0, false);
    },
    clearTimeout: clear,
    clearInterval: clear,
    clearImmediate: clear,
    liveHandles: () => live,
  };
}

/** `node:timers/promises` over the given timers. */
export function timersPromises(timers: NodeTimers): Record<string, unknown> {
  const abortError = (signal: AbortSignal) => {
    const error = new Error('The operation was aborted', { cause: signal.reason }) as Error & { code: string };
    error.name = 'AbortError';
    error.code = 'ABORT_ERR';
    return error;
  };
  const waitFor =
    (schedule: (resolve: () => void, ms: unknown) => object) =>
    <T>(ms?: unknown, value?: T, options?: { signal?: AbortSignal; ref?: boolean }): Promise<T | undefined> =>
      new Promise((resolve, reject) => {
        const signal = options?.signal;
        if (signal?.aborted) return reject(abortError(signal));
        const handle = schedule(() => {
          signal?.removeEventListener('abort', onAbort);
          resolve(value);
        }, ms) as { unref(): void };
        if (options?.ref === false) handle.unref();
        const onAbort = () => {
          timers.clearTimeout(handle);
          reject(abortError(signal!));
        };
        signal?.addEventListener('abort', onAbort, { once: true });
      });
  const setTimeoutPromise = waitFor((resolve, ms) => timers.setTimeout(resolve, ms));
  const setImmediatePromise = <T>(value?: T, options?: { signal?: AbortSignal; ref?: boolean }) =>
    waitFor((resolve) => timers.setImmediate(resolve))(0, value, options);
  const scheduler = { wait: (ms: unknown, options?: { signal?: AbortSignal }) => setTimeoutPromise(ms, undefined, options), yield: () => setImmediatePromise() };
  return { setTimeout: setTimeoutPromise, setImmediate: setImmediatePromise, scheduler };
}
