/**
 * The LLM layer in the browser test page: `harness.llm.complete(...)` runs the real `OpenAiLlm` (behind
 * `withRetries`) in Chromium, `harness.llm.testConnection(...)` the real Test connection, and `harness.llm.completeWithSdkDefaults(...)` runs the bare openai SDK with
 * its default headers, the control showing what a strict CORS server refuses. Results and typed errors come
 * back as plain objects.
 */
import { L2macError } from '../../src/errors.ts';
import { testConnection } from '../../src/llm/connection-test.ts';
import { classifyLlmError } from '../../src/llm/errors.ts';
import { createOpenAiLlm } from '../../src/llm/openai.ts';
import { withRetries } from '../../src/llm/retry.ts';
import type { CompletionRequest, LlmSettings, ModelInfo, RetryWait } from '../../src/llm/types.ts';

interface ErrorShape {
  name: string;
  code?: string;
  message: string;
  retryable?: boolean;
}

function errorShape(error: unknown): ErrorShape {
  if (error instanceof L2macError) return { name: error.name, code: error.code, message: error.message, retryable: error.retryable };
  return { name: (error as Error)?.name ?? 'Error', message: String((error as Error)?.message ?? error) };
}

async function complete(settings: LlmSettings, apiKey: string, model: ModelInfo, request: CompletionRequest, policy: { maxRetries?: number } = {}) {
  const deltas: string[] = [];
  const waits: RetryWait[] = [];
  let discards = 0;
  try {
    const llm = withRetries(await createOpenAiLlm(settings, apiKey, model), { maxRetries: policy.maxRetries ?? 0 });
    const result = await llm.complete(request, { onDelta: (d) => deltas.push(d), onWait: (w) => waits.push(w), onDiscard: () => discards++ });
    return { ok: true as const, result, deltas, waits, discards };
  } catch (error) {
    return { ok: false as const, error: errorShape(error), deltas, waits, discards };
  }
}

async function completeWithSdkDefaults(baseURL: string, apiKey: string, request: Pick<CompletionRequest, 'messages'>) {
  const { default: OpenAI } = await import('openai');
  const client = new OpenAI({ apiKey, baseURL, dangerouslyAllowBrowser: true, maxRetries: 0 });
  try {
    const reply = await client.chat.completions.create({ model: 'mock-model', messages: request.messages as never });
    return { ok: true as const, content: reply.choices[0]?.message.content ?? null };
  } catch (error) {
    return { ok: false as const, error: errorShape(classifyLlmError(error, { baseURL })) };
  }
}

window.harness.llm = { complete, completeWithSdkDefaults, testConnection };
