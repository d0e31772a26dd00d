import { afterEach, describe, expect, it } from 'vitest';
import { AbortError } from '../../../src/errors.ts';
import { testConnection, type ConnectionReport } from '../../../src/llm/connection-test.ts';
import { parseScenario, SCENARIO_FORMAT } from '../../../src/llm/scenario.ts';
import type { LlmSettings } from '../../../src/llm/types.ts';
import { createMockServer, type MockServer, type MockServerOptions } from '../../support/mock-server.ts';

let server: MockServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(options: MockServerOptions = {}) {
  server = await createMockServer(options);
  return server;
}

const status = (report: ConnectionReport) => Object.fromEntries(report.checks.map((c) => [c.id, c.status]));
const check = (report: ConnectionReport, id: string) => report.checks.find((c) => c.id === id);

describe('testConnection', () => {
  it('reports reachable, key, model and tool calling for a working provider', async () => {
    const s = await start({ models: ['gpt-4.1', 'gpt-4o'] });
    const report = await testConnection({ provider: 'openai', baseURL: s.url, model: 'gpt-4.1' }, 'sk-good');
    expect(status(report)).toEqual({ reachable: 'ok', key: 'ok', model: 'ok', tools: 'ok' });
    expect(report.ok).toBe(true);
    expect(report.models).toEqual(['gpt-4.1', 'gpt-4o']);
    expect(report.forcedToolChoice).toBe(true);
    const probe = s.chatRequests[0]!;
    expect(probe.body).toMatchObject({ tool_choice: { type: 'function', function: { name: 'report_ready' } }, max_tokens: 1024 });
    expect(s.requests.find((r) => r.path === '/v1/models')?.headers.authorization).toBe('Bearer sk-good');
  });

  it('stops at a refused key, with the provider message', async () => {
    const s = await start({ models: ['gpt-4.1'] });
    s.faults.status(401, { route: 'models' });
    const report = await testConnection({ provider: 'openai', baseURL: s.url, model: 'gpt-4.1' }, 'sk-bad');
    expect(status(report)).toEqual({ reachable: 'ok', key: 'fail', model: 'skipped', tools: 'skipped' });
    expect(check(report, 'key')?.message).toContain('Incorrect API key provided');
    expect(report.ok).toBe(false);
    expect(s.chatRequests).toHaveLength(0);
  });

  it('gives the OLLAMA_ORIGINS fix when a local server cannot be reached', async () => {
    const s = await start();
    const url = s.url;
    await s.close();
    server = undefined;
    const report = await testConnection({ provider: 'ollama', baseURL: url, model: 'llama3.1:8b' }, '', { pageOrigin: 'https://l2mac.example' });
    expect(status(report)).toEqual({ reachable: 'fail', key: 'skipped', model: 'skipped', tools: 'skipped' });
    expect(check(report, 'reachable')?.hint).toContain('OLLAMA_ORIGINS=https://l2mac.example');
  });

  it('gives LM Studio’s CORS toggle for LM Studio', async () => {
    const report = await testConnection({ provider: 'lmstudio', baseURL: 'http://127.0.0.1:9/v1', model: 'm' }, '', { pageOrigin: 'https://x.example' });
    expect(check(report, 'reachable')?.hint).toMatch(/Enable CORS/);
  });

  it('names the models the server has when the chosen one is missing', async () => {
    const s = await start({ models: ['qwen2.5-coder:7b', 'llama3.1:8b'] });
    const report = await testConnection({ provider: 'custom', baseURL: s.url, model: 'gpt-9' }, '');
    expect(check(report, 'model')).toMatchObject({ status: 'fail' });
    expect(check(report, 'model')?.hint).toContain('qwen2.5-coder:7b');
    expect(report.ok).toBe(false);
  });

  it('fails tool calling when the model answers in text', async () => {
    const s = await start();
    s.setScenario(
      parseScenario({
        format: SCENARIO_FORMAT,
        name: 'no-tools',
        title: 'No tools',
        domain: 'codebase',
        task: 't',
        turns: [{ key: { kind: 'step', step: 0, turn: 0 }, reply: { content: 'Sure, the connection works!' } }],
      }),
    );
    const report = await testConnection({ provider: 'custom', baseURL: s.url, model: 'mock-model' }, '');
    expect(check(report, 'tools')).toMatchObject({ status: 'fail' });
    expect(check(report, 'tools')?.hint).toMatch(/tool calling/);
  });

  it('falls back to a required tool choice when a forced one is refused, and says so', async () => {
    const s = await start();
    s.faults.status(400, { message: 'tool_choice naming a function is not supported' });
    const report = await testConnection({ provider: 'custom', baseURL: s.url, model: 'mock-model' }, '');
    expect(report.forcedToolChoice).toBe(false);
    expect(check(report, 'tools')?.status).toBe('warn');
    expect(s.chatRequests[1]?.body).toMatchObject({ tool_choice: 'required' });
    expect(report.ok).toBe(true);
  });

  it('warns about Ollama’s small default context with the numbers and the fix', async () => {
    const s = await start({ ollama: { loadedContext: 4096, contextLength: 131_072 } });
    const report = await testConnection({ provider: 'ollama', baseURL: s.url, model: 'llama3.1:8b' }, '');
    expect(report.ollama).toEqual({ allocatedContext: 4096, modelContext: 131_072 });
    expect(check(report, 'context')).toMatchObject({ status: 'warn' });
    expect(check(report, 'context')?.message).toContain('4,096');
    expect(check(report, 'context')?.hint).toContain('OLLAMA_CONTEXT_LENGTH');
    expect(report.ok).toBe(true);
  });

  it('is satisfied with a large Ollama context, and reads num_ctx from the Modelfile when nothing is loaded', async () => {
    const big = await start({ ollama: { loadedContext: 65_536 } });
    const ok = await testConnection({ provider: 'ollama', baseURL: big.url, model: 'qwen2.5-coder:7b' }, '');
    expect(check(ok, 'context')).toMatchObject({ status: 'ok' });
    await big.close();
    const modelfile = await start({ ollama: { parameters: 'temperature 0.2\nnum_ctx 8192' } });
    const report = await testConnection({ provider: 'ollama', baseURL: modelfile.url, model: 'qwen2.5-coder:7b' }, '');
    expect(report.ollama?.allocatedContext).toBe(8192);
    expect(check(report, 'context')?.status).toBe('warn');
  });

  it('offers OpenRouter’s published context and prices as overrides', async () => {
    const s = await start({
      models: [
        {
          id: 'openai/gpt-5.4-mini',
          context_length: 400_000,
          top_provider: { max_completion_tokens: 128_000 },
          pricing: { prompt: '0.00000075', completion: '0.0000045', input_cache_read: '0.000000075' },
        },
      ],
    });
    const report = await testConnection({ provider: 'openrouter', baseURL: s.url, model: 'openai/gpt-5.4-mini' }, 'sk-or');
    expect(report.modelHint?.contextWindow).toBe(400_000);
    expect(report.modelHint?.maxOutputTokens).toBe(128_000);
    expect(report.modelHint?.prices?.input).toBeCloseTo(0.75);
    expect(report.modelHint?.prices?.output).toBeCloseTo(4.5);
    expect(report.modelHint?.prices?.cachedInput).toBeCloseTo(0.075);
  });

  it('sends Anthropic’s browser opt-in header, and no x-stainless headers', async () => {
    const s = await start();
    const settings: LlmSettings = { provider: 'anthropic', baseURL: s.url, model: 'claude-sonnet-5' };
    await testConnection(settings, 'sk-ant');
    const probe = s.chatRequests[0]!;
    expect(probe.headers['anthropic-dangerous-direct-browser-access']).toBe('true');
    expect(Object.keys(probe.headers).filter((h) => h.startsWith('x-stainless'))).toEqual([]);
    // Claude 5 rejects a temperature; none is sent.
    expect(probe.body).not.toHaveProperty('temperature');
  });

  it('throws AbortError when the user cancels', async () => {
    const s = await start();
    const hold = s.faults.hold();
    const controller = new AbortController();
    const pending = testConnection({ provider: 'custom', baseURL: s.url, model: 'mock-model' }, '', { signal: controller.signal });
    await hold.arrived;
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(AbortError);
    hold.release();
  });
});
