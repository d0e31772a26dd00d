import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseScenario, SCENARIO_FORMAT, type Scenario } from '../../../src/llm/scenario.ts';
import { createMockServer, type MockServer } from '../../support/mock-server.ts';

const scenario: Scenario = parseScenario({
  format: SCENARIO_FORMAT,
  name: 'mock-test',
  title: 'Mock test',
  domain: 'codebase',
  task: 't',
  turns: [
    {
      key: { kind: 'step', step: 0, turn: 0 },
      reply: { content: 'Writing the file now.', toolCalls: [{ id: 'call_a', name: 'write_files', arguments: { list_of_file_objects: [{ file_path: 'a.js', file_contents: 'export const a = 1;' }] } }] },
      usage: { inputTokens: 120, cachedInputTokens: 64, outputTokens: 30 },
    },
    { key: { kind: 'step', step: 0, turn: 1 }, reply: { content: 'done' } },
  ],
});

const hello = { model: 'mock-model', messages: [{ role: 'user', content: 'hi' }] };

function post(server: MockServer, body: unknown, path = '/chat/completions', init: RequestInit = {}) {
  return fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer sk-test' }, body: JSON.stringify(body), ...init });
}

/** The `data:` payloads of an SSE body that completed. */
async function sse(response: Response): Promise<string[]> {
  const text = await response.text();
  return text.split('\n\n').filter(Boolean).map((frame) => frame.replace(/^data: /, ''));
}

/** Reads an SSE body until it ends or fails; returns the payloads read and the failure, if any. */
async function readUntilEnd(response: Response, max = Infinity): Promise<{ frames: string[]; error?: unknown }> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const frames: string[] = [];
  try {
    while (frames.length < max) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        frames.push(buffer.slice(0, end).replace(/^data: /, ''));
        buffer = buffer.slice(end + 2);
      }
    }
    await reader.cancel();
    return { frames };
  } catch (error) {
    return { frames, error };
  }
}

let server: MockServer;
beforeEach(async () => {
  server = await createMockServer({ scenario });
});
afterEach(async () => {
  await server.close();
});

