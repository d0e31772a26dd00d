/**
 * Classroom preset links in Chromium: a link made with a key in it (by mistake) and opened in a fresh
 * context pre-fills the provider, base URL, model, limits, task and prompt program — never the key, which
 * appears nowhere in the URL or the page's storage; a preset that moves the base URL to another origin
 * clears a stored key; a damaged link applies nothing and says why.
 */
import { expect, test, type Page } from '@playwright/test';
import { encodePreset } from '../../src/presets/link.ts';

const SECRET = 'sk-proj-teacher-secret-0123456789';

interface Applied {
  found: boolean;
  ok?: boolean;
  error?: string;
  notices?: string[];
  settings?: { llm: Record<string, unknown>; limits: Record<string, number>; requirePassingTests: boolean; defaultSandbox: string };
  draft?: { task?: string; domain?: string; promptProgram?: string[] };
  keyCleared?: boolean;
  keyStatus?: { stored: boolean };
}

const apply = (page: Page) => page.evaluate(() => (window.harness.offline as { applyPresetFromLocation: () => Applied }).applyPresetFromLocation());
const storage = (page: Page) => page.evaluate(() => (window.harness.offline as { webStorage: () => unknown }).webStorage());

const classroom = {
  v: 1,
  title: 'Week 3',
  provider: 'ollama',
  baseURL: 'http://localhost:11434/v1',
  model: 'qwen2.5-coder:7b',
  contextWindow: 32768,
  limits: { maxSteps: 4 },
  sandbox: 'worker',
  domain: 'codebase',
  task: 'Write a to-do list module with tests.',
  promptProgram: ['Write todo.js with add and list.', 'Write tests for it.'],
  // A teacher's mistake: the link builder must drop it.
  apiKey: SECRET,
};

test('a preset link opened in a fresh context pre-fills everything but the key', async ({ browser }) => {
  const fragment = `preset=${encodePreset(classroom)}`;
  expect(Buffer.from(fragment.split('v1.')[1]!, 'base64url').toString('utf8')).not.toContain(SECRET);

  const context = await browser.newContext();
  const page = await context.newPage();
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(`/tests/harness/index.html#${fragment}`);
  await page.evaluate(() => window.harnessReady);
  const applied = await apply(page);
  expect(applied.ok, applied.error).toBe(true);
  expect(applied.settings?.llm).toEqual({ provider: 'ollama', baseURL: 'http://localhost:11434/v1', model: 'qwen2.5-coder:7b', modelOverrides: { contextWindow: 32768 } });
  expect(applied.settings?.limits.maxSteps).toBe(4);
  expect(applied.settings?.defaultSandbox).toBe('worker');
  expect(applied.draft).toEqual({ task: classroom.task, domain: 'codebase', promptProgram: classroom.promptProgram });
  expect(applied.keyStatus).toEqual({ stored: false, persistence: null, origin: null });
  expect(JSON.stringify(await storage(page))).not.toContain(SECRET);
  // The fragment never reached the server.
  expect(requests.some((url) => url.includes('preset='))).toBe(false);
  await context.close();
});

test('a preset that moves the base URL to another origin clears the stored key; a damaged link applies nothing', async ({ page }) => {
  await page.goto('/tests/harness/index.html');
  await page.evaluate(() => window.harnessReady);
  await page.evaluate(() => (window.harness.offline as { saveKey: (k: string, u: string) => void }).saveKey('sk-kept-only-for-openai-123456', 'https://api.openai.com/v1'));

  await page.goto(`/tests/harness/index.html#preset=${encodePreset({ v: 1, model: 'gpt-5.4', limits: { maxSteps: 3 } })}`);
  await page.evaluate(() => window.harnessReady);
  expect(await apply(page)).toMatchObject({ ok: true, keyCleared: false, keyStatus: { stored: true } });

  await page.goto(`/tests/harness/index.html#preset=v1.${Buffer.from('{"v":1,"limits":{"maxSteps":99}}').toString('base64url')}`);
  await page.evaluate(() => window.harnessReady);
  expect(await apply(page)).toEqual({ found: true, ok: false, error: '"limits.maxSteps" must be a whole number from 1 to 30.' });
  expect(JSON.stringify(await storage(page))).toContain('sk-kept-only-for-openai-123456');

  await page.goto(`/tests/harness/index.html#preset=${encodePreset({ v: 1, provider: 'openrouter', baseURL: 'https://openrouter.ai/api/v1' })}`);
  await page.evaluate(() => window.harnessReady);
  expect(await apply(page)).toMatchObject({ ok: true, keyCleared: true, keyStatus: { stored: false } });
  expect(JSON.stringify(await storage(page))).not.toContain('sk-kept-only-for-openai-123456');
});
