/**
 * A store that "crashes" like a closed tab: after a chosen number of commits (or when told), every
 * write fails, so the inner store keeps exactly what was committed before. Reads still work (the crashed
 * drive can finish its bookkeeping); a resumed drive then uses the inner store directly.
 */
import type { FileStore, TurnCommit } from '../../src/store/types.ts';

export class CrashError extends Error {
  override name = 'CrashError';
}

export interface CrashingStore {
  store: FileStore;
  /** Commits that reached the inner store. */
  readonly commits: number;
  crashNow(): void;
}

export function crashingStore(inner: FileStore, commitsBeforeCrash = Infinity): CrashingStore {
  let commits = 0;
  let dead = false;
  const store: FileStore = Object.create(inner) as FileStore;
  const wrapped = store as unknown as Record<string, unknown>;
  wrapped.commitTurn = async (runId: string, commit: TurnCommit) => {
    if (dead || commits >= commitsBeforeCrash) {
      dead = true;
      throw new CrashError('the tab was closed');
    }
    await inner.commitTurn(runId, commit);
    commits++;
  };
  wrapped.updateRun = async () => {
    throw new CrashError('the tab was closed');
  };
  for (const name of ['createRun', 'getRun', 'listRuns', 'deleteRun', 'listFiles', 'readFiles', 'readAllFiles', 'filesAtStep', 'listVersions', 'readBlob', 'getCheckpoint', 'listEvents', 'lockRun', 'isLocked'] as const) {
    wrapped[name] = (inner[name] as (...args: unknown[]) => unknown).bind(inner);
  }
  return {
    store,
    get commits() {
      return commits;
    },
    crashNow() {
      dead = true;
    },
  };
}
