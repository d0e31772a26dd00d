import { describe, expect, it } from 'vitest';
import {
  AbortError,
  AuthError,
  BadRequestError,
  ContextLengthError,
  L2macError,
  ModelNotFoundError,
  NetworkError,
  QuotaError,
  RateLimitError,
  ServerError,
  StreamBrokenError,
  TimeoutError,
} from '../../../src/errors.ts';
import { abortableSleep, backoffDelayMs, withRetries } from '../../../src/llm/retry.ts';
import { SCRIPTED_MODEL } from '../../../src/llm/scripted.ts';
import type { CompletionRequest, CompletionResult, LlmPort, RetryWait } from '../../../src/llm/types.ts';

const request: CompletionRequest = { messages: [{ role: 'user', content: 'x' }], meta: { runId: 'r', kind: 'step', step: 1, turn: 0, restart: 0 } };
const ok: CompletionResult = {
  message: { role: 'assistant', content: 'done' },
  usage: { inputTokens: 1, cachedInputTokens: 0, outputTokens: 1 },
  finishReason: 'stop',
  usageReported: true,
};

/** An LLM that throws the given errors in turn, then answers. */
function failing(...errors: Error[]): LlmPort & { calls: number } {
  const port = {
    calls: 0,
    model: SCRIPTED_MODEL,
    countTokens: () => 7,
    countToolTokens: () => 11,
    async complete() {
      const error = errors[port.calls++];
      if (error) throw error;
      return ok;
    },
  };
  return port;
}

function recorder() {
  const log: string[] = [];
  const slept: number[] = [];
  return {
    log,
    slept,
    policy: {
      random: () => 0.5,
      sleep: async (ms: number) => {
        log.push(`sleep:${ms}`);
        slept.push(ms);
      },
    },
    onWait: (wait: RetryWait) => log.push(`wait:${wait.attempt}/${wait.maxAttempts}:${wait.reason}:${wait.delayMs}`),
  };
}

describe('backoffDelayMs', () => {
  it('starts at 1 s, doubles, caps at 30 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => backoffDelayMs(n, {}, () => 0.5))).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000]);
  });

  it('spreads ±25 %', () => {
    expect(backoffDelayMs(3, {}, () => 0)).toBe(3000);
    expect(backoffDelayMs(3, {}, () => 0.999999)).toBe(5000);
    expect(backoffDelayMs(6, {}, () => 0)).toBe(22500);
  });
});

describe('withRetries', () => {
  const retryable = [
    new RateLimitError('429'),
    new ServerError('500', 500),
    new NetworkError('offline'),
    new StreamBrokenError('cut'),
    new TimeoutError('slow'),
  ];
  for (const error of retryable) {
    it(`retries ${error.name}`, async () => {
      const inner = failing(error);
      const r = recorder();
      expect(await withRetries(inner, r.policy).complete(request, { onWait: r.onWait })).toBe(ok);
      expect(inner.calls).toBe(2);
      expect(r.log).toEqual([`wait:1/6:${error.code}:1000`, 'sleep:1000']);
    });
  }

  const fatal = [
    new AuthError('401', 401),
    new ModelNotFoundError('404'),
    new QuotaError('quota'),
    new BadRequestError('400', 400),
    new ContextLengthError('too long'),
    new AbortError(),
  ];
  for (const error of fatal) {
    it(`never retries ${error.name}`, async () => {
      const inner = failing(error);
      const r = recorder();
      await expect(withRetries(inner, r.policy).complete(request, { onWait: r.onWait })).rejects.toBe(error);
      expect(inner.calls).toBe(1);
      expect(r.log).toEqual([]);
    });
  }

  it('after the last retry throws the last typed error, having reported every wait with growing backoff', async () => {
    const errors = Array.from({ length: 7 }, (_, i) => new ServerError(`failure ${i}`, 503));
    const inner = failing(...errors);
    const r = recorder();
    const error = await withRetries(inner, r.policy)
      .complete(request, { onWait: r.onWait })
      .catch((e: unknown) => e);
    expect(error).toBe(errors[6]);
    expect(inner.calls).toBe(7);
    expect(r.slept).toEqual([1000, 2000, 4000, 8000, 16000, 30000]);
    expect(r.log.filter((l) => l.startsWith('wait'))).toHaveLength(6);
  });

  it('honours maxRetries', async () => {
    const inner = failing(new NetworkError('a'), new NetworkError('b'));
    await expect(withRetries(inner, { ...recorder().policy, maxRetries: 1 }).complete(request)).rejects.toThrow('b');
    expect(inner.calls).toBe(2);
  });

  it('waits what the provider asked (Retry-After wins over the backoff)', async () => {
    const inner = failing(new RateLimitError('429', 1234), new ServerError('503', 503, 4321));
    const r = recorder();
    await withRetries(inner, r.policy).complete(request, { onWait: r.onWait });
    expect(r.slept).toEqual([1234, 4321]);
  });

  it('does not wait out a Retry-After beyond the limit: the error goes to the caller (the run pauses)', async () => {
    const error = new RateLimitError('daily limit', 3_600_000);
    const inner = failing(error);
    const r = recorder();
    await expect(withRetries(inner, r.policy).complete(request)).rejects.toBe(error);
    expect(r.slept).toEqual([]);
  });

  it('reports each wait before it starts', async () => {
    const r = recorder();
    await withRetries(failing(new NetworkError('x'), new NetworkError('y')), r.policy).complete(request, { onWait: r.onWait });
    expect(r.log).toEqual(['wait:1/6:network:1000', 'sleep:1000', 'wait:2/6:network:2000', 'sleep:2000']);
  });

  it('stops a wait at once when aborted, with AbortError', async () => {
    const controller = new AbortController();
    const inner = failing(new RateLimitError('429', 60_000));
    const pending = withRetries(inner).complete(request, { signal: controller.signal, onWait: () => controller.abort() });
    await expect(pending).rejects.toBeInstanceOf(AbortError);
    expect(inner.calls).toBe(1);
  });

  it('maps any abort-shaped failure after the signal fired to AbortError and does not retry', async () => {
    const controller = new AbortController();
    const port: LlmPort = {
      model: SCRIPTED_MODEL,
      countTokens: () => 0,
      countToolTokens: () => 0,
      complete: async () => {
        controller.abort();
        throw new NetworkError('socket closed');
      },
    };
    const error = await withRetries(port, recorder().policy)
      .complete(request, { signal: controller.signal })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortError);
    expect(error).toBeInstanceOf(L2macError);
  });

  it('passes the model and token counting through', () => {
    const retrying = withRetries(failing());
    expect(retrying.model).toBe(SCRIPTED_MODEL);
    expect(retrying.countTokens({ role: 'user', content: 'x' })).toBe(7);
    expect(retrying.countToolTokens([])).toBe(11);
  });
});

describe('abortableSleep', () => {
  it('rejects at once for an already aborted signal', async () => {
    await expect(abortableSleep(10_000, AbortSignal.abort())).rejects.toBeInstanceOf(AbortError);
  });
});
