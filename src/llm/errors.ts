/**
 * Classification at the LLM boundary (DESIGN.md §3, §8): whatever a provider call throws — an openai SDK
 * error, an HTTP status with a body, a failed fetch, an abort — becomes one typed error of `src/errors.ts`,
 * so the control unit and the retry decorator decide by type.
 *
 * Decisions rest on `status`, the body's `code`/`type`, `name` and `instanceof`; never on
 * `constructor.name`, which minified builds mangle. The provider's wording is matched only where providers
 * have no code for the case (context length, model not found), with each provider's known phrasing.
 */
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
  TimeoutError,
  isAbortError,
} from '../errors.ts';

export type HeadersLike = Headers | Record<string, string | string[] | null | undefined> | null | undefined;

export interface HttpFailure {
  status: number;
  /** Parsed JSON, or the raw text when it was not JSON. */
  body?: unknown;
  headers?: HeadersLike;
  /** The model the request named (for ModelNotFoundError). */
  model?: string;
}

/** The SDK's connection error classes, passed in so this module never imports the SDK itself. */
export interface SdkErrorClasses {
  APIConnectionError?: abstract new (...args: never[]) => Error;
  APIConnectionTimeoutError?: abstract new (...args: never[]) => Error;
  APIUserAbortError?: abstract new (...args: never[]) => Error;
}

export interface ClassifyContext {
  /** The caller's signal: when it fired, anything thrown is an AbortError. */
  signal?: AbortSignal;
  model?: string;
  /** Where the request went, for a network error's message (never the key). */
  baseURL?: string;
  sdk?: SdkErrorClasses;
  /** The raw body of an error response, when the SDK could not keep it (non-object JSON such as Gemini's arrays). */
  rawBody?: (headers: HeadersLike) => string | undefined;
}

export function getHeader(headers: HeadersLike, name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const record = headers as Record<string, string | string[] | null | undefined>;
  const key = Object.keys(record).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : record[key];
  return Array.isArray(value) ? value[0] : (value ?? undefined);
}

/**
 * Milliseconds to wait from `retry-after-ms` (ms), `Retry-After` (seconds or an HTTP date), or a Gemini
 * `RetryInfo.retryDelay` ("37s") in the body. Undefined when none is usable.
 */
