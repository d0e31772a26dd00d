/**
 * The LLM port (DESIGN.md §3, §8). The control unit talks to every model through this interface: the
 * OpenAI-compatible client (`openai.ts`), the scripted LLM (`scripted.ts`) for demos and tests, and the
 * retry decorator (`retry.ts`) that wraps either.
 *
 * Messages use the OpenAI chat-completions shape, because that is what every provider of DESIGN.md §8
 * speaks and what gets sent on the wire.
 */

export interface ToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export interface SystemMessage {
  role: 'system';
  content: string;
}
export interface UserMessage {
  role: 'user';
  content: string;
}
export interface AssistantMessage {
  role: 'assistant';
  content: string | null;
  tool_calls?: ToolCall[];
}
export interface ToolMessage {
  role: 'tool';
  tool_call_id: string;
  content: string;
}
export type ChatMessage = SystemMessage | UserMessage | AssistantMessage | ToolMessage;

/** A JSON schema, as sent in a tool definition. Kept structural: the control unit writes these by hand. */
export interface JsonSchema {
  type?: string | string[];
  description?: string;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
}

export interface ToolSpec {
  type: 'function';
  function: { name: string; description: string; parameters: JsonSchema; strict?: boolean };
}

export type ToolChoice = 'auto' | 'none' | 'required' | { type: 'function'; function: { name: string } };

/**
 * What a request is for. `plan`: writing the prompt program (and exploring existing files before it);
 * `step`: a turn of a step's agent; `summary`: the hand-off summary after a step; `progress`: the summary
 * asked for before a context restart; `report`: the model's own assessment in the final report.
 */
export type RequestKind = 'plan' | 'step' | 'summary' | 'progress' | 'report';

/**
 * Where a request sits in a run. Never sent to the provider. The scripted LLM keys its replies on
 * (kind, step, turn, restart) plus a substring of the last message, and the mock server derives the same
 * key from the request alone (`deriveRequestMeta`), so both play the same scenario files.
 *
 * - `step`: 0 for planning and the report, 1-based for steps.
 * - `turn`: the number of assistant messages already in the request's context (0 for the first call of a
 *   context). It restarts at 0 after a context restart; `restart` tells the segments apart.
 * - `restart`: how many times the step's context was restarted before this request.
 */
export interface RequestMeta {
  runId: string;
  kind: RequestKind;
  step: number;
  turn: number;
  restart: number;
}

export interface CompletionRequest {
  messages: ChatMessage[];
  tools?: ToolSpec[];
  toolChoice?: ToolChoice;
  /** Only sent when the model accepts a temperature (reasoning models do not). */
  temperature?: number;
  meta: RequestMeta;
}

export interface Usage {
  /** All prompt tokens, cached ones included. */
  inputTokens: number;
  /** The part of `inputTokens` the provider served from its prompt cache. */
  cachedInputTokens: number;
  outputTokens: number;
}

export type FinishReason = 'stop' | 'tool_calls' | 'length' | 'content_filter' | 'unknown';

export interface CompletionResult {
  message: AssistantMessage;
  usage: Usage;
  finishReason: FinishReason;
  /** True when `usage` came from the provider; false when it is our own estimate. */
  usageReported: boolean;
}

/** A wait before a retry, reported so the UI can show it and the event log can record it. */
export interface RetryWait {
  attempt: number;
  maxAttempts: number;
  delayMs: number;
  /** The typed error's code that caused the wait (`rate-limit`, `server`, `network`, ...). */
  reason: string;
  message: string;
}

export interface CompleteOptions {
  signal?: AbortSignal;
  /** Streamed assistant text as it arrives. When that reply later breaks, `onDiscard` follows. */
  onDelta?: (text: string) => void;
  /** The streamed text so far belongs to a reply that broke and is being retried. */
  onDiscard?: () => void;
  /** A retry wait is starting. */
  onWait?: (wait: RetryWait) => void;
}

export interface Prices {
  /** US dollars per million tokens. */
  input: number;
  cachedInput: number;
  output: number;
}

export type TokenizerKind = 'o200k_base' | 'cl100k_base' | 'estimate';

export interface ModelInfo {
  id: string;
  contextWindow: number;
  maxOutputTokens: number;
  prices: Prices | null;
  /** Reasoning models take `max_completion_tokens` and reject a non-default temperature. */
  reasoning: boolean;
  supportsTemperature: boolean;
  /** Strict tool schemas (`strict: true`) are accepted. */
  strictTools: boolean;
  tokenizer: TokenizerKind;
  /** Where the figures come from, and when they were checked (ISO date). */
  source: string;
  checked: string;
}

export interface LlmPort {
  readonly model: ModelInfo;
  /** Tokens of one message in a request (cached per message object by implementations). */
  countTokens(message: ChatMessage): number;
  /** Tokens of the tool definitions sent with a request. */
  countToolTokens(tools: ToolSpec[]): number;
  complete(request: CompletionRequest, options?: CompleteOptions): Promise<CompletionResult>;
}

export interface LlmSettings {
  provider: ProviderId;
  baseURL: string;
  model: string;
  /** Azure OpenAI only: `2024-10-21` style (deployment URLs) or `v1` (Azure's v1 API). */
  apiVersion?: string;
  /** Azure OpenAI only: the deployment name (default: `model`, which stays the model table's id). */
  deployment?: string;
  /** Overrides of the model table's row for this model (DESIGN.md §8: every value is editable). */
  modelOverrides?: Partial<Omit<ModelInfo, 'id'>>;
  /** Idle limit of a stream, in ms (default 60 000). */
  streamIdleMs?: number;
}

export type ProviderId =
  | 'openai'
  | 'azure'
  | 'openrouter'
  | 'anthropic'
  | 'gemini'
  | 'ollama'
  | 'lmstudio'
  | 'custom'
  | 'scripted';
