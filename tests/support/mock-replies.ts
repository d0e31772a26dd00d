/**
 * What the mock OpenAI-compatible server sends: `chat.completion` bodies, the `chat.completion.chunk`
 * sequence of a streamed reply (the shape the OpenAI API streams), and OpenAI-style error bodies.
 */
import type { StatusFault } from './mock-faults.ts';
import type { AssistantMessage, Usage } from '../../src/llm/types.ts';

export interface ChunkPlan {
  chunks: object[];
  /** Chunks sent before the middle of the first tool call's arguments (or of the text): where a cut lands. */
  midpoint: number;
}

interface ReplyIds {
  id: string;
  created: number;
  model: string;
}

function usageBody(usage: Usage) {
  return {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
    prompt_tokens_details: { cached_tokens: usage.cachedInputTokens },
  };
}

export function finishReasonOf(message: AssistantMessage): 'tool_calls' | 'stop' {
  return message.tool_calls?.length ? 'tool_calls' : 'stop';
}

export function completionBody(message: AssistantMessage, usage: Usage, ids: ReplyIds): object {
  return {
    id: ids.id,
    object: 'chat.completion',
    created: ids.created,
    model: ids.model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: message.content, refusal: null, ...(message.tool_calls ? { tool_calls: message.tool_calls } : {}) },
        finish_reason: finishReasonOf(message),
        logprobs: null,
      },
    ],
    usage: usageBody(usage),
  };
}

/** Splits text into `parts` roughly equal non-empty pieces (fewer when the text is short). */
function split(text: string, parts: number): string[] {
  if (text.length === 0) return [];
  const size = Math.max(1, Math.ceil(text.length / parts));
  const pieces: string[] = [];
  for (let i = 0; i < text.length; i += size) pieces.push(text.slice(i, i + size));
  return pieces;
}

/**
 * The chunks of a streamed reply: the role, content deltas, each tool call (id, type and name first with
 * empty arguments, then argument fragments, by index), the finish reason, and a usage chunk with empty
 * `choices` when the request asked for `stream_options.include_usage`.
 */
export function streamChunks(message: AssistantMessage, usage: Usage, ids: ReplyIds, includeUsage: boolean, contentParts = 3): ChunkPlan {
  const base = { id: ids.id, object: 'chat.completion.chunk', created: ids.created, model: ids.model };
  const chunk = (delta: object, finish: string | null = null) => ({
    ...base,
    choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }],
  });
  const chunks: object[] = [chunk({ role: 'assistant', content: '', refusal: null })];
  for (const piece of split(message.content ?? '', contentParts)) chunks.push(chunk({ content: piece }));
  let midpoint = Math.max(1, Math.ceil(chunks.length / 2));
  (message.tool_calls ?? []).forEach((call, index) => {
    chunks.push(chunk({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.function.name, arguments: '' } }] }));
    split(call.function.arguments, 3).forEach((fragment, f) => {
      chunks.push(chunk({ tool_calls: [{ index, function: { arguments: fragment } }] }));
      if (index === 0 && f === 0) midpoint = chunks.length;
    });
    if (index === 0 && call.function.arguments.length === 0) midpoint = chunks.length;
  });
  chunks.push(chunk({}, finishReasonOf(message)));
  if (includeUsage) chunks.push({ ...base, choices: [], usage: usageBody(usage) });
  return { chunks, midpoint };
}

const DEFAULT_MESSAGES: Record<number, { message: string; type: string; code: string | null }> = {
  400: { message: 'Invalid request.', type: 'invalid_request_error', code: null },
  401: { message: 'Incorrect API key provided: sk-mo***ck. You can find your API key at https://platform.openai.com/account/api-keys.', type: 'invalid_request_error', code: 'invalid_api_key' },
  403: { message: 'You are not allowed to access this resource.', type: 'invalid_request_error', code: 'unsupported_country_region_territory' },
  404: { message: 'The model `mock-model` does not exist or you do not have access to it.', type: 'invalid_request_error', code: 'model_not_found' },
  429: { message: 'Rate limit reached for mock-model on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 1s.', type: 'requests', code: 'rate_limit_exceeded' },
  500: { message: 'The server had an error while processing your request. Sorry about that!', type: 'server_error', code: null },
  503: { message: 'The engine is currently overloaded, please try again later.', type: 'server_error', code: null },
};

const CODE_MESSAGES: Record<string, { message: string; type: string }> = {
  context_length_exceeded: {
    message: "This model's maximum context length is 128000 tokens. However, your messages resulted in 131072 tokens. Please reduce the length of the messages.",
    type: 'invalid_request_error',
  },
  insufficient_quota: {
    message: 'You exceeded your current quota, please check your plan and billing details.',
    type: 'insufficient_quota',
  },
  model_not_found: { message: 'The model `mock-model` does not exist or you do not have access to it.', type: 'invalid_request_error' },
};

/** The body and headers of a status fault: OpenAI's error shape, or an HTML page for 502 (as proxies send). */
export function faultResponse(fault: StatusFault): { body: string; headers: Record<string, string> } {
  const headers: Record<string, string> = { ...fault.headers };
  if (fault.retryAfterSeconds !== undefined) headers['retry-after'] = String(fault.retryAfterSeconds);
  if (fault.retryAfterDateSeconds !== undefined) {
    headers['retry-after'] = new Date(Date.now() + fault.retryAfterDateSeconds * 1000).toUTCString();
  }
  if (fault.retryAfterMs !== undefined) headers['retry-after-ms'] = String(fault.retryAfterMs);
  if (fault.body !== undefined) {
    const isText = typeof fault.body === 'string';
    headers['content-type'] ??= isText ? 'text/plain' : 'application/json';
    return { body: isText ? (fault.body as string) : JSON.stringify(fault.body), headers };
  }
  if (fault.status === 502 && fault.code === undefined && fault.message === undefined) {
    headers['content-type'] = 'text/html';
    return { body: '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>', headers };
  }
  const byCode = fault.code ? CODE_MESSAGES[fault.code] : undefined;
  const byStatus = DEFAULT_MESSAGES[fault.status] ?? { message: `Mock error ${fault.status}.`, type: 'api_error', code: null };
  headers['content-type'] = 'application/json';
  const error = {
    message: fault.message ?? byCode?.message ?? byStatus.message,
    type: byCode?.type ?? byStatus.type,
    param: null,
    code: fault.code ?? byStatus.code,
  };
  return { body: JSON.stringify({ error }), headers };
}
