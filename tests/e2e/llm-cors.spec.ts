import { expect, test, type Page } from '@playwright/test';
import { parseScenario, SCENARIO_FORMAT } from '../../src/llm/scenario.ts';
import type { CompletionRequest, LlmSettings, ModelInfo } from '../../src/llm/types.ts';
import { createMockServer, type MockServer } from '../support/mock-server.ts';

/**
 * The real OpenAiLlm in Chromium against the mock OpenAI-compatible server in strict CORS mode (it allows
 * only `authorization, content-type`, as Ollama does): a streamed tool-calling reply gets through, which
 * proves no `x-stainless-*` header reached the preflight; the bare SDK with its default headers is refused
 * (the control); a 401 from the browser is classified AuthError.
 */

const ARGS = { list_of_file_objects: [{ file_path: 'index.js', file_contents: 'export const answer = 42;\n' }] };
const scenario = parseScenario({
  format: SCENARIO_FORMAT,
  name: 'browser-cors',
  title: 'Browser CORS',
  domain: 'codebase',
  task: 't',
  turns: [
    {
      key: { kind: 'step', step: 0, turn: 0 },
      reply: { content: 'Writing index.js.', toolCalls: [{ id: 'call_1', name: 'write_files', arguments: ARGS }] },
      usage: { inputTokens: 200, cachedInputTokens: 50, outputTokens: 30 },
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
  tokenizer: 'o200k_base',
  source: 'test fixture',
  checked: '2026-11-24',
};

const request: CompletionRequest = {
  messages: [{ role: 'user', content: 'Write index.js' }],
  tools: [{ type: 'function', function: { name: 'write_files', description: 'Write files', parameters: { type: 'object' } } }],
  toolChoice: 'auto',
  meta: { runId: 'e2e', kind: 'step', step: 0, turn: 0, restart: 0 },
};

type Harness = {
  llm: {
    complete: (...args: unknown[]) => Promise<Record<string, unknown>>;
    completeWithSdkDefaults: (...args: unknown[]) => Promise<Record<string, unknown>>;
    testConnection: (...args: unknown[]) => Promise<{ ok: boolean; checks: Array<{ id: string; status: string; hint?: string }> }>;
  };
};

let server: MockServer;

test.beforeEach(async () => {
  server = await createMockServer({ scenario, strictCors: true });
});
test.afterEach(async () => {
  await server.close();
});

async function openHarness(page: Page) {
  await page.goto('/tests/harness/index.html');
  await page.evaluate(() => window.harnessReady);
}

test('a streamed tool-calling reply passes a strict CORS server: no x-stainless header in the preflight', async ({ page }) => {
  await openHarness(page);
  const settings: LlmSettings = { provider: 'ollama', baseURL: server.url, model: 'mock-model' };
  const outcome = await page.evaluate(
    ([s, m, r]) => (window.harness as unknown as Harness).llm.complete(s, 'sk-e2e', m, r),
    [settings, MODEL, request] as const,
  );
  expect(outcome.ok, JSON.stringify(outcome)).toBe(true);
  const result = outcome.result as { message: { tool_calls: unknown[] }; usage: unknown; finishReason: string };
  expect(result.message.tool_calls).toEqual([{ id: 'call_1', type: 'function', function: { name: 'write_files', arguments: JSON.stringify(ARGS) } }]);
  expect(result.finishReason).toBe('tool_calls');
  expect(result.usage).toEqual({ inputTokens: 200, cachedInputTokens: 50, outputTokens: 30 });
  expect((outcome.deltas as string[]).join('')).toBe('Writing index.js.');

  const preflights = server.requests.filter((r) => r.method === 'OPTIONS');
  expect(preflights.length).toBeGreaterThan(0);
  for (const preflight of preflights) {
    const asked = String(preflight.headers['access-control-request-headers'] ?? '').split(',').map((h) => h.trim()).filter(Boolean);
    expect(asked.sort()).toEqual(['authorization', 'content-type']);
  }
  const [chat] = server.chatRequests;
  expect(Object.keys(chat!.headers).filter((h) => h.startsWith('x-stainless'))).toEqual([]);
  expect(chat!.headers.authorization).toBe('Bearer sk-e2e');
});

test('the bare SDK with its default headers is refused by the same server (the control), classified NetworkError', async ({ page }) => {
  await openHarness(page);
  const outcome = await page.evaluate(
    ([url, r]) => (window.harness as unknown as Harness).llm.completeWithSdkDefaults(url, 'sk-e2e', r),
    [server.url, request] as const,
  );
  expect(outcome.ok).toBe(false);
  expect(outcome.error).toMatchObject({ name: 'NetworkError', code: 'network' });
  const preflight = server.requests.find((r) => r.method === 'OPTIONS');
  expect(String(preflight?.headers['access-control-request-headers'])).toContain('x-stainless');
  expect(server.chatRequests).toHaveLength(0);
});

test('a 401 seen from the browser is an AuthError with the provider message', async ({ page }) => {
  await openHarness(page);
  server.faults.status(401);
  const settings: LlmSettings = { provider: 'custom', baseURL: server.url, model: 'mock-model' };
  const outcome = await page.evaluate(
    ([s, m, r]) => (window.harness as unknown as Harness).llm.complete(s, 'sk-bad', m, r, { maxRetries: 3 }),
    [settings, MODEL, request] as const,
  );
  expect(outcome.ok).toBe(false);
  expect(outcome.error).toMatchObject({ name: 'AuthError', code: 'auth', retryable: false });
  expect((outcome.error as { message: string }).message).toContain('Incorrect API key provided');
  expect(server.chatRequests).toHaveLength(1);
});

test('a 429 with Retry-After from the browser is waited out (the header is readable cross-origin), then succeeds', async ({ page }) => {
  await openHarness(page);
  server.faults.rateLimit({ retryAfterMs: 50 });
  const settings: LlmSettings = { provider: 'custom', baseURL: server.url, model: 'mock-model' };
  const outcome = await page.evaluate(
    ([s, m, r]) => (window.harness as unknown as Harness).llm.complete(s, 'sk-e2e', m, r, { maxRetries: 2 }),
    [settings, MODEL, request] as const,
  );
  expect(outcome.ok, JSON.stringify(outcome)).toBe(true);
  expect(outcome.waits).toEqual([expect.objectContaining({ delayMs: 50, reason: 'rate-limit' })]);
});

test('Test connection from the browser passes a strict-CORS local server, and gives the CORS fix when one is down', async ({ page }) => {
  await openHarness(page);
  server.setScenario(undefined);
  const settings: LlmSettings = { provider: 'ollama', baseURL: server.url, model: 'mock-model' };
  const report = await page.evaluate((s) => (window.harness as unknown as Harness).llm.testConnection(s, ''), settings);
  const statuses = Object.fromEntries(report.checks.map((c) => [c.id, c.status]));
  expect(statuses).toMatchObject({ reachable: 'ok', model: 'ok', tools: 'ok' });

  const down: LlmSettings = { provider: 'ollama', baseURL: 'http://127.0.0.1:9/v1', model: 'mock-model' };
  const failed = await page.evaluate((s) => (window.harness as unknown as Harness).llm.testConnection(s, ''), down);
  const reachable = failed.checks.find((c) => c.id === 'reachable');
  expect(reachable?.status).toBe('fail');
  expect(reachable?.hint).toContain(`OLLAMA_ORIGINS=${new URL(page.url()).origin}`);
});
