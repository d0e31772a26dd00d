import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  AbortError,
  AuthError,
  BadRequestError,
  ContextLengthError,
  ModelNotFoundError,
  NetworkError,
  QuotaError,
  ServerError,
  StreamBrokenError,
} from '../../../src/errors.ts';
import { createOpenAiLlm, type OpenAiLlmOptions } from '../../../src/llm/openai.ts';
import { createWireFetch } from '../../../src/llm/openai-client.ts';
import { withRetries } from '../../../src/llm/retry.ts';
import { parseScenario, SCENARIO_FORMAT } from '../../../src/llm/scenario.ts';
import type { CompletionRequest, LlmSettings, ModelInfo, RetryWait } from '../../../src/llm/types.ts';
import { createMockServer, type MockServer } from '../../support/mock-server.ts';

const KEY = 'sk-test-key-never-logged-123';
const ARGS = { list_of_file_objects: [{ file_path: 'src/a.js', file_contents: 'export const a = 1;\n' }] };

const scenario = parseScenario({
  format: SCENARIO_FORMAT,
  name: 'openai-adapter',
  title: 'OpenAI adapter',
  domain: 'codebase',
  task: 't',
  turns: [
    {
      key: { kind: 'step', step: 0, turn: 0 },
      reply: { content: 'Writing the module.', toolCalls: [{ id: 'call_w', name: 'write_files', arguments: ARGS }] },
      usage: { inputTokens: 321, cachedInputTokens: 128, outputTokens: 42 },
    },
  ],
});

const MODEL: ModelInfo = {
  id: 'mock-model',
  contextWindow: 128_000,
  maxOutputTokens: 16_384,
  prices: null,
  reasoning: false,
  supportsTemperature: true,
  strictTools: false,
  tokenizer: 'estimate',
  source: 'test fixture',
  checked: '2026-11-24',
};

const request: CompletionRequest = {
  messages: [{ role: 'user', content: 'hi' }],
  tools: [{ type: 'function', function: { name: 'write_files', description: 'write', parameters: { type: 'object' }, strict: true } }],
  toolChoice: 'auto',
  temperature: 0.3,
  meta: { runId: 'r', kind: 'step', step: 0, turn: 0, restart: 0 },
};

let server: MockServer;
const settings = (over: Partial<LlmSettings> = {}): LlmSettings => ({ provider: 'custom', baseURL: server.url, model: 'mock-model', ...over });
const llm = (over: Partial<LlmSettings> = {}, model: Partial<ModelInfo> = {}, options: OpenAiLlmOptions = {}) =>
  createOpenAiLlm(settings(over), KEY, { ...MODEL, ...model }, options);
const noSleep = { sleep: async () => {}, random: () => 0.5 };

beforeEach(async () => {
  server = await createMockServer({ scenario });
});
afterEach(async () => {
  await server.close();
});

