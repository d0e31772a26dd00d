/**
 * `OpenAiLlm`: the LLM port over the openai SDK in browser mode (DESIGN.md §8), for every
 * OpenAI-compatible provider. The SDK's retries are off (`withRetries` in `retry.ts` replaces them) and its
 * telemetry headers never reach the wire (`openai-client.ts`).
 *
 * A streamed reply is all or nothing: a stream that breaks, ends without a finish reason, or goes idle past
 * `streamIdleMs` throws StreamBrokenError, and the partial reply is dropped (the caller runs none of its
 * tool calls; `onDiscard` tells the UI to drop the streamed text). Every call is abortable at any moment.
 */
import { AbortError, StreamBrokenError, throwIfAborted, type L2macError } from '../errors.ts';
import { estimateMessageTokens } from './estimate.ts';
import { classifyLlmError, type ClassifyContext } from './errors.ts';
import { createClient, createWireFetch, loadOpenAiSdk, requestBaseURL, sdkErrorClasses, type OpenAiClient } from './openai-client.ts';
import { buildRequestBody, readCompletion, replyTokenLimit, StreamAssembler, type WireBody } from './openai-wire.ts';
import { createTokenCounter, REQUEST_OVERHEAD_TOKENS, type TokenCounter } from './tokens.ts';
import type {
  AssistantMessage,
  ChatMessage,
  CompleteOptions,
  CompletionRequest,
  CompletionResult,
  LlmPort,
  LlmSettings,
  ModelInfo,
  ToolSpec,
  Usage,
} from './types.ts';

export const DEFAULT_STREAM_IDLE_MS = 60_000;

export interface OpenAiLlmOptions {
  /** The completion reserve is min(model output limit, this); default 8,192 (DESIGN.md §4). */
  completionReserveCap?: number;
  /** Stream replies (default true). Off: one JSON reply per call, bounded by `requestTimeoutMs`. */
  stream?: boolean;
  /** Until response headers arrive, and for a whole non-streamed reply. Default 10 minutes. */
  requestTimeoutMs?: number;
  /** The fetch under the wire fetch (tests, Node without a global fetch). */
  fetch?: (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;
}

interface Wiring {
  client: OpenAiClient;
  classify: Omit<ClassifyContext, 'signal'>;
  wireModel: string;
  reserve: number;
  stream: boolean;
  idleMs: number;
}

/** Whether an error thrown while reading a stream carries a provider error body (an in-stream error event). */
function hasErrorBody(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { error?: unknown }).error !== undefined;
}

/** A failing display callback must not fail (and so retry and re-bill) the reply it displays. */
function forwardDelta(onDelta: ((text: string) => void) | undefined, text: string): void {
  try {
    onDelta?.(text);
  } catch {
    // Ignored on purpose: see above.
  }
}

export class OpenAiLlm implements LlmPort {
  constructor(
    readonly model: ModelInfo,
    private readonly counter: TokenCounter,
    private readonly wiring: Wiring,
  ) {}

  countTokens(message: ChatMessage): number {
    return this.counter.count(message);
  }

  countToolTokens(tools: ToolSpec[]): number {
    return this.counter.countTools(tools);
  }

  async complete(request: CompletionRequest, options: CompleteOptions = {}): Promise<CompletionResult> {
    throwIfAborted(options.signal);
    const body = buildRequestBody(request, this.model, this.wiring.wireModel, { reserve: this.wiring.reserve, stream: this.wiring.stream });
    const raw = this.counter.rawRequest(request.messages, request.tools);
    const reply = this.wiring.stream ? await this.streamed(body, options) : await this.single(body, options);
    if (reply.usage) this.counter.observe(raw, reply.usage.inputTokens);
    return {
      message: reply.message,
      finishReason: reply.finishReason,
      usage: reply.usage ?? this.estimatedUsage(request, reply.message),
      usageReported: reply.usage !== undefined,
    };
  }

  private estimatedUsage(request: CompletionRequest, message: AssistantMessage): Usage {
    const input = request.messages.reduce((sum, m) => sum + this.counter.count(m), REQUEST_OVERHEAD_TOKENS + this.counter.countTools(request.tools ?? []));
    return { inputTokens: input, cachedInputTokens: 0, outputTokens: estimateMessageTokens(message) };
  }

