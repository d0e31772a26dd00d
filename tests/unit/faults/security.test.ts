/**
 * Issue 12, security: the API key never reaches a stored reason or event (DESIGN.md §6) even when a
 * provider repeats it in an error message. The LLM port's errors lose the key before the control unit or
 * the retry loop (whose waits become stored `retry-wait` events) sees them.
 */
import { describe, expect, it } from 'vitest';
import { KEY_PLACEHOLDER, redactKey, withKeyRedacted } from '../../../src/app/redact-key.ts';
import { AuthError, ServerError } from '../../../src/errors.ts';
import { withRetries } from '../../../src/llm/retry.ts';
import type { CompletionRequest, LlmPort, RetryWait } from '../../../src/llm/types.ts';

const KEY = 'sk-proj-abcdefghijklmnop0123456789';
const request = { messages: [], meta: { runId: 'r', kind: 'step', step: 1, turn: 0 } } as unknown as CompletionRequest;

function failing(errors: Error[]): LlmPort & { calls: number } {
  const llm = {
    calls: 0,
    model: { id: 'm' } as LlmPort['model'],
    countTokens: () => 1,
    countToolTokens: () => 1,
    async complete() {
      const error = errors[llm.calls++];
      if (error) throw error;
      return { message: { role: 'assistant', content: 'done' }, usage: { promptTokens: 1, completionTokens: 1, cachedTokens: 0 } } as unknown as Awaited<ReturnType<LlmPort['complete']>>;
    },
  };
  return llm;
}

describe('the key in provider error messages', () => {
  it('is replaced in the message, the stack and the causes, keeping the error’s type and fields', async () => {
    const cause = new Error(`401 Incorrect API key provided: ${KEY}`);
    const inner = failing([Object.assign(new AuthError(`Incorrect API key provided: ${KEY}. Check it.`, 401), { cause })]);
    const error = await withKeyRedacted(inner, KEY).complete(request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).status).toBe(401);
    expect((error as Error).message).toBe(`Incorrect API key provided: ${KEY_PLACEHOLDER}. Check it.`);
    expect(`${(error as Error).stack}\n${String(cause.message)}\n${cause.stack}`).not.toContain(KEY);
  });

  it('never reaches a retry wait: the waits and the final error carry no key, and a success passes through', async () => {
    const inner = failing([new ServerError(`upstream failed for ${KEY}`, 500), new ServerError(`again for ${KEY}`, 502)]);
    const waits: RetryWait[] = [];
    const llm = withRetries(withKeyRedacted(inner, KEY), { maxRetries: 3, sleep: async () => {} });
    const result = await llm.complete(request, { onWait: (wait) => waits.push(wait) });
    expect(result.message.content).toBe('done');
    expect(waits.map((w) => w.message)).toEqual([`upstream failed for ${KEY_PLACEHOLDER}`, `again for ${KEY_PLACEHOLDER}`]);
    expect(inner.calls).toBe(3);
  });

  it('leaves messages alone for a placeholder key too short to be secret', () => {
    expect(redactKey('Model ollama not found', 'ollama')).toBe('Model ollama not found');
    expect(redactKey(`bad ${KEY} and ${KEY}`, KEY)).toBe(`bad ${KEY_PLACEHOLDER} and ${KEY_PLACEHOLDER}`);
  });
});
