/**
 * LLM ports around the scripted LLM for control-unit fault tests: one that throws a chosen error for
 * chosen requests, one that hangs until aborted.
 */
import { AbortError } from '../../src/errors.ts';
import type { ScriptedLlm } from '../../src/llm/scripted.ts';
import type { CompleteOptions, CompletionRequest, CompletionResult, LlmPort } from '../../src/llm/types.ts';

export type Fault = (request: CompletionRequest, index: number, options: CompleteOptions) => unknown;

/** Passes requests to `inner` unless `fault` returns an error (thrown), or a promise (awaited first). */
export function faultyLlm(inner: ScriptedLlm, fault: Fault): LlmPort & { calls: number } {
  const port = {
    calls: 0,
    model: inner.model,
    countTokens: inner.countTokens.bind(inner),
    countToolTokens: inner.countToolTokens.bind(inner),
    async complete(request: CompletionRequest, options: CompleteOptions = {}): Promise<CompletionResult> {
      const index = port.calls++;
      const injected = fault(request, index, options);
      if (injected instanceof Error) throw injected;
      if (injected instanceof Promise) await injected;
      return inner.complete(request, options);
    },
  };
  return port;
}

/** A call that never answers: it rejects with AbortError when the signal fires (and says it started). */
export function hangUntilAborted(options: CompleteOptions, started?: () => void): Promise<never> {
  started?.();
  return new Promise((_, reject) => {
    if (options.signal?.aborted) reject(new AbortError());
    options.signal?.addEventListener('abort', () => reject(new AbortError()), { once: true });
  });
}
