/**
 * Running one body of `node:test` (a test or a hook), as Node does: a body that takes two parameters gets a
 * `done` callback, any other is awaited; both race the time-out, which rejects with Node's error.
 */
import { TestFailureError } from './failure.ts';

// Test bodies are arbitrary user functions.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Body = (...args: any[]) => unknown;

export const noop: Body = () => undefined;

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/**
 * Calls `fn(context)` (or `fn(context, done)`) with `this` = the context, inside `within` (which makes
 * `test()` calls from its synchronous part children of its owner). `onBoth` hears of a body that takes
 * `done` and also returns a promise (Node fails such a test and still waits for it).
 */
export function invokeBody(fn: Body, context: object, within: <T>(body: () => T) => T, onBoth: () => void): Promise<unknown> {
  if (fn.length === 2) {
    return new Promise((resolve, reject) => {
      const done = (error?: unknown) => (error ? reject(error) : resolve(undefined));
      const returned = within(() => fn.call(context, context, done));
      if (isThenable(returned)) {
        onBoth();
        Promise.resolve(returned).then(resolve, reject);
      }
    });
  }
  return Promise.resolve(within(() => fn.call(context, context)));
}

export interface Stopper {
  promise: Promise<void>;
  dispose(): void;
}

/** Resolves when `signal` aborts; rejects with "test timed out after Nms" at `timeout` (none when null). */
export function stopAt(timeout: number | null, signal: AbortSignal, setTimer: (callback: () => void, ms: number) => () => void): Stopper {
  let clear = () => {};
  const promise = new Promise<void>((resolve, reject) => {
    const onAbort = () => resolve();
    signal.addEventListener('abort', onAbort);
    const cancelTimer = timeout === null ? () => {} : setTimer(() => reject(new TestFailureError(`test timed out after ${timeout}ms`, 'testTimeoutFailure')), timeout);
    clear = () => {
      signal.removeEventListener('abort', onAbort);
      cancelTimer();
    };
  });
  promise.catch(() => undefined);
  return { promise, dispose: () => clear() };
}
