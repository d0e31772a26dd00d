/**
 * Issue 10 in the app itself (not the harness): after one visit the app runs its codebase demo offline,
 * with real tests in the worker sandbox and Monaco from the precache; a classroom preset link made with
 * the app's own "Copy link" pre-fills a fresh browser's settings and New run form but never the key (and
 * clears a key stored for another origin); an L2MAC config.yaml imported in Settings stores its key for
 * its base URL's origin only, and nothing when the file is refused.
 */
import type { Browser, Page } from '@playwright/test';
import { expect, expectRunStatus, fileItem, stepItems, test } from './fixtures.ts';

const DEMO_FAILING_TESTS = ['ignores case and surrounding spaces', 'reads subtractive pairs', 'rejects text that is not a canonical numeral'];

async function waitForServiceWorkerControl(page: Page): Promise<void> {
  await expect
    .poll(() => page.evaluate(async () => (await navigator.serviceWorker.ready).active?.state === 'activated' && navigator.serviceWorker.controller !== null), { timeout: 60_000 })
    .toBe(true);
}

/** The text of every check result in the transcript, top to bottom (it renders a window of its entries). */
async function transcriptChecks(page: Page): Promise<string[]> {
  await page.getByRole('tab', { name: 'Transcript', exact: true }).click();
  const transcript = page.getByRole('region', { name: 'Transcript' });
  await expect(transcript).toBeVisible();
  return transcript.evaluate(async (viewport) => {
    const seen = new Map<string, string>();
    const frame = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    viewport.scrollTop = 0;
    await frame();
    for (;;) {
      for (const entry of viewport.querySelectorAll<HTMLElement>('.check')) {
        const top = Math.round(entry.getBoundingClientRect().top - viewport.getBoundingClientRect().top + viewport.scrollTop);
        seen.set(`${String(top).padStart(8, '0')}`, entry.innerText.replace(/\s+/g, ' '));
      }
      if (viewport.scrollTop + viewport.clientHeight >= viewport.scrollHeight - 1) break;
      viewport.scrollTop += viewport.clientHeight / 2;
      await frame();
    }
    return [...seen.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, text]) => text);
  });
}

test.describe('offline, in the app', () => {
  test.use({ serviceWorkers: 'allow' });

  test('after one visit, offline: the codebase demo runs to completed in the worker sandbox and a file opens in Monaco', async ({ page, context, app }) => {
    test.setTimeout(180_000);
    await app.open();
    await waitForServiceWorkerControl(page);

    await context.setOffline(true);
    const notFromServiceWorker: string[] = [];
    const failed: string[] = [];
    page.on('response', (response) => {
      if (!response.fromServiceWorker() && /^https?:/.test(response.url())) notFromServiceWorker.push(response.url());
    });
    context.on('requestfailed', (request) => failed.push(`${request.url()} ${request.failure()?.errorText ?? ''}`));
    await page.reload();
    expect(await page.evaluate(() => navigator.onLine)).toBe(false);

    await expect(page.getByText('You are offline:')).toBeVisible();
    await page.getByRole('button', { name: 'Start demo: A Roman numerals library' }).click();
    await expectRunStatus(page, 'completed', 120_000);
    for (const item of await stepItems(page).all()) await expect(item).toContainText('completed');

    // Real test execution in the worker: step 2's first attempt fails three named tests, later checks pass.
    const checks = await transcriptChecks(page);
    const failing = checks.filter((text) => text.includes('Checks fail'));
    expect(failing.length, checks.join('\n---\n')).toBeGreaterThan(0);
    expect(failing[0]).toMatch(/\d+ passed, 3 failed/);
    for (const name of DEMO_FAILING_TESTS) expect(failing[0]).toContain(name);
    expect(checks.at(-1)).toMatch(/Checks pass\s*[1-9]\d* passed, 0 failed/);
    expect(checks.filter((text) => /Checks pass\s*[1-9]\d* passed, 0 failed/.test(text)).length).toBeGreaterThan(2);

    // Monaco opens offline: its chunks and workers come from the precache.
    await fileItem(page, 'src/from-roman.js').click();
    const viewer = page.getByTestId('file-viewer');
    await expect(viewer.locator('.monaco-editor').first()).toBeVisible();
    await expect(viewer.locator('.view-lines')).toContainText('fromRoman');

    expect(notFromServiceWorker).toEqual([]);
    expect(failed.filter((line) => !/stackblitz|staticblitz|webcontainer/.test(line))).toEqual([]);
    expect(app.errors).toEqual([]);
  });
});

/** Opens Settings and returns the dialog. */
async function openSettings(page: Page) {
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  await expect(dialog).toBeVisible();
  return dialog;
}

const SHARED = {
  provider: 'OpenRouter',
  providerId: 'openrouter',
  baseURL: 'https://openrouter.ai/api/v1',
  model: 'mock-coder-1',
  contextWindow: '64000',
  turnsPerStep: '7',
  spendPerRun: '3.5',
  stepsInPlan: '4',
  testTimeoutPerFile: '12',
  task: 'A to-do list module with add, list and remove, and unit tests for each.',
  program: ['Write src/todo.js with add, list and remove', 'Write src/todo.test.js with a test for each'],
};
const TEACHER_KEY = 'sk-or-teacher-SECRET-0123456789abcdef';
const STUDENT_OLD_KEY = 'sk-student-openai-SECRET-0123456789';

