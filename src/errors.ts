/**
 * Typed errors of DESIGN.md §3. Every boundary (LLM, store, sandbox) classifies what it meets into one of
 * these, so that the control unit decides by type and never by parsing message strings.
 *
 * `name` is set explicitly on each class: bundlers mangle constructor names in production builds, and
 * errors crossing a worker boundary are rebuilt from their name.
 */

export type ErrorCode =
  | 'auth'
  | 'model-not-found'
  | 'rate-limit'
  | 'server'
  | 'network'
  | 'stream-broken'
  | 'context-length'
  | 'quota'
  | 'bad-request'
  | 'sandbox-unavailable'
  | 'timeout'
  | 'abort'
  | 'script-desync'
  | 'storage-quota'
  | 'run-paused';

export abstract class L2macError extends Error {
  abstract readonly code: ErrorCode;
  /** Whether trying the same call again later may succeed (retry policy of DESIGN.md §4/§8). */
  readonly retryable: boolean = false;
}

/** 401/403: the provider refused the key. The run pauses; the user fixes the key and resumes. */
export class AuthError extends L2macError {
  override name = 'AuthError';
  readonly code = 'auth';
  constructor(message: string, readonly status?: number) {
    super(message);
  }
}

/** The provider does not know the model (404, or a 400 that says so). Pauses the run. */
export class ModelNotFoundError extends L2macError {
  override name = 'ModelNotFoundError';
  readonly code = 'model-not-found';
  constructor(message: string, readonly model?: string) {
    super(message);
  }
}

/** 429. `retryAfterMs` comes from `retry-after-ms` or `Retry-After` when the provider sent one. */
export class RateLimitError extends L2macError {
  override name = 'RateLimitError';
  readonly code = 'rate-limit';
  override readonly retryable = true;
  constructor(message: string, readonly retryAfterMs?: number) {
    super(message);
  }
}

/** 5xx from the provider. */
export class ServerError extends L2macError {
  override name = 'ServerError';
  readonly code = 'server';
  override readonly retryable = true;
  constructor(message: string, readonly status?: number, readonly retryAfterMs?: number) {
    super(message);
  }
}

/** The request never got an HTTP answer: offline, DNS, CORS refusal (which browsers report as a network error). */
export class NetworkError extends L2macError {
  override name = 'NetworkError';
  readonly code = 'network';
  override readonly retryable = true;
  constructor(message: string, override readonly cause?: unknown) {
    super(message);
  }
}

/** A streamed reply ended without its end marker or went idle; the partial reply is discarded whole. */
export class StreamBrokenError extends L2macError {
  override name = 'StreamBrokenError';
  readonly code = 'stream-broken';
  override readonly retryable = true;
  constructor(message: string, readonly idle = false) {
    super(message);
  }
}

/** The request does not fit the model's context window (a 400 that says so, or our own pre-flight count). */
export class ContextLengthError extends L2macError {
  override name = 'ContextLengthError';
  readonly code = 'context-length';
  constructor(message: string, readonly tokens?: number, readonly limit?: number) {
    super(message);
  }
}

/** The account is out of credit (`insufficient_quota`). Retrying does not help; the run pauses. */
export class QuotaError extends L2macError {
  override name = 'QuotaError';
  readonly code = 'quota';
  constructor(message: string) {
    super(message);
  }
}

/**
 * Any other 4xx: fails fast with the provider's message. `param` names the request field the provider
 * refused, when it said (OpenAI's `param`, or its wording for `tool_choice`), so a caller can drop that field.
 */
export class BadRequestError extends L2macError {
  override name = 'BadRequestError';
  readonly code = 'bad-request';
  constructor(
    message: string,
    readonly status?: number,
    readonly param?: string,
  ) {
    super(message);
  }
}

/** The sandbox cannot run at all here (WebContainer boot timed out, unsupported browser, ...). */
export class SandboxUnavailableError extends L2macError {
  override name = 'SandboxUnavailableError';
  readonly code = 'sandbox-unavailable';
  constructor(message: string) {
    super(message);
  }
}

/** An operation ran past its time limit. */
export class TimeoutError extends L2macError {
  override name = 'TimeoutError';
  readonly code = 'timeout';
  override readonly retryable = true;
  constructor(message: string, readonly timeoutMs?: number) {
    super(message);
  }
}

/** The caller's AbortSignal fired. */
export class AbortError extends L2macError {
  override name = 'AbortError';
  readonly code = 'abort';
  constructor(message = 'The operation was cancelled.') {
    super(message);
  }
}

/** The scripted LLM got a request its scenario does not expect. */
export class ScriptDesyncError extends L2macError {
  override name = 'ScriptDesyncError';
  readonly code = 'script-desync';
  constructor(
    message: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(message);
  }
}

/** The browser refused to store more (IndexedDB `QuotaExceededError`). The turn is not committed. */
export class StorageQuotaError extends L2macError {
  override name = 'StorageQuotaError';
  readonly code = 'storage-quota';
  constructor(message: string) {
    super(message);
  }
}

/** Thrown by `generateCodebase`/`generateBook` when a run pauses instead of finishing. */
export class RunPausedError extends L2macError {
  override name = 'RunPausedError';
  readonly code = 'run-paused';
  constructor(
    readonly runId: string,
    readonly reason: string,
    readonly files: Record<string, string>,
  ) {
    super(`Run ${runId} paused: ${reason}`);
  }
}

/** True for an abort from our own AbortError or from a platform `DOMException('AbortError')`. */
export function isAbortError(error: unknown): boolean {
  if (error instanceof AbortError) return true;
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError';
}

/** Throws an AbortError when the signal has fired. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AbortError();
}

/** A short human message for any thrown value. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error);
  } catch {
    return String(error);
  }
}
