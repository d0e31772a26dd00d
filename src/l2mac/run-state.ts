/** Run states of DESIGN.md §4 (fixed: tests read them from `[data-testid="run-status"]`). */
export const RUN_STATUSES = [
  'planning',
  'running',
  'paused',
  'interrupted',
  'failed',
  'completed',
  'cancelled',
] as const;

export type RunStatus = (typeof RUN_STATUSES)[number];

export type Domain = 'codebase' | 'book';

/** Why a run is paused; the UI words each one and offers what can be done about it. */
export type PauseReason =
  | 'plan-review'
  | 'user'
  | 'guard'
  | 'offline'
  | 'quota'
  | 'auth'
  | 'model-not-found'
  | 'storage-quota'
  | 'retries-exhausted'
  | 'context-too-small'
  | 'sandbox-unavailable'
  /** The provider refused the request (a 4xx other than auth, model, quota or context length). */
  | 'bad-request';

export const TERMINAL_STATUSES: readonly RunStatus[] = ['completed', 'failed', 'cancelled'];

export function isTerminal(status: RunStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

/** A run that could continue if someone drives it. */
export function isResumable(status: RunStatus): boolean {
  return status === 'paused' || status === 'interrupted';
}

export type StepState = 'pending' | 'running' | 'completed' | 'skipped' | 'failed';

export interface PlanStep {
  instruction: string;
  state: StepState;
  /** The hand-off summary written after the step completed. */
  summary?: string;
  /** Completed while the active sandbox could not run the tests ("Require passing tests" off). */
  testsNotRun?: boolean;
  turns?: number;
  restarts?: number;
}

/** Guards of DESIGN.md §4, all configurable. */
export interface Limits {
  maxSteps: number;
  turnsPerStep: number;
  restartsPerStep: number;
  toolCallsPerReply: number;
  /** US dollars. */
  spendPerRun: number;
  repeatedReplies: number;
  testTimeoutPerFileMs: number;
  testTimeoutPerRunMs: number;
  runFileTimeoutMs: number;
  llmRetries: number;
  /** Completion reserve cap; the reserve is min(model output limit, this). */
  completionReserveCap: number;
  /** Read-only exploration turns before a plan over existing files. */
  planExploreTurns: number;
  /** Retries of an invalid plan, each showing the model its error. */
  planRetries: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxSteps: 10,
  turnsPerStep: 40,
  restartsPerStep: 5,
  toolCallsPerReply: 20,
  spendPerRun: 2,
  repeatedReplies: 3,
  testTimeoutPerFileMs: 10_000,
  testTimeoutPerRunMs: 60_000,
  runFileTimeoutMs: 10_000,
  llmRetries: 6,
  completionReserveCap: 8192,
  planExploreTurns: 5,
  planRetries: 3,
};

/** The hard ceiling on plan length (DESIGN.md §4: 10 by default, at most 30). */
export const MAX_STEPS_CEILING = 30;

/**
 * Which runs a follow-up task may start from (DESIGN.md §4, "a finished or cancelled run"): completed or
 * cancelled, whose files are final. A run still planning, running, paused or interrupted may change further
 * (resume or cancel it first); a failed run stopped on an error and is restored or re-run, not built on.
 */
export function canFollowUp(status: RunStatus): boolean {
  return status === 'completed' || status === 'cancelled';
}
