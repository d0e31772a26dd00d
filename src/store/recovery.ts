/**
 * On load (DESIGN.md §6): a run left `planning` or `running` whose lock no tab holds was driven by a tab
 * that closed or crashed. It becomes `interrupted`, durably (a `status` event in its log), and waits for
 * the user to Resume; nothing continues on its own. A run whose lock is held is being driven by another
 * tab and is left alone.
 */
import { initialCheckpoint } from '../l2mac/checkpoint.ts';
import type { StatusEvent } from '../l2mac/events.ts';
import type { FileStore } from './types.ts';

export const INTERRUPTED_REASON =
  'The tab that was driving this run closed or crashed before the run finished. Resume continues from the last saved turn.';

const DRIVEN = new Set(['planning', 'running']);

export interface RecoveryOptions {
  now?: () => number;
}

/** Marks abandoned runs interrupted; returns their ids. */
export async function recoverInterruptedRuns(store: FileStore, options: RecoveryOptions = {}): Promise<string[]> {
  const now = options.now ?? Date.now;
  const recovered: string[] = [];
  for (const summary of await store.listRuns()) {
    if (!DRIVEN.has(summary.status)) continue;
    // Taking the lock (rather than only looking at it) keeps a tab that starts driving now from racing us.
    const lock = await store.lockRun(summary.id);
    if (!lock) continue;
    try {
      const run = await store.getRun(summary.id);
      if (!run || !DRIVEN.has(run.status)) continue;
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
      recovered.push(run.id);
    } finally {
      lock.release();
    }
  }
  return recovered;
}