  private classify(error: unknown, signal: AbortSignal | undefined): L2macError {
    return classifyLlmError(error, { ...this.wiring.classify, signal });
  }

  private async single(body: WireBody, options: CompleteOptions) {
    try {
      const completion = await this.wiring.client.chat.completions.create({ ...body, stream: false } as never, { signal: options.signal });
      const reply = readCompletion(completion as never);
      // The display gets the text in one piece, so streamed and non-streamed replies look alike to the UI.
      if (reply.message.content) forwardDelta(options.onDelta, reply.message.content);
      return reply;
    } catch (error) {
      throw this.classify(error, options.signal);
    }
  }

  private async streamed(body: WireBody, options: CompleteOptions) {
    const { signal, onDelta, onDiscard } = options;
    const controller = new AbortController();
    const forwardAbort = () => controller.abort();
    signal?.addEventListener('abort', forwardAbort, { once: true });
    let idle = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const idleMs = this.wiring.idleMs;
    const armIdleTimer = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        idle = true;
        controller.abort();
      }, idleMs);
    };
    const idleError = () => new StreamBrokenError(`The reply stream sent nothing for ${Math.round(idleMs / 1000)} s and was abandoned.`, true);
    const assembler = new StreamAssembler();

    try {
      armIdleTimer();
      let stream: AsyncIterable<unknown>;
      try {
        stream = (await this.wiring.client.chat.completions.create(body as never, { signal: controller.signal })) as unknown as AsyncIterable<unknown>;
      } catch (error) {
        if (idle && !signal?.aborted) throw idleError();
        throw this.classify(error, signal);
      }
      try {
        for await (const chunk of stream) {
          armIdleTimer();
          const text = assembler.push(chunk as never);
          if (text) forwardDelta(onDelta, text);
        }
      } catch (error) {
        if (signal?.aborted) throw new AbortError();
        if (idle) throw idleError();
        if (hasErrorBody(error)) throw this.classify(error, signal);
        // A break after the finish reason loses only the usage chunk and `[DONE]`: the reply is whole.
        if (!assembler.finished) throw new StreamBrokenError(`The reply stream broke before the reply was complete (${(error as Error).message ?? error}).`);
      }
      // The SDK ends the iteration quietly when its request is aborted.
      if (signal?.aborted) throw new AbortError();
      if (idle) throw idleError();
      if (!assembler.finished) throw new StreamBrokenError('The reply stream ended before the reply was complete (no finish reason).');
      return { message: assembler.message(), finishReason: assembler.finishReason(), usage: assembler.usage };
    } catch (error) {
      if (assembler.started) onDiscard?.();
      throw error;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', forwardAbort);
      controller.abort();
    }
  }
}

/**
 * An `OpenAiLlm` for the settings: loads the SDK and the model's tokenizer (both lazily), and builds the
 * client. The key goes only to `settings.baseURL`'s origin and is never logged.
 */
export async function createOpenAiLlm(settings: LlmSettings, apiKey: string, model: ModelInfo, options: OpenAiLlmOptions = {}): Promise<OpenAiLlm> {
  const counter = createTokenCounter(model.tokenizer);
  const [module] = await Promise.all([loadOpenAiSdk(), counter.ready()]);
  const wire = createWireFetch(requestBaseURL(settings), options.fetch);
  const client = createClient(module, settings, apiKey, wire, { timeoutMs: options.requestTimeoutMs });
  return new OpenAiLlm(model, counter, {
    client,
    classify: { model: settings.model, baseURL: requestBaseURL(settings), sdk: sdkErrorClasses(module), rawBody: wire.errorBody },
    wireModel: settings.provider === 'azure' ? settings.deployment || settings.model : settings.model,
    reserve: replyTokenLimit(model, options.completionReserveCap),
    stream: options.stream ?? true,
    idleMs: settings.streamIdleMs ?? DEFAULT_STREAM_IDLE_MS,
  });
}
