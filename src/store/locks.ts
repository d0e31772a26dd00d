/**
 * One driver per run (DESIGN.md §6). In a browser the Web Locks API makes the lock visible to every tab of
 * the origin and frees it when the holding tab closes or crashes; where it is missing (Node, tests) the
 * locks are kept in this process.
 */
import type { RunLock } from './types.ts';

export interface LockProvider {
  /** The lock, or null when someone holds it already. */
  tryLock(name: string): Promise<RunLock | null>;
  isHeld(name: string): Promise<boolean>;
  /** Waits until no one else holds the lock, then takes it; rejects with an AbortError when `signal` aborts first. */
  waitFor(name: string, signal: AbortSignal): Promise<RunLock>;
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The wait for the lock was aborted.', 'AbortError');
}

export class InProcessLocks implements LockProvider {
  private readonly held = new Set<string>();
  private readonly waiters = new Map<string, (() => void)[]>();

  tryLock(name: string): Promise<RunLock | null> {
    if (this.held.has(name)) return Promise.resolve(null);
    return Promise.resolve(this.take(name));
  }

  waitFor(name: string, signal: AbortSignal): Promise<RunLock> {
    if (signal.aborted) return Promise.reject(abortReason(signal));
    if (!this.held.has(name)) return Promise.resolve(this.take(name));
    return new Promise<RunLock>((resolve, reject) => {
      const queue = this.waiters.get(name) ?? [];
      this.waiters.set(name, queue);
      const grant = () => {
        signal.removeEventListener('abort', onAbort);
        resolve(this.take(name));
      };
      const onAbort = () => {
        const index = queue.indexOf(grant);
        if (index >= 0) queue.splice(index, 1);
        reject(abortReason(signal));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      queue.push(grant);
    });
  }

  private take(name: string): RunLock {
    this.held.add(name);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.held.delete(name);
        this.waiters.get(name)?.shift()?.();
      },
    };
  }

  isHeld(name: string): Promise<boolean> {
    return Promise.resolve(this.held.has(name));
  }
}

export class WebLocks implements LockProvider {
  constructor(private readonly locks: LockManager) {}

  tryLock(name: string): Promise<RunLock | null> {
    return new Promise<RunLock | null>((resolve, reject) => {
      // The lock lasts as long as the callback's promise is pending: it settles on release().
      this.locks
        .request(name, { ifAvailable: true }, (lock) => {
          if (!lock) {
            resolve(null);
            return undefined;
          }
          return new Promise<void>((done) => {
            resolve({ release: () => done() });
          });
        })
        .catch(reject);
    });
  }

  waitFor(name: string, signal: AbortSignal): Promise<RunLock> {
    return new Promise<RunLock>((resolve, reject) => {
      this.locks
        .request(name, { signal }, () => new Promise<void>((done) => resolve({ release: () => done() })))
        .catch(reject);
    });
  }

  async isHeld(name: string): Promise<boolean> {
    const snapshot = await this.locks.query();
    return (snapshot.held ?? []).some((lock) => lock.name === name);
  }
}

/** Locks shared by every store of the same scope in this process (two stores on one database see each other). */
const inProcessByScope = new Map<string, InProcessLocks>();

export function defaultLocks(scope: string): LockProvider {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  if (locks) return new WebLocks(locks);
  let shared = inProcessByScope.get(scope);
  if (!shared) {
    shared = new InProcessLocks();
    inProcessByScope.set(scope, shared);
  }
  return shared;
}
