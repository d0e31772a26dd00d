/**
 * How a drive of a run ends when it does not complete: which errors pause the run (the user can fix the
 * cause and resume) and which fail it (DESIGN.md §4). Decided by the errors' types, never their messages.
 */
import {
  AuthError,
  BadRequestError,
  ContextLengthError,
  errorMessage,
  isAbortError,
  ModelNotFoundError,
  NetworkError,
  QuotaError,
  RateLimitError,
  SandboxUnavailableError,
  ScriptDesyncError,
  ServerError,
  StorageQuotaError,
  StreamBrokenError,
  TimeoutError,
} from '../errors.ts';
import type { DurableEventDraft } from './events.ts';
import type { PauseReason } from './run-state.ts';

export type StopOutcome =
  | { status: 'paused'; pauseReason: PauseReason; reason: string }
  | { status: 'failed'; reason: string }
  | { status: 'cancelled'; reason: string };

/** Thrown inside a drive to end it with a known outcome (a guard, plan review, an invalid plan). */
export class RunStop extends Error {
  override name = 'RunStop';
  constructor(
    readonly outcome: StopOutcome,
    /** Events recorded with the status change (e.g. the guard that tripped). */
    readonly events: DurableEventDraft[] = [],
    readonly trippedGuard: 'turns-per-step' | 'restarts-per-step' | 'spend' | null = null,
  ) {
    super(outcome.reason);
  }
}

export type StopRequest = 'pause' | 'cancel' | null;

export interface ClassifyOptions {
  /** What the user asked for, if the drive was stopped on purpose. */
  requested: StopRequest;
  /** Whether the browser believes it is online (navigator.onLine); undefined when unknown (Node). */
  online: boolean | undefined;
}

const RETRYABLE = [RateLimitError, ServerError, NetworkError, StreamBrokenError, TimeoutError];

export function classifyStop(error: unknown, { requested, online }: ClassifyOptions): StopOutcome {
  if (error instanceof RunStop) return error.outcome;
  // A stop the user asked for wins over whatever error the interrupted call ended with.
  if (requested === 'pause') return { status: 'paused', pauseReason: 'user', reason: 'Paused by the user.' };
  if (requested === 'cancel' || isAbortError(error)) return { status: 'cancelled', reason: 'Cancelled by the user.' };
  const message = errorMessage(error);
  const pause = (pauseReason: PauseReason, reason: string): StopOutcome => ({ status: 'paused', pauseReason, reason });
  if (error instanceof AuthError) {
    return pause('auth', `The provider refused the API key: ${message}. Check the key in Settings, then resume.`);
  }
  if (error instanceof ModelNotFoundError) {
    return pause('model-not-found', `The provider does not know the model: ${message}. Check the model name in Settings, then resume.`);
  }
  if (error instanceof QuotaError) {
    return pause('quota', `The provider account has no credit left: ${message}. Add credit or change the key, then resume.`);
  }
  if (error instanceof StorageQuotaError) {
    return pause(
      'storage-quota',
      `The browser's storage is full, so the last turn was not saved (it is redone on resume): ${message}. Free space (export and delete old runs), then resume.`,
    );
  }
  if (error instanceof NetworkError && online === false) {
    return pause('offline', 'The network is unavailable. The run resumes when the browser is back online.');
  }
  if (RETRYABLE.some((type) => error instanceof type)) {
    return pause('retries-exhausted', `The provider kept failing after every retry: ${message}. Resume to try again.`);
  }
  if (error instanceof ContextLengthError) {
    return pause('context-too-small', `The model's context window is too small for this request: ${message}. Choose a model with a larger window, then resume.`);
  }
  if (error instanceof SandboxUnavailableError) {
    return pause('sandbox-unavailable', `The sandbox is unavailable: ${message}. Choose another sandbox, then resume.`);
  }
  if (error instanceof BadRequestError) {
    return pause('bad-request', `The provider refused the request: ${message}. Check the provider settings, then resume.`);
  }
  if (error instanceof ScriptDesyncError) return { status: 'failed', reason: `The script went out of step: ${message}` };
  return { status: 'failed', reason: `Internal error: ${message}` };
}