/** The first browser: settings, limits, task and program filled in, then "Copy link"; returns the link. */
async function makePresetLink(browser: Browser, baseURL: string): Promise<string> {
  const context = await browser.newContext({ baseURL, serviceWorkers: 'block' });
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const page = await context.newPage();
  try {
    await page.goto('/?wcBootMs=1500');
    const dialog = await openSettings(page);
    await dialog.getByRole('combobox', { name: 'Provider preset' }).selectOption({ label: SHARED.provider });
    await dialog.getByRole('textbox', { name: 'Base URL', exact: true }).fill(SHARED.baseURL);
    await dialog.getByLabel('API key', { exact: true }).fill(TEACHER_KEY);
    await dialog.getByRole('textbox', { name: 'Model', exact: true }).fill(SHARED.model);
    await dialog.getByRole('spinbutton', { name: 'Context window', exact: true }).fill(SHARED.contextWindow);
    await dialog.getByText('Run limits', { exact: true }).click();
    await dialog.getByRole('spinbutton', { name: 'Turns per step' }).fill(SHARED.turnsPerStep);
    await dialog.getByRole('spinbutton', { name: 'Spend cap per run' }).fill(SHARED.spendPerRun);
    await dialog.getByRole('spinbutton', { name: 'Steps in a plan' }).fill(SHARED.stepsInPlan);
    await dialog.getByRole('spinbutton', { name: 'Test timeout per file' }).fill(SHARED.testTimeoutPerFile);
    await dialog.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(dialog).toBeHidden();

    await page.getByRole('textbox', { name: 'Task', exact: true }).fill(SHARED.task);
    await page.getByRole('checkbox', { name: 'Write the steps myself (prompt program)' }).check();
    await page.getByRole('textbox', { name: 'Prompt program' }).fill(SHARED.program.join('\n'));
    await page.getByText('Share these settings as a classroom link').click();
    await page.getByRole('button', { name: 'Copy link', exact: true }).click();
    await expect(page.getByRole('status').filter({ hasText: /Link copied|Copy the link below/ })).toBeVisible();
    const manual = page.getByRole('textbox', { name: 'Preset link' });
    const link = (await manual.isVisible()) ? await manual.inputValue() : await page.evaluate(() => navigator.clipboard.readText());
    expect(link).toContain('#preset=');
    expect(link).not.toContain(TEACHER_KEY);
    return link;
  } finally {
    await context.close();
  }
}

test('a preset link made with "Copy link" pre-fills a fresh browser with everything but the key, and clears a key kept for another origin', async ({ browser, baseURL }) => {
  test.setTimeout(120_000);
  const link = await makePresetLink(browser, baseURL!);

  const context = await browser.newContext({ baseURL, serviceWorkers: 'block' });
  try {
    // The student's browser already keeps a key for OpenAI's origin (the default provider).
    const before = await context.newPage();
    await before.goto('/?wcBootMs=1500');
    const first = await openSettings(before);
    await first.getByLabel('API key', { exact: true }).fill(STUDENT_OLD_KEY);
    await first.getByRole('radio', { name: 'Remember on this device' }).check();
    await first.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(first).toBeHidden();
    expect(await before.evaluate(() => localStorage.getItem('l2mac.apiKey'))).toContain('https://api.openai.com');
    await before.close();

    const page = await context.newPage();
    await page.goto(link);
    const banner = page.getByRole('region', { name: /Apply this classroom preset/ });
    await expect(banner).toBeVisible();
    await expect(banner.getByRole('note')).toContainText('https://api.openai.com');
    await banner.getByRole('button', { name: 'Apply preset', exact: true }).click();
    await expect(banner).toBeHidden();
    expect(new URL(page.url()).hash).toBe('');

    // The New run form: task, program, step cap.
    await expect(page.getByRole('textbox', { name: 'Task', exact: true })).toHaveValue(SHARED.task);
    await expect(page.getByRole('checkbox', { name: 'Write the steps myself (prompt program)' })).toBeChecked();
    await expect(page.getByRole('textbox', { name: 'Prompt program' })).toHaveValue(SHARED.program.join('\n'));
    await expect(page.getByRole('spinbutton', { name: 'Step cap', exact: true })).toHaveValue(SHARED.stepsInPlan);

    // Settings: provider, address, model, context window, limits — and no key anywhere.
    const dialog = await openSettings(page);
    await expect(dialog.getByRole('combobox', { name: 'Provider preset' })).toHaveValue(SHARED.providerId);
    await expect(dialog.getByRole('textbox', { name: 'Base URL', exact: true })).toHaveValue(SHARED.baseURL);
    await expect(dialog.getByRole('textbox', { name: 'Model', exact: true })).toHaveValue(SHARED.model);
    await expect(dialog.getByRole('spinbutton', { name: 'Context window', exact: true })).toHaveValue(SHARED.contextWindow);
    await dialog.getByText('Run limits', { exact: true }).click();
    await expect(dialog.getByRole('spinbutton', { name: 'Turns per step' })).toHaveValue(SHARED.turnsPerStep);
    await expect(dialog.getByRole('spinbutton', { name: 'Spend cap per run' })).toHaveValue(SHARED.spendPerRun);
    await expect(dialog.getByRole('spinbutton', { name: 'Steps in a plan' })).toHaveValue(SHARED.stepsInPlan);
    await expect(dialog.getByRole('spinbutton', { name: 'Test timeout per file' })).toHaveValue(SHARED.testTimeoutPerFile);
    await expect(dialog.getByLabel('API key', { exact: true })).toHaveValue('');
    const stored = await page.evaluate(() => [localStorage.getItem('l2mac.apiKey'), sessionStorage.getItem('l2mac.apiKey')]);
    expect(stored).toEqual([null, null]);
  } finally {
    await context.close();
  }
});