describe('mock server: replies', () => {
  it('streams role, content deltas, tool-call deltas by index, finish, usage with empty choices, then [DONE]', async () => {
    const response = await post(server, { ...hello, stream: true, stream_options: { include_usage: true } });
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const frames = await sse(response);
    expect(frames.at(-1)).toBe('[DONE]');
    const chunks = frames.slice(0, -1).map((f) => JSON.parse(f));
    expect(chunks.every((c) => c.object === 'chat.completion.chunk')).toBe(true);
    expect(chunks[0].choices[0].delta.role).toBe('assistant');
    const text = chunks.map((c) => c.choices[0]?.delta?.content ?? '').join('');
    expect(text).toBe('Writing the file now.');
    const calls = chunks.flatMap((c) => c.choices[0]?.delta?.tool_calls ?? []);
    expect(calls[0]).toMatchObject({ index: 0, id: 'call_a', type: 'function', function: { name: 'write_files', arguments: '' } });
    expect(calls.length).toBeGreaterThan(2);
    expect(calls.slice(1).every((c) => c.id === undefined && c.function.name === undefined)).toBe(true);
    const args = calls.map((c) => c.function.arguments).join('');
    expect(JSON.parse(args)).toEqual({ list_of_file_objects: [{ file_path: 'a.js', file_contents: 'export const a = 1;' }] });
    const finish = chunks.at(-2);
    expect(finish.choices[0].finish_reason).toBe('tool_calls');
    const usage = chunks.at(-1);
    expect(usage.choices).toEqual([]);
    expect(usage.usage).toMatchObject({ prompt_tokens: 120, completion_tokens: 30, prompt_tokens_details: { cached_tokens: 64 } });
  });

  it('sends no usage chunk unless asked', async () => {
    const frames = await sse(await post(server, { ...hello, stream: true }));
    expect(frames.slice(0, -1).map((f) => JSON.parse(f)).some((c) => c.usage)).toBe(false);
  });

  it('answers a non-streamed request with a chat.completion', async () => {
    const body = await (await post(server, hello)).json();
    expect(body.object).toBe('chat.completion');
    expect(body.choices[0].message.tool_calls[0].function.name).toBe('write_files');
    expect(body.choices[0].finish_reason).toBe('tool_calls');
    expect(body.usage.prompt_tokens_details.cached_tokens).toBe(64);
  });

  it('derives the key from the request: the next turn gets its own reply', async () => {
    const body = await (
      await post(server, { ...hello, messages: [...hello.messages, { role: 'assistant', content: 'x' }, { role: 'user', content: 'more' }] })
    ).json();
    expect(body.choices[0].message.content).toBe('done');
  });

  it('answers a desync with a 400 naming the expected and the actual key', async () => {
    const response = await post(server, { ...hello, messages: [{ role: 'user', content: 'Step 4 of 5' }] });
    expect(response.status).toBe(400);
    const { error } = await response.json();
    expect(error.code).toBe('scenario_desync');
    expect(error.actual).toContain('step/4/0');
    expect(error.expected).toBeTruthy();
    expect(error.message).toContain('mock-test');
  });

  it('echoes without a scenario and calls a forced tool', async () => {
    server.setScenario(undefined);
    expect((await (await post(server, hello)).json()).choices[0].message.content).toBe('echo: hi');
    const forced = await (
      await post(server, {
        ...hello,
        tools: [{ type: 'function', function: { name: 'ping', description: '', parameters: { type: 'object' } } }],
        tool_choice: { type: 'function', function: { name: 'ping' } },
      })
    ).json();
    expect(forced.choices[0].message.tool_calls[0].function).toEqual({ name: 'ping', arguments: '{}' });
  });

  it('lists models, and rejects a model it does not list when given a list', async () => {
    const listed = await createMockServer({ models: ['m1'] });
    try {
      const models = await (await fetch(`${listed.url}/models`)).json();
      expect(models.data.map((m: { id: string }) => m.id)).toEqual(['m1']);
      const response = await post(listed, { ...hello, model: 'nope' });
      expect(response.status).toBe(404);
      expect((await response.json()).error.code).toBe('model_not_found');
    } finally {
      await listed.close();
    }
  });

  it('records every request with its headers and parsed body', async () => {
    await post(server, hello);
    const [record] = server.chatRequests;
    expect(record).toMatchObject({ method: 'POST', path: '/v1/chat/completions', route: 'chat', routeIndex: 1, body: hello });
    expect(record?.headers.authorization).toBe('Bearer sk-test');
  });
});

describe('mock server: CORS', () => {
  const preflight = (s: MockServer, headers: string) =>
    fetch(`${s.url}/chat/completions`, {
      method: 'OPTIONS',
      headers: { origin: 'http://app.test', 'access-control-request-method': 'POST', 'access-control-request-headers': headers },
    });

  it('echoes the origin and the requested headers', async () => {
    const response = await preflight(server, 'authorization,content-type,x-stainless-os');
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('http://app.test');
    expect(response.headers.get('access-control-allow-headers')).toBe('authorization,content-type,x-stainless-os');
  });

  it('in strict mode allows only authorization and content-type, whatever is asked', async () => {
    server.setStrictCors(true);
    const response = await preflight(server, 'authorization,content-type,x-stainless-os');
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-headers')).toBe('authorization, content-type');
    expect(response.headers.get('access-control-expose-headers')).toContain('retry-after');
  });
});

