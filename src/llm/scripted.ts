/**
 * The scripted LLM: replays a scenario (`scenario.ts`) through the LLM port. A test tool and the engine of
 * the labelled offline demos; never a claim about any model's quality.
 */
import { AbortError, throwIfAborted } from '../errors.ts';
import { estimateMessageTokens, estimateToolTokens } from './estimate.ts';
import { findScenarioTurn, scenarioMessage, type Scenario } from './scenario.ts';
import type { ChatMessage, CompleteOptions, CompletionRequest, CompletionResult, LlmPort, ModelInfo, ToolSpec } from './types.ts';

export const SCRIPTED_MODEL: ModelInfo = {
  id: 'scripted',
  contextWindow: 128_000,
  maxOutputTokens: 8_192,
  prices: null,
  reasoning: false,
  supportsTemperature: true,
  strictTools: false,
  tokenizer: 'estimate',
  source: 'L2MAC Web scripted LLM (replays a scenario file; not a model)',
  checked: '2026-11-24',
};

export interface ScriptedLlmOptions {
  model?: Partial<ModelInfo>;
  /** Pause before each reply, e.g. so a demo can be watched. Abortable. */
  delayMs?: number;
  /** Characters per streamed delta (default 24). */
  chunkSize?: number;
  /** Called with every request, for tests that inspect what was sent. */
  onRequest?: (request: CompletionRequest) => void;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new AbortError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export class ScriptedLlm implements LlmPort {
  readonly model: ModelInfo;
  /** Every request received, in order (for tests). */
  readonly requests: CompletionRequest[] = [];
  private readonly counts = new WeakMap<ChatMessage, number>();

  constructor(
    readonly scenario: Scenario,
    private readonly options: ScriptedLlmOptions = {},
  ) {
    this.model = { ...SCRIPTED_MODEL, ...options.model };
  }

  countTokens(message: ChatMessage): number {
    let count = this.counts.get(message);
    if (count === undefined) {
      count = estimateMessageTokens(message);
      this.counts.set(message, count);
    }
    return count;
  }

  countToolTokens(tools: ToolSpec[]): number {
    return estimateToolTokens(tools);
  }

  async complete(request: CompletionRequest, options: CompleteOptions = {}): Promise<CompletionResult> {
    throwIfAborted(options.signal);
    this.requests.push(request);
    this.options.onRequest?.(request);
    const turn = findScenarioTurn(this.scenario, request.meta, request.messages);
    await sleep(this.options.delayMs ?? 0, options.signal);
    const message = scenarioMessage(turn, request.meta);

    if (message.content && options.onDelta) {
      const size = this.options.chunkSize ?? 24;
      for (let i = 0; i < message.content.length; i += size) {
        throwIfAborted(options.signal);
        options.onDelta(message.content.slice(i, i + size));
      }
    }
    throwIfAborted(options.signal);

    const inputTokens =
      request.messages.reduce((sum, m) => sum + this.countTokens(m), 0) +
      (request.tools ? this.countToolTokens(request.tools) : 0);
    const outputTokens = estimateMessageTokens(message);
    return {
      message,
      usage: {
        inputTokens: turn.usage?.inputTokens ?? inputTokens,
        cachedInputTokens: turn.usage?.cachedInputTokens ?? 0,
        outputTokens: turn.usage?.outputTokens ?? outputTokens,
      },
      finishReason: message.tool_calls?.length ? 'tool_calls' : 'stop',
      usageReported: turn.usage !== undefined,
    };
  }
}
