/**
 * The retry decorator of DESIGN.md §4/§8: `withRetries(inner, policy)` is an LLM port that retries the
 * retryable typed errors (RateLimitError, ServerError, NetworkError, StreamBrokenError, TimeoutError) with
 * exponential backoff and jitter, honouring the provider's `Retry-After`, reporting every wait before it
 * starts (`onWait`, which the control unit turns into a `retry-wait` event), and stopping at once on abort.
 * After the last retry it throws the last typed error, and the control unit pauses the run.
 *
 * It never retries AuthError, ModelNotFoundError, QuotaError, BadRequestError, ContextLengthError or
 * AbortError: trying again cannot help them.
 */
import { AbortError, L2macError, RateLimitError, ServerError, isAbortError, throwIfAborted } from '../errors.ts';
import type { CompleteOptions, CompletionRequest, CompletionResult, LlmPort } from './types.ts';

export interface RetryPolicy {
  /** Retries after the first attempt (default 6). */
  maxRetries?: number;
  /** First backoff (default 1 s), doubling per retry... */
  baseDelayMs?: number;
  /** ...up to this (default 30 s). */
  maxDelayMs?: number;
  /** ± this fraction of random spread on the backoff (default 0.25). */
  jitter?: number;
  /**
   * A provider's `Retry-After` longer than this is not waited out (default 5 minutes): the error is thrown
   * so the run pauses with the reason, rather than a tab waiting for hours.
   */
  maxRetryAfterMs?: number;
  /** Injectable for tests. Resolves after `ms`, rejects with AbortError when `signal` fires. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Injectable for tests: a number in [0, 1). */
  random?: () => number;
}

export const DEFAULT_RETRY_POLICY = {
  maxRetries: 6,
  baseDelayMs: 1_000,
  maxDelayMs: 30_000,
  jitter: 0.25,
  maxRetryAfterMs: 300_000,
} as const;

/** A wait that ends early, with AbortError, when the signal fires. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new AbortError());
    const onAbort = () => {
      clearTimeout(timer);
      reject(new AbortError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Whether `withRetries` tries again after this error. */
export function isRetryable(error: unknown): error is L2macError {
  return error instanceof L2macError && error.retryable;
}

/** The backoff before retry number `retry` (1-based), jittered: 1 s, 2 s, 4 s … capped at 30 s, ±25 %. */
export function backoffDelayMs(retry: number, policy: RetryPolicy = {}, random: () => number = Math.random): number {
  const base = policy.baseDelayMs ?? DEFAULT_RETRY_POLICY.baseDelayMs;
  const cap = policy.maxDelayMs ?? DEFAULT_RETRY_POLICY.maxDelayMs;
  const jitter = policy.jitter ?? DEFAULT_RETRY_POLICY.jitter;
  const delay = Math.min(cap, base * 2 ** (retry - 1));
  return Math.max(0, Math.round(delay * (1 + (random() * 2 - 1) * jitter)));
}

function providerDelayMs(error: L2macError): number | undefined {
  if (error instanceof RateLimitError || error instanceof ServerError) return error.retryAfterMs;
  return undefined;
}

class RetryingLlm implements LlmPort {
  constructor(
    private readonly inner: LlmPort,
    private readonly policy: RetryPolicy,
  ) {}

  get model() {
    return this.inner.model;
  }

  countTokens(...args: Parameters<LlmPort['countTokens']>) {
    return this.inner.countTokens(...args);
  }

  countToolTokens(...args: Parameters<LlmPort['countToolTokens']>) {
    return this.inner.countToolTokens(...args);
  }

  async complete(request: CompletionRequest, options: CompleteOptions = {}): Promise<CompletionResult> {
    const maxRetries = this.policy.maxRetries ?? DEFAULT_RETRY_POLICY.maxRetries;
    const maxRetryAfter = this.policy.maxRetryAfterMs ?? DEFAULT_RETRY_POLICY.maxRetryAfterMs;
    const sleep = this.policy.sleep ?? abortableSleep;
    const random = this.policy.random ?? Math.random;
    for (let retry = 0; ; retry++) {
      throwIfAborted(options.signal);
      try {
        return await this.inner.complete(request, options);
      } catch (error) {
        if (options.signal?.aborted || isAbortError(error)) throw error instanceof AbortError ? error : new AbortError();
        if (!isRetryable(error) || retry >= maxRetries) throw error;
        const asked = providerDelayMs(error);
        if (asked !== undefined && asked > maxRetryAfter) throw error;
        const delayMs = asked ?? backoffDelayMs(retry + 1, this.policy, random);
        options.onWait?.({ attempt: retry + 1, maxAttempts: maxRetries, delayMs, reason: error.code, message: error.message });
        await sleep(delayMs, options.signal);
      }
    }
  }
}

/** The LLM port `inner` with retries; `model` and token counting pass through. */
export function withRetries(inner: LlmPort, policy: RetryPolicy = {}): LlmPort {
  return new RetryingLlm(inner, policy);
}
