/**
 * On load (DESIGN.md §6): a run left `planning` or `running` whose lock no tab holds was driven by a tab
 * that closed or crashed. It becomes `interrupted`, durably (a `status` event in its log), and waits for
 * the user to Resume; nothing continues on its own. A run whose lock is held is being driven by another
 * tab and is left alone.
 */
import { StorageQuotaError } from '../errors.ts';
import { initialCheckpoint } from '../l2mac/checkpoint.ts';
import type { StatusEvent } from '../l2mac/events.ts';
import type { FileStore } from './types.ts';

export const INTERRUPTED_REASON =
  'The tab that was driving this run closed or crashed before the run finished. Resume continues from the last saved turn.';

const DRIVEN = new Set(['planning', 'running']);

export interface RecoveryOptions {
  now?: () => number;
}

/** Whether a run in this status is being driven by some tab (or was, when that tab died). */
export function isDrivenStatus(status: string): boolean {
  return DRIVEN.has(status);
}

/**
 * Marks one run interrupted if it is still `planning` or `running`. The caller holds the run's lock, so no
 * tab drives it: whoever wrote that status is gone. Returns whether it was marked.
 */
export async function markInterruptedIfAbandoned(
  store: Pick<FileStore, 'getRun' | 'getCheckpoint' | 'commitTurn'>,
  runId: string,
  now: () => number = Date.now,
): Promise<boolean> {
  const run = await store.getRun(runId);
  if (!run || !DRIVEN.has(run.status)) return false;
  const checkpoint = (await store.getCheckpoint(run.id)) ?? initialCheckpoint();
  const event: StatusEvent = { type: 'status', runId: run.id, seq: run.lastSeq + 1, at: now(), status: 'interrupted', reason: INTERRUPTED_REASON };
  await store.commitTurn(run.id, {
    step: checkpoint.stepIndex + 1,
    turn: 0,
    changes: [],
    events: [event],
    checkpoint,
    run: { status: 'interrupted', statusReason: INTERRUPTED_REASON, pauseReason: undefined },
  });
  return true;
}

/**
 * Marks abandoned runs interrupted; returns their ids. A run the store refuses to mark (a full disk: even
 * this small write fails) is left as it is: the app must still open, so the user can export and delete
 * runs to make room; the next load tries again.
 */
export async function recoverInterruptedRuns(store: FileStore, options: RecoveryOptions = {}): Promise<string[]> {
  const now = options.now ?? Date.now;
  const recovered: string[] = [];
  for (const summary of await store.listRuns()) {
    if (!DRIVEN.has(summary.status)) continue;
    // Taking the lock (rather than only looking at it) keeps a tab that starts driving now from racing us.
    const lock = await store.lockRun(summary.id);
    if (!lock) continue;
    try {
      if (await markInterruptedIfAbandoned(store, summary.id, now)) recovered.push(summary.id);
    } catch (error) {
      if (!(error instanceof StorageQuotaError)) throw error;
    } finally {
      lock.release();
    }
  }
  return recovered;
}
