/**
 * Following a run another tab drives (DESIGN.md §6): this tab shows it live and read-only, and when the
 * driving tab goes away (its Web Lock is freed) the run is marked `interrupted`, so this tab offers Resume.
 * It never continues the run on its own: that would spend the user's money unasked.
 *
 * "Live" means every committed turn: the driving tab's store announces each commit (a BroadcastChannel in
 * the browser), and the follower re-reads. The lock is only waited for while the run is `planning` or
 * `running`, so a follower never holds the lock of a run that is merely paused.
 */
import { isDrivenStatus, markInterruptedIfAbandoned } from '../store/recovery.ts';
import type { FileStore, RunLock } from '../store/types.ts';

export interface RunFollowerDeps {
  store: Pick<FileStore, 'getRun' | 'getCheckpoint' | 'commitTurn'>;
  /** Calls back when any tab committed to a run; returns an unsubscribe function. */
  onRunChanged(listener: (runId: string) => void): () => void;
  /** Resolves with the run's lock once no tab holds it; rejects with an AbortError when `signal` aborts. */
  waitForLock(runId: string, signal: AbortSignal): Promise<RunLock>;
  now?: () => number;
}

/**
 * Follows `runId` until the returned function is called: `onChange` runs after another tab committed to it,
 * and after this tab marked it interrupted because its driver went away.
 */
export function followRun(deps: RunFollowerDeps, runId: string, onChange: () => void): () => void {
  const controller = new AbortController();
  let waiting = false;

  const watchDriver = async (): Promise<void> => {
    if (waiting || controller.signal.aborted) return;
    const run = await deps.store.getRun(runId);
    if (!run || !isDrivenStatus(run.status)) return;
    waiting = true;
    try {
      const lock = await deps.waitForLock(runId, controller.signal);
      let marked = false;
      try {
        // The lock is free: the driving tab ended its drive (the status says how) or closed mid-run.
        marked = await markInterruptedIfAbandoned(deps.store, runId, deps.now);
      } finally {
        lock.release();
      }
      if (marked && !controller.signal.aborted) onChange();
    } finally {
      waiting = false;
    }
  };
  // A rejection means this tab stopped following (abort) or the run went away meanwhile: nothing to show.
  const watch = () => void watchDriver().catch(() => undefined);

  const unsubscribe = deps.onRunChanged((changed) => {
    if (changed !== runId || controller.signal.aborted) return;
    onChange();
    watch();
  });
  watch();
  return () => {
    controller.abort();
    unsubscribe();
  };
}

/** Commit announcements between the tabs of this origin (one channel per database). */
export class RunChangeChannel {
  private readonly channel: BroadcastChannel | null;
  private readonly listeners = new Set<(runId: string) => void>();

  constructor(name: string) {
    this.channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(name);
    this.channel?.addEventListener('message', (message: MessageEvent<unknown>) => {
      const runId = (message.data as { runId?: unknown } | null)?.runId;
      if (typeof runId !== 'string') return;
      for (const listener of [...this.listeners]) listener(runId);
    });
  }

  /** Tells the other tabs (not this one: its own drives reach its views as live events). */
  announce(runId: string): void {
    this.channel?.postMessage({ runId });
  }

  subscribe(listener: (runId: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
