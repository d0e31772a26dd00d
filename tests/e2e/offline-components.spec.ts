/**
 * The offline/classroom components in Chromium, mounted on the test page as the app mounts them: the demo
 * gallery starts a demo with one click (run through the real control unit, IdbStore and WorkerSandbox),
 * the preset banner shows what a link would set and applies it only on confirmation (warning first when
 * it clears a stored key), and "Copy link" puts a preset link — without the key — on the clipboard.
 */
import { expect, test, type Page } from '@playwright/test';
import { decodePreset, encodePreset } from '../../src/presets/link.ts';
import { DEFAULT_LIMITS } from '../../src/l2mac/run-state.ts';

type Offline = Record<string, (...args: unknown[]) => unknown>;

async function openHarness(page: Page, fragment = ''): Promise<void> {
  await page.goto(`/tests/harness/index.html${fragment}`);
  await page.evaluate(() => window.harnessReady);
}

test('the demo gallery labels its demos as scripted and starts one with one click, running to completed', async ({ page }) => {
  test.setTimeout(120_000);
  await openHarness(page);
  await page.evaluate((db) => (window.harness.offline as Offline).mountGallery!(db), `gallery-${Date.now()}`);
  await expect(page.getByRole('heading', { name: 'Try a scripted demo' })).toBeVisible();
  await expect(page.getByText('Scripted demo — recorded replies, not a model')).toHaveCount(2);

  await page.getByRole('button', { name: 'Start demo: A Roman numerals library' }).click();
  await expect.poll(() => page.evaluate(() => (window as unknown as { galleryRuns: unknown[] }).galleryRuns.length), { timeout: 90_000 }).toBe(1);
  const run = await page.evaluate(() => (window as unknown as { galleryRuns: { status: string; scripted: boolean; sandboxKinds: string[]; checks: string[] }[] }).galleryRuns[0]);
  expect(run).toMatchObject({ status: 'completed', scripted: true, sandboxKinds: ['worker'] });
  expect(run?.checks).toContain('2:write:false');
  await expect(page.getByRole('button', { name: 'Start demo: A short guide to stargazing' })).toBeEnabled();
});

test('the preset banner shows what the link sets, warns that the stored key will go, and applies only when confirmed', async ({ page }) => {
  await openHarness(page);
  await page.evaluate(() => (window.harness.offline as Offline).saveKey!('sk-stored-for-openai-12345678', 'https://api.openai.com/v1'));
  const preset = { v: 1, title: 'Week 3', provider: 'ollama', baseURL: 'http://localhost:11434/v1', model: 'qwen2.5-coder:7b', limits: { maxSteps: 4 }, task: 'Write a to-do module.', promptProgram: ['Write todo.js.', 'Test it.'] };
  await openHarness(page, `#preset=${encodePreset(preset)}`);
  expect(await page.evaluate(() => (window.harness.offline as Offline).mountPresetBanner!())).toBe(true);

  await expect(page.getByRole('heading', { name: 'Apply this classroom preset: Week 3?' })).toBeVisible();
  const banner = page.locator('.preset-banner');
  await expect(banner.getByText('http://localhost:11434/v1')).toBeVisible();
  await expect(banner.getByText('qwen2.5-coder:7b')).toBeVisible();
  await expect(banner.getByText('1. Write todo.js.')).toBeVisible();
  await expect(banner.getByRole('note')).toContainText('Your saved API key is for https://api.openai.com');
  // Nothing is applied (and the key is still there) before the user confirms.
  expect(await page.evaluate(() => (window as unknown as { appliedPreset: unknown }).appliedPreset)).toBeNull();
  expect(JSON.stringify(await page.evaluate(() => (window.harness.offline as Offline).webStorage!()))).toContain('sk-stored-for-openai-12345678');

  await page.getByRole('button', { name: 'Apply preset' }).click();
  const applied = await page.evaluate(() => (window as unknown as { appliedPreset: { settings: { llm: unknown; limits: { maxSteps: number } }; draft: unknown; keyCleared: boolean } }).appliedPreset);
  expect(applied.settings.llm).toEqual({ provider: 'ollama', baseURL: 'http://localhost:11434/v1', model: 'qwen2.5-coder:7b' });
  expect(applied.settings.limits.maxSteps).toBe(4);
  expect(applied.draft).toEqual({ task: 'Write a to-do module.', promptProgram: ['Write todo.js.', 'Test it.'] });
  expect(applied.keyCleared).toBe(true);
  expect(JSON.stringify(await page.evaluate(() => (window.harness.offline as Offline).webStorage!()))).not.toContain('sk-stored-for-openai');
  // The preset left the address bar, so a reload does not ask again.
  expect(new URL(page.url()).hash).toBe('');
});

test('a damaged preset link is refused in the banner and nothing is applied', async ({ page }) => {
  await openHarness(page, `#preset=v1.${Buffer.from('{"v":1,"sandbox":"docker"}').toString('base64url')}`);
  await page.evaluate(() => (window.harness.offline as Offline).mountPresetBanner!());
  await expect(page.getByRole('heading', { name: 'This preset link cannot be used' })).toBeVisible();
  await expect(page.getByRole('alert')).toHaveText('"sandbox" must be one of auto, worker, webcontainer.');
  await expect(page.getByRole('button', { name: 'Apply preset' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Dismiss' }).click();
  expect(await page.evaluate(() => (window as unknown as { presetDismissed: boolean; appliedPreset: unknown }).presetDismissed)).toBe(true);
});

test('"Copy link" copies a preset link of the settings and task, never the key, and refuses one that would leak it', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await openHarness(page);
  const settings = { llm: { provider: 'openai', baseURL: 'https://api.openai.com/v1', model: 'gpt-5.4-mini' }, limits: { ...DEFAULT_LIMITS, maxSteps: 5 }, requirePassingTests: true, defaultSandbox: 'auto' };
  const key = 'sk-proj-my-own-key-abcdefghijkl';
  await page.evaluate(({ settings, key }) => (window.harness.offline as Offline).mountCopyLink!(settings, { task: 'Build a quiz app.', domain: 'codebase' }, [key], 'https://school.example/l2mac/'), { settings, key });

  await page.getByRole('checkbox', { name: 'Include the task' }).check();
  await page.getByRole('button', { name: 'Copy link' }).click();
  await expect(page.getByRole('status')).toHaveText('Link copied. It holds the settings and task, never your API key.');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied.startsWith('https://school.example/l2mac/#preset=v1.')).toBe(true);
  expect(copied).not.toContain(key);
  const read = decodePreset(new URLSearchParams(new URL(copied).hash.slice(1)).get('preset') ?? '');
  expect(read.ok && read.preset).toMatchObject({ provider: 'openai', model: 'gpt-5.4-mini', task: 'Build a quiz app.', limits: { maxSteps: 5 } });

  await page.evaluate(({ settings, key }) => (window.harness.offline as Offline).mountCopyLink!(settings, { task: `My key is ${key}` }, [key], 'https://school.example/'), { settings, key });
  await page.getByRole('button', { name: 'Copy link' }).nth(1).click();
  await expect(page.getByRole('alert')).toContainText(/API key/);
});
