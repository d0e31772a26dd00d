import { describe, expect, it } from 'vitest';
import {
  AbortError,
  AuthError,
  BadRequestError,
  ContextLengthError,
  ModelNotFoundError,
  NetworkError,
  QuotaError,
  RateLimitError,
  ServerError,
  TimeoutError,
} from '../../../src/errors.ts';
import { classifyHttpError, classifyLlmError, providerError, retryAfterMs } from '../../../src/llm/errors.ts';

const openai = (message: string, code: string | null = null, type = 'invalid_request_error') => ({ error: { message, type, param: null, code } });

describe('classifyHttpError', () => {
  it('maps 401 and 403 to AuthError with the provider message', () => {
    const error = classifyHttpError({ status: 401, body: openai('Incorrect API key provided', 'invalid_api_key') });
    expect(error).toBeInstanceOf(AuthError);
    expect(error.message).toContain('Incorrect API key provided');
    expect(classifyHttpError({ status: 403, body: 'Forbidden' })).toBeInstanceOf(AuthError);
  });

  it('maps 404 and model-not-found wording of each provider to ModelNotFoundError', () => {
    expect(classifyHttpError({ status: 404, body: openai('The model `gpt-9` does not exist', 'model_not_found'), model: 'gpt-9' })).toMatchObject({
      name: 'ModelNotFoundError',
      model: 'gpt-9',
    });
    // OpenRouter answers 400 for an unknown id; Ollama and LM Studio word it their own way.
    for (const body of [
      { error: { code: 400, message: 'foo/bar is not a valid model ID' } },
      { error: { message: 'model "llama9" not found, try pulling it first', type: 'api_error' } },
      { error: 'Model qwen-x not found' },
    ]) {
      expect(classifyHttpError({ status: 400, body })).toBeInstanceOf(ModelNotFoundError);
    }
  });

  it('maps 429 with insufficient_quota (and 402) to QuotaError, other 429s to RateLimitError', () => {
    expect(classifyHttpError({ status: 429, body: openai('You exceeded your current quota', 'insufficient_quota', 'insufficient_quota') })).toBeInstanceOf(QuotaError);
    expect(classifyHttpError({ status: 402, body: { error: { code: 402, message: 'Insufficient credits' } } })).toBeInstanceOf(QuotaError);
    const limited = classifyHttpError({ status: 429, body: openai('Rate limit reached', 'rate_limit_exceeded'), headers: { 'Retry-After': '7' } });
    expect(limited).toBeInstanceOf(RateLimitError);
    expect((limited as RateLimitError).retryAfterMs).toBe(7000);
  });

  it('recognises every provider’s context-length wording', () => {
    const bodies = [
      openai("This model's maximum context length is 128000 tokens. However, your messages resulted in 130000 tokens.", 'context_length_exceeded'),
      openai('Your input exceeds the context window of this model. Please adjust your input and try again.'),
      { type: 'error', error: { type: 'invalid_request_error', message: 'prompt is too long: 212345 tokens > 200000 maximum' } },
      [{ error: { code: 400, message: 'The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).', status: 'INVALID_ARGUMENT' } }],
      { error: { message: 'the input length exceeds the context length', type: 'api_error' } },
      { error: 'Trying to keep the first 9000 tokens when context the overflows. However, the model is loaded with context length of only 4096 tokens, which is not enough.' },
      { error: { code: 400, message: "This endpoint's maximum context length is 32768 tokens. However, you requested about 40000 tokens." } },
      { error: { code: 400, message: 'the request exceeds the available context size, try increasing it', type: 'exceed_context_size_error' } },
    ];
    for (const body of bodies) expect(classifyHttpError({ status: 400, body }), JSON.stringify(body)).toBeInstanceOf(ContextLengthError);
    expect(classifyHttpError({ status: 413, body: 'Request Entity Too Large' })).toBeInstanceOf(ContextLengthError);
  });

  it('maps other 4xx to BadRequestError with the provider message, and does not mistake an output limit for context', () => {
    const error = classifyHttpError({ status: 400, body: openai('max_tokens is too large: 100000. This model supports at most 16384 completion tokens.') });
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.message).toContain('max_tokens is too large');
    expect(classifyHttpError({ status: 422, body: { detail: 'Unprocessable' } })).toMatchObject({ name: 'BadRequestError', status: 422 });
  });

  it('maps 5xx to ServerError (an HTML 502 page reduced to its text) and 408 to TimeoutError', () => {
    const gateway = classifyHttpError({ status: 502, body: '<html><body><h1>502 Bad Gateway</h1></body></html>' });
    expect(gateway).toMatchObject({ name: 'ServerError', status: 502 });
    expect(gateway.message).toBe('502 502 Bad Gateway');
    expect(classifyHttpError({ status: 529, body: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } } })).toBeInstanceOf(ServerError);
    expect(classifyHttpError({ status: 408, body: '' })).toBeInstanceOf(TimeoutError);
  });
});

