/**
 * The API key never enters a run record, an event or the console (DESIGN.md §6), even when a provider or a
 * proxy repeats the key it was sent in an error message ("Incorrect API key provided: sk-…"). Such a
 * message becomes a paused run's reason and a retry wait's text, both stored; so the LLM port's errors
 * lose the key before the control unit sees them.
 */
import type { CompleteOptions, CompletionRequest, CompletionResult, LlmPort } from '../llm/types.ts';

export const KEY_PLACEHOLDER = '[your API key]';

/** Keys shorter than this are placeholders ("ollama", "none") that words of a message could equal. */
const MIN_KEY_LENGTH = 8;

/** `text` with every occurrence of `key` replaced. */
export function redactKey(text: string, key: string): string {
  return key.length < MIN_KEY_LENGTH ? text : text.split(key).join(KEY_PLACEHOLDER);
}

/** Removes the key from an error's message and stack, and from its causes', in place; returns the error. */
export function redactKeyFromError<T>(error: T, key: string): T {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current instanceof Error && !seen.has(current)) {
    seen.add(current);
    current.message = redactKey(current.message, key);
    if (current.stack) current.stack = redactKey(current.stack, key);
    current = current.cause;
  }
  return error;
}

class KeyRedactingLlm implements LlmPort {
  constructor(
    private readonly inner: LlmPort,
    private readonly key: string,
  ) {}

  get model() {
    return this.inner.model;
  }

  countTokens(...args: Parameters<LlmPort['countTokens']>): number {
    return this.inner.countTokens(...args);
  }

  countToolTokens(...args: Parameters<LlmPort['countToolTokens']>): number {
    return this.inner.countToolTokens(...args);
  }

  async complete(request: CompletionRequest, options?: CompleteOptions): Promise<CompletionResult> {
    try {
      return await this.inner.complete(request, options);
    } catch (error) {
      throw redactKeyFromError(error, this.key);
    }
  }
}

/** The LLM whose errors never carry `key`. */
export function withKeyRedacted(inner: LlmPort, key: string): LlmPort {
  return key.length < MIN_KEY_LENGTH ? inner : new KeyRedactingLlm(inner, key);
}