test.describe('Settings → "Import L2MAC config.yaml"', () => {
  const KEY = 'sk-config-yaml-SECRET-0123456789abcdef';
  const yaml = (baseURL: string, key = KEY) => `llm:\n  api_type: "openai"\n  model: "mock-coder-1"\n  base_url: "${baseURL}"\n  api_key: "${key}"\n`;

  async function importYaml(page: Page, text: string) {
    const dialog = page.getByRole('dialog', { name: 'Settings' });
    await dialog.getByLabel('L2MAC config file').setInputFiles({ name: 'config.yaml', mimeType: 'text/yaml', buffer: Buffer.from(text) });
    return dialog;
  }

  /** Every stored key record (localStorage or sessionStorage, whichever "keep the key" chose). */
  const storedKeys = async (page: Page) =>
    (await page.evaluate(() => [localStorage.getItem('l2mac.apiKey'), sessionStorage.getItem('l2mac.apiKey')])).filter((v) => v !== null).map((v) => JSON.parse(v) as unknown);

  test('fills Base URL and Model and keeps the key for that origin only', async ({ page, app }) => {
    await app.open();
    await openSettings(page);
    const dialog = await importYaml(page, yaml('http://127.0.0.1:5999/v1'));
    await expect(dialog.getByRole('status').filter({ hasText: 'Imported mock-coder-1 at http://127.0.0.1:5999/v1.' })).toContainText('The file’s key is saved for this address.');
    await expect(dialog.getByRole('textbox', { name: 'Base URL', exact: true })).toHaveValue('http://127.0.0.1:5999/v1');
    await expect(dialog.getByRole('textbox', { name: 'Model', exact: true })).toHaveValue('mock-coder-1');
    await expect(dialog.getByLabel('API key', { exact: true })).toHaveValue(KEY);
    expect(await storedKeys(page)).toEqual([{ v: 1, key: KEY, origin: 'http://127.0.0.1:5999' }]);

    // The key belongs to that origin: pointing the form at another one empties the field.
    await dialog.getByRole('textbox', { name: 'Base URL', exact: true }).fill('http://127.0.0.1:6001/v1');
    await expect(dialog.getByLabel('API key', { exact: true })).toHaveValue('');
    await dialog.getByRole('textbox', { name: 'Base URL', exact: true }).fill('http://127.0.0.1:5999/v1');

    // A second file for another origin: the first key is removed before its own is kept.
    await importYaml(page, yaml('http://127.0.0.1:6002/v1', 'YOUR_API_KEY'));
    await expect(dialog.getByRole('status').filter({ hasText: 'Imported mock-coder-1 at http://127.0.0.1:6002/v1.' })).toContainText('The key saved for the previous address was removed.');
    await expect(dialog.getByLabel('API key', { exact: true })).toHaveValue('');
    expect(await storedKeys(page)).toEqual([]);
    expect(app.errors).toEqual([]);
  });

  test('a file whose base URL fails the origin check is refused and stores no key', async ({ page, app }) => {
    await app.open();
    await openSettings(page);
    const dialog = await importYaml(page, yaml('http://127.0.0.1:5999/v1'));
    await expect(dialog.getByLabel('API key', { exact: true })).toHaveValue(KEY);

    for (const [base, reason] of [
      ['file:///etc/passwd', /not an http\(s\) address/],
      ['ftp://127.0.0.1:5999/v1', /not an http\(s\) address/],
      ['http://user:pass@127.0.0.1:6003/v1', /user name or password/],
    ] as const) {
      await importYaml(page, yaml(base, 'sk-refused-SECRET-0123456789abcdef'));
      await expect(dialog.getByRole('alert')).toContainText(reason);
      await expect(dialog.getByRole('textbox', { name: 'Base URL', exact: true })).toHaveValue('http://127.0.0.1:5999/v1');
      await expect(dialog.getByLabel('API key', { exact: true })).toHaveValue(KEY);
      expect(await storedKeys(page)).toEqual([{ v: 1, key: KEY, origin: 'http://127.0.0.1:5999' }]);
    }
  });
});