describe('retryAfterMs', () => {
  it('prefers retry-after-ms, then Retry-After seconds or date, then a Gemini retryDelay', () => {
    expect(retryAfterMs({ 'retry-after-ms': '1500', 'retry-after': '9' })).toBe(1500);
    expect(retryAfterMs(new Headers({ 'retry-after': '2.5' }))).toBe(2500);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterMs({ 'retry-after': 'Thu, 01 Jan 2026 00:00:30 GMT' }, undefined, now)).toBe(30_000);
    expect(retryAfterMs({ 'retry-after': 'Wed, 31 Dec 2025 00:00:00 GMT' }, undefined, now)).toBe(0);
    expect(retryAfterMs({}, [{ error: { code: 429, details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '37s' }] } }])).toBe(37_000);
    expect(retryAfterMs({ 'retry-after': 'soon' })).toBeUndefined();
  });
});

describe('providerError', () => {
  it('reads OpenAI, Anthropic, Gemini (array), plain-string and FastAPI shapes', () => {
    expect(providerError(openai('m', 'c'))).toMatchObject({ message: 'm', code: 'c' });
    expect(providerError({ type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } })).toMatchObject({ message: 'invalid x-api-key', type: 'authentication_error' });
    expect(providerError([{ error: { code: 400, message: 'bad', status: 'INVALID_ARGUMENT' } }])).toMatchObject({ message: 'bad', code: '400', type: 'INVALID_ARGUMENT' });
    expect(providerError({ error: 'plain' })).toMatchObject({ message: 'plain' });
    expect(providerError('{"detail":"nope"}')).toMatchObject({ message: 'nope' });
  });
});

describe('classifyLlmError', () => {
  class FakeConnectionError extends Error {}
  class FakeTimeoutError extends FakeConnectionError {}
  class FakeUserAbort extends Error {}
  const sdk = { APIConnectionError: FakeConnectionError, APIConnectionTimeoutError: FakeTimeoutError, APIUserAbortError: FakeUserAbort };

  it('is AbortError whenever the caller aborted, whatever was thrown', () => {
    const controller = new AbortController();
    controller.abort();
    expect(classifyLlmError(new ServerError('x'), { signal: controller.signal })).toBeInstanceOf(AbortError);
    expect(classifyLlmError(new FakeUserAbort('Request was aborted.'), { sdk })).toBeInstanceOf(AbortError);
    expect(classifyLlmError(new DOMException('aborted', 'AbortError'))).toBeInstanceOf(AbortError);
  });

  it('classifies SDK status errors by status and body, using the raw body when the SDK lost it', () => {
    const headers = new Headers({ 'retry-after': '3' });
    const sdkError = Object.assign(new Error('429 status code (no body)'), { status: 429, headers, error: undefined });
    expect(classifyLlmError(sdkError)).toMatchObject({ name: 'RateLimitError', retryAfterMs: 3000 });
    const gemini = Object.assign(new Error('400 status code (no body)'), { status: 400, headers: new Headers(), error: undefined });
    const raw = JSON.stringify([{ error: { code: 400, message: 'The input token count (2000000) exceeds the maximum number of tokens allowed (1048576).' } }]);
    expect(classifyLlmError(gemini, { rawBody: (h) => (h === gemini.headers ? raw : undefined) })).toBeInstanceOf(ContextLengthError);
  });

  it('maps connection failures (a CORS refusal is "Failed to fetch") to NetworkError and timeouts to TimeoutError', () => {
    const cors = new FakeConnectionError('Connection error.');
    (cors as { cause?: unknown }).cause = new TypeError('Failed to fetch');
    const network = classifyLlmError(cors, { sdk, baseURL: 'http://localhost:11434/v1' });
    expect(network).toBeInstanceOf(NetworkError);
    expect(network.message).toContain('http://localhost:11434/v1');
    expect(network.message).toContain('CORS');
    expect(classifyLlmError(new TypeError('fetch failed'))).toBeInstanceOf(NetworkError);
    expect(classifyLlmError(new FakeTimeoutError('Request timed out.'), { sdk })).toBeInstanceOf(TimeoutError);
  });

  it('classifies an in-stream error event by its code, else as a ServerError', () => {
    const midStream = Object.assign(new Error('x'), { status: undefined, error: { message: 'Rate limited upstream', code: 429 } });
    expect(classifyLlmError(midStream)).toBeInstanceOf(RateLimitError);
    const plain = Object.assign(new Error('x'), { status: undefined, error: { message: 'upstream broke', code: 'server_error' } });
    expect(classifyLlmError(plain)).toBeInstanceOf(ServerError);
  });

  it('passes typed errors through unchanged', () => {
    const typed = new QuotaError('q');
    expect(classifyLlmError(typed)).toBe(typed);
  });
});