describe('mock server: faults', () => {
  it('answers a status at request n with Retry-After and retry-after-ms, then recovers', async () => {
    server.faults.rateLimit({ at: 2, retryAfterSeconds: 3, retryAfterMs: 1500 });
    expect((await post(server, hello)).status).toBe(200);
    const limited = await post(server, hello);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('3');
    expect(limited.headers.get('retry-after-ms')).toBe('1500');
    expect((await limited.json()).error.code).toBe('rate_limit_exceeded');
    expect((await post(server, hello)).status).toBe(200);
  });

  it('has the OpenAI bodies for context length and insufficient quota, and HTML for a 502', async () => {
    server.faults.contextLength();
    server.faults.insufficientQuota({ at: 2 });
    server.faults.status(502, { at: 3 });
    expect((await (await post(server, hello)).json()).error.code).toBe('context_length_exceeded');
    const quota = await post(server, hello);
    expect(quota.status).toBe(429);
    expect((await quota.json()).error).toMatchObject({ code: 'insufficient_quota', type: 'insufficient_quota' });
    const gateway = await post(server, hello);
    expect(gateway.status).toBe(502);
    expect(await gateway.text()).toContain('Bad Gateway');
  });

  it('repeats a fault `times` requests', async () => {
    server.faults.status(500, { times: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await post(server, hello)).status);
    expect(statuses).toEqual([500, 500, 200]);
  });

  it('cuts a stream in the middle of a tool call: no finish, no [DONE], the read fails', async () => {
    server.faults.cut();
    const response = await post(server, { ...hello, stream: true });
    const { frames, error } = await readUntilEnd(response);
    expect(error).toBeDefined();
    expect(frames).not.toContain('[DONE]');
    const chunks = frames.map((f) => JSON.parse(f));
    const calls = chunks.flatMap((c) => c.choices[0]?.delta?.tool_calls ?? []);
    expect(calls[0].function.name).toBe('write_files');
    const args = calls.map((c) => c.function.arguments).join('');
    expect(args.length).toBeGreaterThan(0);
    expect(() => JSON.parse(args)).toThrow();
    expect(chunks.some((c) => c.choices[0]?.finish_reason)).toBe(false);
  });

  it('goes idle: sends the first chunks, then nothing, holding the socket', async () => {
    server.faults.idle({ afterChunks: 2 });
    const controller = new AbortController();
    const response = await post(server, { ...hello, stream: true }, '/chat/completions', { signal: controller.signal });
    const first = await readUntilEnd(response, 2);
    expect(first.frames).toHaveLength(2);
    // The socket is still open: a further read would wait; the client gives up.
    controller.abort();
  });

  it('holds a reply until the test releases it', async () => {
    const hold = server.faults.hold();
    const pending = post(server, hello);
    expect(await hold.arrived).toBe(1);
    let settled = false;
    void pending.then(() => (settled = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(false);
    hold.release();
    expect((await pending).status).toBe(200);
  });

  it('delays every chunk', async () => {
    server.faults.delay(30);
    const started = Date.now();
    await sse(await post(server, { ...hello, stream: true }));
    // 9 chunks at 30 ms each: comfortably more than 150 ms even on a busy machine.
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
  });

  it('sends an in-stream error event', async () => {
    server.faults.streamError({ afterChunks: 1, message: 'upstream failed', code: 502 });
    const frames = await sse(await post(server, { ...hello, stream: true }));
    expect(JSON.parse(frames.at(-1)!).error).toMatchObject({ message: 'upstream failed', code: 502 });
  });

  it('takes faults over HTTP, and releases holds over HTTP', async () => {
    const add = await fetch(`${server.origin}/__mock/faults`, {
      method: 'POST',
      body: JSON.stringify([{ kind: 'status', status: 401, at: 1 }, { kind: 'hold', name: 'h', at: 2 }]),
    });
    expect(add.status).toBe(200);
    expect((await post(server, hello)).status).toBe(401);
    const pending = post(server, hello);
    await expect.poll(() => server.chatRequests.length).toBe(2);
    const release = await fetch(`${server.origin}/__mock/release`, { method: 'POST', body: JSON.stringify({ name: 'h' }) });
    expect(await release.json()).toEqual({ released: true });
    expect((await pending).status).toBe(200);
    const bad = await fetch(`${server.origin}/__mock/faults`, { method: 'POST', body: JSON.stringify({ kind: 'nope' }) });
    expect(bad.status).toBe(400);
    const badScenario = await fetch(`${server.origin}/__mock/scenario`, { method: 'POST', body: JSON.stringify({ format: 'nope' }) });
    expect(badScenario.status).toBe(400);
    const cleared = await fetch(`${server.origin}/__mock/scenario`, { method: 'POST', body: 'null' });
    expect(await cleared.json()).toEqual({ scenario: null });
    expect((await (await post(server, hello)).json()).choices[0].message.content).toBe('echo: hi');
    const listed = await (await fetch(`${server.origin}/__mock/requests`)).json();
    expect(listed.requests.filter((r: { route?: string }) => r.route === 'chat')).toHaveLength(3);
  });

  it('applies faults to the models route separately', async () => {
    server.faults.status(401, { route: 'models' });
    expect((await fetch(`${server.url}/models`)).status).toBe(401);
    expect((await post(server, hello)).status).toBe(200);
  });
});