describe('OpenAiLlm: replies', () => {
  it('streams text to onDelta, assembles the tool call by index, reads the usage chunk and cached tokens', async () => {
    const deltas: string[] = [];
    const result = await (await llm()).complete(request, { onDelta: (d) => deltas.push(d) });
    expect(deltas.join('')).toBe('Writing the module.');
    expect(deltas.length).toBeGreaterThan(1);
    expect(result.message.tool_calls).toEqual([{ id: 'call_w', type: 'function', function: { name: 'write_files', arguments: JSON.stringify(ARGS) } }]);
    expect(result.finishReason).toBe('tool_calls');
    expect(result.usage).toEqual({ inputTokens: 321, cachedInputTokens: 128, outputTokens: 42 });
    expect(result.usageReported).toBe(true);
  });

  it('reads a non-streamed reply the same way, and shows its text in one delta', async () => {
    const deltas: string[] = [];
    const result = await (await llm({}, {}, { stream: false })).complete(request, { onDelta: (d) => deltas.push(d) });
    expect(deltas).toEqual(['Writing the module.']);
    expect(result.message.content).toBe('Writing the module.');
    expect(result.message.tool_calls?.[0]?.function.arguments).toBe(JSON.stringify(ARGS));
    expect(result.usage.cachedInputTokens).toBe(128);
    expect(server.chatRequests[0]?.body).toMatchObject({ stream: false });
  });

  it('sends the request as the provider expects, with the key only as a bearer token and no x-stainless headers', async () => {
    await (await llm()).complete(request);
    const sent = server.chatRequests[0]!;
    expect(sent.body).toMatchObject({
      model: 'mock-model',
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: 8192,
      temperature: 0.3,
      tool_choice: 'auto',
      messages: [{ role: 'user', content: 'hi' }],
    });
    const body = sent.body as Record<string, unknown>;
    expect(body).not.toHaveProperty('meta');
    expect(body).not.toHaveProperty('parallel_tool_calls');
    expect(body).not.toHaveProperty('max_completion_tokens');
    // Strict schemas are left out for a model that does not take them.
    expect((body.tools as Array<{ function: object }>)[0]?.function).not.toHaveProperty('strict');
    expect(sent.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(Object.keys(sent.headers).filter((h) => h.startsWith('x-stainless'))).toEqual([]);
  });

  it('gives reasoning models max_completion_tokens and no temperature; the reserve is the output limit up to 8,192', async () => {
    await (await llm({}, { reasoning: true, supportsTemperature: false, maxOutputTokens: 100_000, strictTools: true })).complete(request);
    const body = server.chatRequests[0]!.body as Record<string, unknown>;
    expect(body.max_completion_tokens).toBe(8192);
    expect(body).not.toHaveProperty('max_tokens');
    expect(body).not.toHaveProperty('temperature');
    expect((body.tools as Array<{ function: { strict?: boolean } }>)[0]?.function.strict).toBe(true);
    await (await llm({}, { maxOutputTokens: 4096, supportsTemperature: false })).complete(request);
    const small = server.chatRequests[1]!.body as Record<string, unknown>;
    expect(small.max_tokens).toBe(4096);
    expect(small).not.toHaveProperty('temperature');
  });

  it('talks to Azure deployments with api-version and the api-key header, and to Azure v1 as plain OpenAI', async () => {
    await (await llm({ provider: 'azure', baseURL: server.origin, deployment: 'dep-1', apiVersion: '2024-10-21' })).complete(request);
    const azure = server.chatRequests[0]!;
    expect(azure.path).toBe('/openai/deployments/dep-1/chat/completions?api-version=2024-10-21');
    expect(azure.headers['api-key']).toBe(KEY);
    expect(azure.headers.authorization).toBeUndefined();
    await (await llm({ provider: 'azure', baseURL: server.origin, deployment: 'dep-2', apiVersion: 'v1' })).complete(request);
    const v1 = server.chatRequests[1]!;
    expect(v1.path).toBe('/openai/v1/chat/completions');
    expect(v1.body).toMatchObject({ model: 'dep-2' });
  });

  it('corrects its token estimate from the reported usage', async () => {
    const client = await llm();
    const message = { role: 'user' as const, content: 'z'.repeat(350) };
    const before = client.countTokens(message);
    // The scenario reports 321 prompt tokens for a request estimated far lower: the estimate rises (capped at ×4).
    await client.complete(request);
    expect(client.countTokens(message)).toBe(before * 4);
  });

  it('accepts a stream cut after the finish reason (only the usage was lost) and estimates the usage', async () => {
    server.faults.cut({ afterChunks: 9 });
    const result = await (await llm()).complete(request);
    expect(result.message.tool_calls?.[0]?.function.arguments).toBe(JSON.stringify(ARGS));
    expect(result.usageReported).toBe(false);
    expect(result.usage.inputTokens).toBeGreaterThan(0);
  });
});

describe('OpenAiLlm: typed errors, streamed and not', () => {
  for (const stream of [true, false]) {
    const mode = stream ? 'streamed' : 'non-streamed';
    it(`${mode}: 401 → AuthError with the provider message; 404 → ModelNotFoundError`, async () => {
      const client = await llm({}, {}, { stream });
      server.faults.status(401);
      const auth = await client.complete(request).catch((e: unknown) => e);
      expect(auth).toBeInstanceOf(AuthError);
      expect((auth as Error).message).toContain('Incorrect API key provided');
      server.faults.status(404);
      expect(await client.complete(request).catch((e: unknown) => e)).toBeInstanceOf(ModelNotFoundError);
    });

    it(`${mode}: context-length 400 → ContextLengthError; insufficient_quota → QuotaError; other 400 → BadRequestError; none retried`, async () => {
      const client = withRetries(await llm({}, {}, { stream }), noSleep);
      server.faults.contextLength();
      await expect(client.complete(request)).rejects.toBeInstanceOf(ContextLengthError);
      server.faults.insufficientQuota();
      await expect(client.complete(request)).rejects.toBeInstanceOf(QuotaError);
      server.faults.status(400, { message: 'Invalid schema for function write_files' });
      await expect(client.complete(request)).rejects.toThrow(/Invalid schema/);
      expect(server.chatRequests).toHaveLength(3);
    });

    it(`${mode}: 429 with Retry-After waits that long, reports the wait, then succeeds`, async () => {
      const waits: RetryWait[] = [];
      const slept: number[] = [];
      const client = withRetries(await llm({}, {}, { stream }), { sleep: async (ms) => void slept.push(ms), random: () => 0.5 });
      server.faults.rateLimit({ retryAfterSeconds: 2 });
      const result = await client.complete(request, { onWait: (w) => waits.push(w) });
      expect(result.message.tool_calls).toHaveLength(1);
      expect(slept).toEqual([2000]);
      expect(waits).toEqual([expect.objectContaining({ attempt: 1, maxAttempts: 6, delayMs: 2000, reason: 'rate-limit' })]);
      expect(server.chatRequests).toHaveLength(2);
    });

    it(`${mode}: 500 then 502 are retried with backoff, then succeed`, async () => {
      const slept: number[] = [];
      const client = withRetries(await llm({}, {}, { stream }), { sleep: async (ms) => void slept.push(ms), random: () => 0.5 });
      server.faults.status(500);
      server.faults.status(502, { at: 2 });
      const result = await client.complete(request);
      expect(result.finishReason).toBe('tool_calls');
      expect(slept).toEqual([1000, 2000]);
      expect(server.chatRequests).toHaveLength(3);
    });
  }

  it('classifies a Gemini-style error body (a JSON array the SDK drops) from the raw body', async () => {
    const client = await llm({ provider: 'gemini' });
    server.faults.status(400, {
      body: [{ error: { code: 400, message: 'The input token count (2000000) exceeds the maximum number of tokens allowed (1048576).', status: 'INVALID_ARGUMENT' } }],
    });
    const error = await client.complete(request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ContextLengthError);
    expect((error as Error).message).toContain('input token count');
  });

  it('a connection refused is a NetworkError', async () => {
    const client = await llm();
    await server.close();
    await expect(client.complete(request)).rejects.toBeInstanceOf(NetworkError);
    server = await createMockServer();
  });

  it('an in-stream error event is classified from its code', async () => {
    const client = await llm();
    server.faults.streamError({ afterChunks: 2, code: 502, message: 'Upstream provider failed' });
    const error = await client.complete(request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerError);
    expect((error as Error).message).toContain('Upstream provider failed');
  });
});

describe('OpenAiLlm: broken streams and aborts', () => {
  it('a stream cut in the middle of a tool call is discarded whole, and the retry delivers the whole reply', async () => {
    const events: string[] = [];
    server.faults.cut();
    const inner = await llm();
    const first = await inner.complete(request, { onDiscard: () => events.push('discard') }).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(StreamBrokenError);
    expect((first as StreamBrokenError).idle).toBe(false);
    expect(events).toEqual(['discard']);

    server.faults.cut();
    const client = withRetries(inner, noSleep);
    const result = await client.complete(request, {
      onDelta: () => events.push('delta'),
      onDiscard: () => events.push('discard'),
      onWait: (w) => events.push(`wait:${w.reason}`),
    });
    expect(result.message.tool_calls).toEqual([{ id: 'call_w', type: 'function', function: { name: 'write_files', arguments: JSON.stringify(ARGS) } }]);
    // The broken reply's text was streamed, then discarded before the wait; the retry streamed anew.
    expect(events.slice(1)).toEqual(['delta', 'delta', 'delta', 'discard', 'wait:stream-broken', 'delta', 'delta', 'delta']);
  });

  it('a stream that ends cleanly but early (no finish reason) is broken too', async () => {
    server.faults.cut({ graceful: true });
    const discarded = vi.fn();
    const error = await (await llm()).complete(request, { onDiscard: discarded }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StreamBrokenError);
    expect((error as Error).message).toMatch(/no finish reason/);
    expect(discarded).toHaveBeenCalledOnce();
  });

  it('a stream that goes idle past streamIdleMs is abandoned with StreamBrokenError(idle) and the request aborted', async () => {
    server.faults.idle({ afterChunks: 3 });
    const client = await llm({ streamIdleMs: 150 });
    const discarded = vi.fn();
    const error = await client.complete(request, { onDiscard: discarded }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StreamBrokenError);
    expect((error as StreamBrokenError).idle).toBe(true);
    expect(discarded).toHaveBeenCalledOnce();
  });

  it('a reply held before its headers also counts as idle', async () => {
    server.faults.hold();
    const client = await llm({ streamIdleMs: 150 });
    const error = await client.complete(request).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'StreamBrokenError', idle: true });
    server.faults.releaseAll();
  });

  it('without a setting, a stream is abandoned as idle after the 60 s default and not before', async () => {
    server.faults.hold();
    const client = await llm();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      let settled: unknown = 'pending';
      const pending = client.complete(request).then(
        () => (settled = 'resolved'),
        (error: unknown) => (settled = error),
      );
      await vi.waitFor(() => expect(server.chatRequests).toHaveLength(1), { timeout: 5_000 });
      await vi.advanceTimersByTimeAsync(59_000);
      expect(settled).toBe('pending');
      await vi.advanceTimersByTimeAsync(1_500);
      await pending;
      expect(settled).toMatchObject({ name: 'StreamBrokenError', idle: true });
    } finally {
      vi.useRealTimers();
      server.faults.releaseAll();
    }
  });

  it('aborts mid-stream with AbortError, and withRetries does not retry it', async () => {
    server.faults.delay(40);
    const controller = new AbortController();
    const client = withRetries(await llm(), noSleep);
    const pending = client.complete(request, { signal: controller.signal, onDelta: () => controller.abort() });
    await expect(pending).rejects.toBeInstanceOf(AbortError);
    expect(server.chatRequests).toHaveLength(1);
  });

  it('aborts while waiting for a held reply', async () => {
    const hold = server.faults.hold();
    const controller = new AbortController();
    const pending = (await llm()).complete(request, { signal: controller.signal });
    await hold.arrived;
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(AbortError);
    hold.release();
  });

  it('aborts a retry wait at once', async () => {
    server.faults.rateLimit({ retryAfterSeconds: 60 });
    const controller = new AbortController();
    const client = withRetries(await llm());
    const pending = client.complete(request, { signal: controller.signal, onWait: () => controller.abort() });
    await expect(pending).rejects.toBeInstanceOf(AbortError);
  });
});

