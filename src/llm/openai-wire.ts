/**
 * The wire format of chat completions (DESIGN.md §8): the request body built from a `CompletionRequest`
 * and a model row, and the reply read back — assembled from stream chunks, or from one JSON body.
 */
import type { AssistantMessage, CompletionRequest, FinishReason, ModelInfo, ToolCall, ToolSpec, Usage } from './types.ts';

/** The completion reserve: the model's output limit, at most `cap` (DESIGN.md §4). */
export function replyTokenLimit(model: ModelInfo, cap = 8_192): number {
  return Math.min(model.maxOutputTokens, cap);
}

export interface WireBody {
  model: string;
  messages: unknown[];
  tools?: unknown[];
  tool_choice?: unknown;
  max_tokens?: number;
  max_completion_tokens?: number;
  temperature?: number;
  stream: boolean;
  stream_options?: { include_usage: boolean };
}

function wireTools(tools: ToolSpec[], strictTools: boolean): ToolSpec[] {
  if (strictTools) return tools;
  // A provider without strict schemas may reject the field, so it is left out rather than sent false.
  return tools.map((tool) => {
    const { strict: _strict, ...fn } = tool.function;
    return { type: 'function', function: fn };
  });
}

/**
 * Reasoning models take `max_completion_tokens` and no temperature; others `max_tokens`, and a temperature
 * only when the model accepts one. `parallel_tool_calls` is left to the provider's default. `meta` is never
 * sent.
 */
export function buildRequestBody(request: CompletionRequest, model: ModelInfo, wireModel: string, options: { reserve: number; stream: boolean }): WireBody {
  const body: WireBody = { model: wireModel, messages: request.messages, stream: options.stream };
  if (request.tools?.length) {
    body.tools = wireTools(request.tools, model.strictTools);
    if (request.toolChoice !== undefined) body.tool_choice = request.toolChoice;
  }
  if (model.reasoning) body.max_completion_tokens = options.reserve;
  else body.max_tokens = options.reserve;
  if (request.temperature !== undefined && model.supportsTemperature && !model.reasoning) body.temperature = request.temperature;
  if (options.stream) body.stream_options = { include_usage: true };
  return body;
}

interface WireUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number | null } | null;
  /** DeepSeek's name for cached prompt tokens. */
  prompt_cache_hit_tokens?: number;
}

export function readUsage(usage: WireUsage | null | undefined): Usage | undefined {
  if (!usage || typeof usage.prompt_tokens !== 'number') return undefined;
  return {
    inputTokens: usage.prompt_tokens,
    cachedInputTokens: usage.prompt_tokens_details?.cached_tokens ?? usage.prompt_cache_hit_tokens ?? 0,
    outputTokens: usage.completion_tokens ?? 0,
  };
}

function readFinish(reason: string | null | undefined, hasToolCalls: boolean): FinishReason {
  switch (reason) {
    case 'tool_calls':
    case 'function_call':
      return 'tool_calls';
    case 'stop':
      // Some servers (older Ollama, some proxies) say "stop" after tool calls.
      return hasToolCalls ? 'tool_calls' : 'stop';
    case 'length':
    case 'content_filter':
      return reason;
    default:
      return 'unknown';
  }
}

interface ToolCallDelta {
  index?: number;
  id?: string;
  type?: string;
  function?: { name?: string; arguments?: string };
}

interface ChunkLike {
  choices?: Array<{ delta?: { content?: string | null; tool_calls?: ToolCallDelta[] }; finish_reason?: string | null }>;
  usage?: WireUsage | null;
}

interface PartialCall {
  id: string;
  name: string;
  arguments: string;
}

/**
 * Assembles a streamed reply: text deltas in order, tool calls by `index` (id and name arrive first, then
 * argument fragments), the finish reason, and the usage chunk (whose `choices` is empty). Servers that omit
 * `index` are handled by id, then by position.
 */
export class StreamAssembler {
  private content = '';
  private readonly calls: PartialCall[] = [];
  private finish: string | null = null;
  usage: Usage | undefined;
  /** Any part of a reply arrived (text or a tool call). */
  started = false;

  /** Takes one chunk; returns its text delta, if any. */
  push(chunk: ChunkLike): string {
    const usage = readUsage(chunk.usage);
    if (usage) this.usage = usage;
    let text = '';
    for (const choice of chunk.choices ?? []) {
      const delta = choice.delta;
      if (typeof delta?.content === 'string' && delta.content) {
        text += delta.content;
        this.started = true;
      }
      for (const call of delta?.tool_calls ?? []) this.pushCall(call);
      if (choice.finish_reason) this.finish = choice.finish_reason;
    }
    this.content += text;
    return text;
  }

  private pushCall(delta: ToolCallDelta): void {
    this.started = true;
    let slot: PartialCall | undefined;
    if (typeof delta.index === 'number') {
      slot = this.calls[delta.index];
      if (!slot) slot = this.calls[delta.index] = { id: '', name: '', arguments: '' };
    } else if (delta.id && this.calls.some((c) => c?.id === delta.id)) {
      slot = this.calls.find((c) => c?.id === delta.id);
    } else if (delta.id || this.calls.length === 0) {
      slot = { id: '', name: '', arguments: '' };
      this.calls.push(slot);
    } else {
      slot = this.calls[this.calls.length - 1];
    }
    if (!slot) return;
    if (delta.id && !slot.id) slot.id = delta.id;
    if (delta.function?.name && !slot.name) slot.name = delta.function.name;
    if (delta.function?.arguments) slot.arguments += delta.function.arguments;
  }

  get finished(): boolean {
    return this.finish !== null;
  }

  message(): AssistantMessage {
    const calls = this.calls.filter((c): c is PartialCall => c !== undefined);
    return assistantMessage(this.content || null, calls);
  }

  finishReason(): FinishReason {
    return readFinish(this.finish, this.calls.some((c) => c !== undefined));
  }
}

/** The assistant message, with ids made up for calls a server sent without one (replies must match them). */
function assistantMessage(content: string | null, calls: PartialCall[]): AssistantMessage {
  const message: AssistantMessage = { role: 'assistant', content };
  if (calls.length) {
    const salt = Date.now().toString(36);
    message.tool_calls = calls.map(
      (call, i): ToolCall => ({ id: call.id || `call_${salt}_${i}`, type: 'function', function: { name: call.name, arguments: call.arguments } }),
    );
  }
  return message;
}

interface CompletionLike {
  choices?: Array<{
    message?: { content?: string | null; tool_calls?: Array<{ id?: string; type?: string; function?: { name?: string; arguments?: string } }> | null };
    finish_reason?: string | null;
  }>;
  usage?: WireUsage | null;
}

/** A non-streamed reply. */
export function readCompletion(completion: CompletionLike): { message: AssistantMessage; finishReason: FinishReason; usage: Usage | undefined } {
  const choice = completion.choices?.[0];
  const calls = (choice?.message?.tool_calls ?? [])
    .filter((call) => call.type === undefined || call.type === 'function')
    .map((call) => ({ id: call.id ?? '', name: call.function?.name ?? '', arguments: call.function?.arguments ?? '' }));
  const message = assistantMessage(choice?.message?.content ?? null, calls);
  return { message, finishReason: readFinish(choice?.finish_reason, calls.length > 0), usage: readUsage(completion.usage) };
}
