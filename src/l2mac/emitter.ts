/**
 * Stamps a run's events and publishes them (DESIGN.md §4, §6). Transient events (streamed text, sandbox
 * output) reach listeners at once. Durable events are collected for the current turn and stamped with
 * their seq only when the turn is committed; listeners see them only after `store.commitTurn` resolved,
 * so the UI never shows a turn the store does not have.
 */
import type { CheckpointState } from './checkpoint.ts';
import type { DistributiveOmit, DurableEvent, DurableEventDraft, RunEventListener, TransientEvent } from './events.ts';
import type { FileStore, TurnCommit } from '../store/types.ts';

export type TransientEventDraft = DistributiveOmit<TransientEvent, 'runId' | 'seq' | 'at'>;

/** What a commit writes besides its events; built once the events have their seqs. */
export type CommitBody = Omit<TurnCommit, 'events'>;

export class RunEmitter {
  private readonly listeners = new Set<RunEventListener>();
  private pending: { draft: DurableEventDraft; at: number }[] = [];
  /** Commits run one at a time, in order (a retry wait may be committed while a turn is in progress). */
  private queue: Promise<void> = Promise.resolve();
  private asideError: unknown = null;
  private lastCommit: { step: number; turn: number; checkpoint: CheckpointState } | null = null;

  constructor(
    private readonly store: FileStore,
    readonly runId: string,
    /** Seq of the last durable event the store holds. */
    private lastSeq: number,
    private readonly clock: () => number,
  ) {}

  subscribe(listener: RunEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get committedSeq(): number {
    return this.lastSeq;
  }

  /** The checkpoint of the last commit of this drive, if any. */
  get lastCheckpoint(): CheckpointState | null {
    return this.lastCommit?.checkpoint ?? null;
  }

  /** Remember the checkpoint the store held when this drive started. */
  setBaseline(step: number, turn: number, checkpoint: CheckpointState): void {
    this.lastCommit = { step, turn, checkpoint: structuredClone(checkpoint) };
  }

  transient(draft: TransientEventDraft): void {
    this.publish({ ...draft, runId: this.runId, seq: this.lastSeq, at: this.clock() } as TransientEvent);
  }

  /** Adds a durable event to the current turn. */
  stage(draft: DurableEventDraft): void {
    this.pending.push({ draft, at: this.clock() });
  }

  get hasPending(): boolean {
    return this.pending.length > 0;
  }

  /** Forgets the current turn's events (the turn is not committed). */
  discard(): void {
    this.pending = [];
  }

  /**
   * Commits the current turn: stamps its events, lets `build` complete the commit (it may read the seqs,
   * e.g. of a `step-started` event), writes it, then publishes the events. On failure nothing is
   * published and the turn's events are dropped.
   */
  async commit(build: (events: DurableEvent[]) => CommitBody): Promise<DurableEvent[]> {
    const pending = this.pending;
    this.pending = [];
    return this.enqueue(async () => {
      const events = pending.map(
        ({ draft, at }, i) => ({ ...draft, runId: this.runId, seq: this.lastSeq + 1 + i, at }) as DurableEvent,
      );
      const body = build(events);
      await this.store.commitTurn(this.runId, { ...body, events });
      this.lastSeq += events.length;
      this.lastCommit = { step: body.step, turn: body.turn, checkpoint: structuredClone(body.checkpoint) };
      for (const event of events) this.publish(event);
      return events;
    });
  }

  /**
   * Commits one event on its own, outside the current turn, with the last committed checkpoint: used for
   * retry waits, which the UI must see while the call is still waiting. A failure surfaces at the next
   * commit.
   */
  commitAside(draft: DurableEventDraft): void {
    const at = this.clock();
    void this.enqueue(async () => {
      const base = this.lastCommit;
      if (!base) return;
      const event = { ...draft, runId: this.runId, seq: this.lastSeq + 1, at } as DurableEvent;
      await this.store.commitTurn(this.runId, { step: base.step, turn: base.turn, changes: [], events: [event], checkpoint: base.checkpoint });
      this.lastSeq += 1;
      this.publish(event);
    }).catch((error: unknown) => {
      this.asideError ??= error;
    });
  }

  /** Waits for commits in flight (e.g. before the drive ends). */
  async settle(): Promise<void> {
    await this.queue.catch(() => undefined);
  }

  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(() => {
      if (this.asideError) {
        const error = this.asideError;
        this.asideError = null;
        throw error;
      }
      return task();
    });
    this.queue = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  private publish(event: DurableEvent | TransientEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A failing listener (a UI bug) must not stop the run or starve the other listeners.
      }
    }
  }
}
