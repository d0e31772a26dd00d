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
}

export class InProcessLocks implements LockProvider {
  private readonly held = new Set<string>();

  tryLock(name: string): Promise<RunLock | null> {
    if (this.held.has(name)) return Promise.resolve(null);
    this.held.add(name);
    let released = false;
    return Promise.resolve({
      release: () => {
        if (released) return;
        released = true;
        this.held.delete(name);
      },
    });
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