export function retryAfterMs(headers: HeadersLike, body?: unknown, now = Date.now()): number | undefined {
  const ms = Number.parseFloat(getHeader(headers, 'retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) return Math.ceil(ms);
  const value = getHeader(headers, 'retry-after')?.trim();
  if (value) {
    if (/^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number.parseFloat(value) * 1000);
    const date = Date.parse(value);
    if (Number.isFinite(date)) return Math.max(0, date - now);
  }
  const details = (errorObject(body) as { details?: unknown } | undefined)?.details;
  if (Array.isArray(details)) {
    for (const detail of details) {
      const delay = (detail as { retryDelay?: unknown } | null)?.retryDelay;
      const seconds = typeof delay === 'string' ? /^(\d+(?:\.\d+)?)s$/.exec(delay)?.[1] : undefined;
      if (seconds !== undefined) return Math.ceil(Number.parseFloat(seconds) * 1000);
    }
  }
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The error object of a provider body: `{error: {...}}`, `[{error: {...}}]` (Gemini), or the body itself. */
function errorObject(body: unknown): Record<string, unknown> | undefined {
  const first = Array.isArray(body) ? body[0] : body;
  if (!isRecord(first)) return undefined;
  if (isRecord(first.error)) return first.error;
  return first;
}

function parseMaybeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The provider's own message, code and type from any of the body shapes providers use. */
export function providerError(body: unknown): { message: string; code?: string; type?: string; param?: string } {
  if (typeof body === 'string') {
    const parsed = parseMaybeJson(body);
    if (parsed !== body) return providerError(parsed);
    const text = body.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
    return { message: text.slice(0, 300) };
  }
  const root = Array.isArray(body) ? body[0] : body;
  if (isRecord(root) && typeof root.error === 'string') return { message: root.error };
  const error = errorObject(body);
  if (!error) return { message: '' };
  const message = [error.message, error.detail, error.error_description].find((m) => typeof m === 'string') as string | undefined;
  const str = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : undefined);
  // Gemini puts its status word in `status` and a number in `code`.
  const info = { message: message ?? JSON.stringify(error).slice(0, 300), code: str(error.code), type: str(error.type) ?? str(error.status) };
  return typeof error.param === 'string' && error.param ? { ...info, param: error.param } : info;
}

/**
 * Context-window overflows as each provider words them: OpenAI (`context_length_exceeded`, "maximum
 * context length", "exceeds the context window"), vLLM and OpenRouter ("maximum context length is"),
 * Anthropic ("prompt is too long", "exceed context limit"), Gemini ("input token count … exceeds the
 * maximum number of tokens"), Ollama ("exceeds … context length"), LM Studio ("context length of only",
 * "greater than the context length", "context overflow"), llama.cpp ("exceeds the available context size"),
 * Mistral ("too large for model with … maximum context length"), Groq ("reduce the length of the messages").
 */
const CONTEXT_PATTERNS = [
  /context[_ ]length[_ ]exceeded/i,
  /maximum context length/i,
  /exceeds? the context window/i,
  /prompt is too long/i,
  /exceed(s|ed)? (the )?context (limit|size|length|window)/i,
  /input token count.*exceeds the maximum/i,
  /exceeds the maximum number of tokens allowed/i,
  /exceeds? (the )?(maximum )?context length/i,
  /context length of only/i,
  /greater than the context length/i,
  /context (window )?overflow/i,
  /exceeds the available context size/i,
  /reduce the length of the messages/i,
];

const MODEL_NOT_FOUND_PATTERNS = [
  /model[_ ]not[_ ]found/i,
  /the model .{0,120} does not exist/i,
  /model .{0,120} not found/i,
  /is not a valid model( id)?/i,
  /models\/\S+ is not found/i,
  /no (such )?model/i,
  /unknown model/i,
  /deploymentnotfound/i,
];

/**
 * A refused `tool_choice` as providers word it when they send no `param`: Anthropic ("tool_choice forces
 * tool use"), vLLM ("tool_choice must either be ...", "\"auto\" tool choice requires ..."), others
 * ("tool_choice is not supported", "does not support tool choice").
 */
const TOOL_CHOICE_PATTERN = /tool[_ ]choice/i;

/** The request field a 4xx refused: the body's `param`, else `tool_choice` when the wording names it. */
function refusedParam(info: { message: string; param?: string }): string | undefined {
  if (info.param) return info.param;
  return TOOL_CHOICE_PATTERN.test(info.message) ? 'tool_choice' : undefined;
}

const QUOTA_CODES = new Set(['insufficient_quota', 'billing_hard_limit_reached', 'insufficient_credits']);

function matchesAny(text: string, patterns: readonly RegExp[]): boolean {
  return patterns.some((p) => p.test(text));
}

/** A typed error for an HTTP error answer. */
export function classifyHttpError(failure: HttpFailure): L2macError {
  const { status, headers, model } = failure;
  const body = typeof failure.body === 'string' ? parseMaybeJson(failure.body) : failure.body;
  const info = providerError(body ?? '');
  const said = info.message || `HTTP ${status}`;
  const text = `${info.code ?? ''} ${info.type ?? ''} ${info.message}`;
  const message = `${status} ${said}`;

  if (status === 401 || status === 403) return new AuthError(message, status);
  if (status === 402 || QUOTA_CODES.has(info.code ?? '') || QUOTA_CODES.has(info.type ?? '')) return new QuotaError(message);
  if (status === 429) return new RateLimitError(message, retryAfterMs(headers, body));
  if (status === 408) return new TimeoutError(message);
  if (status === 413 || matchesAny(text, CONTEXT_PATTERNS)) return new ContextLengthError(message);
  if (status === 404 || (status < 500 && matchesAny(text, MODEL_NOT_FOUND_PATTERNS))) return new ModelNotFoundError(message, model);
  if (status >= 500) return new ServerError(message, status, retryAfterMs(headers, body));
  return new BadRequestError(message, status, refusedParam(info));
}

function errorChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  let current: unknown = error;
  while (current !== undefined && current !== null && chain.length < 5 && !chain.includes(current)) {
    chain.push(current);
    current = (current as { cause?: unknown }).cause;
  }
  return chain;
}

const FETCH_FAILURE = /failed to fetch|fetch failed|networkerror when attempting|load failed|network ?error|econnrefused|econnreset|enotfound|eai_again|socket hang up|other side closed|terminated/i;

function isInstance(error: unknown, cls: (abstract new (...args: never[]) => Error) | undefined): boolean {
  return cls !== undefined && error instanceof cls;
}

/** A typed error for anything a provider call threw. */
export function classifyLlmError(error: unknown, context: ClassifyContext = {}): L2macError {
  if (context.signal?.aborted) return error instanceof AbortError ? error : new AbortError();
  // Typed errors pass through, also when the SDK wrapped one (thrown by our fetch) as a connection error.
  const typed = errorChain(error).find((e): e is L2macError => e instanceof L2macError);
  if (typed) return typed;
  if (isInstance(error, context.sdk?.APIUserAbortError) || isAbortError(error)) return new AbortError();

  const status = (error as { status?: unknown } | null)?.status;
  if (typeof status === 'number' && status >= 400) {
    const withBody = error as { error?: unknown; headers?: HeadersLike };
    const raw = context.rawBody?.(withBody.headers);
    const body = raw !== undefined ? raw : withBody.error !== undefined ? { error: withBody.error } : undefined;
    return classifyHttpError({ status, body, headers: withBody.headers, model: context.model });
  }

  const chain = errorChain(error);
  const where = context.baseURL ? ` ${context.baseURL}` : ' the provider';
  const timedOut =
    isInstance(error, context.sdk?.APIConnectionTimeoutError) ||
    chain.some((e) => (e as { name?: unknown }).name === 'TimeoutError' || /timed? ?out/i.test(String((e as { message?: unknown }).message ?? '')));
  if (timedOut) return new TimeoutError(`The request to${where} timed out.`);

  const connection = isInstance(error, context.sdk?.APIConnectionError) || chain.some((e) => FETCH_FAILURE.test(String((e as { message?: unknown }).message ?? e)));
  if (connection) {
    const detail = chain.map((e) => (e as { message?: unknown }).message).filter((m) => typeof m === 'string' && m).at(-1) as string | undefined;
    return new NetworkError(
      `Could not reach${where}${detail ? ` (${detail})` : ''}. The network may be down, the server not running, or — for a local server — refusing this page's origin (CORS).`,
      error,
    );
  }
  // In-stream error events carry a body but no HTTP status.
  const body = (error as { error?: unknown } | null)?.error;
  if (body !== undefined) {
    const info = providerError({ error: body });
    const code = Number(info.code);
    if (Number.isInteger(code) && code >= 400) return classifyHttpError({ status: code, body: { error: body }, model: context.model });
    return new ServerError(`The provider reported an error mid-reply: ${info.message}`);
  }
  // Anything else (an unparsable reply, an unexpected shape) is the provider's side misbehaving: retryable,
  // and after the retries the run pauses showing this message.
  return new ServerError(`Unexpected failure talking to${where}: ${error instanceof Error ? error.message : String(error)}`);
}