describe('OpenAiLlm: the key', () => {
  it('goes only to the configured base URL’s origin: the wire fetch refuses any other', async () => {
    const seen: string[] = [];
    const wire = createWireFetch('https://api.example.com/v1', async (input) => {
      seen.push(String(input));
      return new Response('{}');
    });
    await wire.fetch('https://api.example.com/v1/chat/completions', { headers: { authorization: `Bearer ${KEY}` } });
    await expect(wire.fetch('https://evil.example.net/v1/chat/completions', { headers: { authorization: `Bearer ${KEY}` } })).rejects.toBeInstanceOf(BadRequestError);
    expect(seen).toEqual(['https://api.example.com/v1/chat/completions']);
  });

  it('strips x-stainless-* and user-agent headers, keeps the rest, and keeps error bodies for classification', async () => {
    let sent: Headers | undefined;
    const wire = createWireFetch('http://127.0.0.1:1/v1', async (_input, init) => {
      sent = new Headers(init?.headers);
      return new Response('[{"error":{"code":400,"message":"bad"}}]', { status: 400 });
    });
    const response = await wire.fetch('http://127.0.0.1:1/v1/models', {
      headers: { 'X-Stainless-OS': 'Linux', 'x-stainless-retry-count': '0', 'User-Agent': 'OpenAI/JS', authorization: 'Bearer k', 'content-type': 'application/json' },
    });
    expect([...sent!.keys()].sort()).toEqual(['authorization', 'content-type']);
    expect(wire.errorBody(response.headers)).toBe('[{"error":{"code":400,"message":"bad"}}]');
    expect(await response.text()).toContain('bad');
  });

  it('never reaches the console, whatever fails', async () => {
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) => vi.spyOn(console, m).mockImplementation(() => {}));
    try {
      const client = await llm();
      server.faults.status(401);
      await client.complete(request).catch(() => {});
      server.faults.cut();
      await client.complete(request).catch(() => {});
      await client.complete({ ...request, messages: [{ role: 'user', content: 'Step 9 of 9' }] }).catch((e: unknown) => expect(e).toBeInstanceOf(BadRequestError));
      const printed = JSON.stringify(spies.flatMap((s) => s.mock.calls));
      expect(printed).not.toContain(KEY);
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });
});

describe('bundle', () => {
  it('loads the openai SDK and the tokenizer encodings only with dynamic imports (never in the initial bundle)', () => {
    const dir = new URL('../../../src/llm/', import.meta.url);
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const source = readFileSync(new URL(file, dir), 'utf8');
      expect(source, file).not.toMatch(/^import(?!\s+type)[^;]*from\s+['"](openai|gpt-tokenizer)[^'"]*['"]/m);
    }
  });
});
