/**
 * What the control unit needs to continue a run (DESIGN.md §6 `checkpoints`). Stored with every turn in
 * the same transaction as the turn's files and events. The store treats it as an opaque JSON value.
 *
 * The step's messages are not copied here: they are rebuilt from the durable events with
 * `seq >= contextStartSeq` (see `context-rebuild.ts`), so a turn writes only what is new. Planning uses
 * the same mechanism with step 0.
 */
export interface CheckpointState {
  version: 1;
  phase: 'planning' | 'executing' | 'verifying' | 'done';
  /** 0-based index into the plan of the step in progress, or the next to start. */
  stepIndex: number;
  /** Context restarts so far in the current step. */
  restart: number;
  /** LLM turns spent in the current step, across restarts (the turns-per-step guard). */
  stepTurns: number;
  /** Seq of the `step-started` event of the current context; null between steps. */
  contextStartSeq: number | null;
  /** The hand-off summary of the previous step (verbatim in the next step's context). */
  previousSummary: string;
  /** The step's gate passed and only its summary remains to be written. */
  awaitingSummary: boolean;
  /** Identical replies in a row (the repeated-replies guard), and the last reply's fingerprint. */
  repeatCount: number;
  lastReplyFingerprint: string | null;
  /** A note from the user not yet delivered to the agent. */
  pendingNote: string | null;
  /** Invalid plans so far (each retried with its error shown, DESIGN.md §4). */
  invalidPlans: number;
  /**
   * Where each resumable guard counts from: resuming after a guard tripped gives that guard a fresh
   * allowance (turns and restarts of the current step, spend of the run).
   */
  guardBase: { turns: number; restarts: number; spendUsd: number };
  /** The guard that paused the run, so that resuming resets only that guard's allowance. */
  trippedGuard: 'turns-per-step' | 'restarts-per-step' | 'spend' | null;
  /**
   * The `tool_choice` planning uses instead of naming the plan tool, once the provider refused a forced
   * function choice (absent: the forced choice works or was not tried yet).
   */
  planToolChoice?: 'required' | 'auto';
}

export function initialCheckpoint(): CheckpointState {
  return {
    version: 1,
    phase: 'planning',
    stepIndex: 0,
    restart: 0,
    stepTurns: 0,
    contextStartSeq: null,
    previousSummary: '',
    awaitingSummary: false,
    repeatCount: 0,
    lastReplyFingerprint: null,
    pendingNote: null,
    invalidPlans: 0,
    guardBase: { turns: 0, restarts: 0, spendUsd: 0 },
    trippedGuard: null,
  };
}
