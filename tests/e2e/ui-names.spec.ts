/**
 * The fixed accessible names of DESIGN.md §9, state by state: New run, Settings, a running run, a paused
 * run, a completed run, and a run interrupted by a reload. At each state the names that should be there
 * are, with the role they are fixed with, `[data-testid="run-status"]` reads exactly one run state, and no
 * other visible control of the same role has exactly the same name.
 *
 * Then the plain flow a scenario outside the project takes, touching nothing but those names (no URL
 * parameter, no sandbox choice, no key-storage choice): Settings → Base URL, API key, Model, Context
 * window → Save → Task → Run → `completed` → Download zip; every request the page sent is checked.
 */
import type { Page, Request } from '@playwright/test';
import { unzipSync, strFromU8 } from 'fflate';
import { readFile } from 'node:fs/promises';
import { RUN_STATUSES, type RunStatus } from '../../src/l2mac/run-state.ts';
import {
  expect,
  expectRunStatus,
  expectUniqueFixedNames,
  fileItem,
  fillSettings,
  MOCK_API_KEY,
  MOCK_CONTEXT_WINDOW,
  MOCK_MODEL,
  startRun,
  stepItems,
  test,
} from './fixtures.ts';

test.use({ scenario: 'three-step-fix' });

/** The chat requests of the three-step scenario: 1 plan, 2–3 step 1, 4 its summary, 5 step 2's first turn. */
const STEP_TWO_FIRST_TURN = 5;

/** The status element holds exactly one run state, and it is `expected`. */
async function expectStatusIs(page: Page, expected: RunStatus): Promise<void> {
  await expectRunStatus(page, expected);
  const text = await page.getByTestId('run-status').textContent();
  expect(RUN_STATUSES as readonly string[]).toContain(text);
  await expect(page.getByTestId('run-status')).toHaveCount(1);
}

/** Asserts the uniqueness rule and that exactly `present` of the fixed names are visible. */
async function expectNames(page: Page, present: string[], absent: string[] = []): Promise<void> {
  const seen = await expectUniqueFixedNames(page);
  expect(seen).toEqual(expect.arrayContaining(present));
  for (const name of absent) expect(seen).not.toContain(name);
}

/** Every visible treeitem is named by a full path of the run; folders end with "/", files are `files`. */
async function expectTreeNamedByPaths(page: Page, files: string[]): Promise<void> {
  const tree = page.getByRole('tree', { name: 'Files', exact: true });
  const names = await tree.getByRole('treeitem').evaluateAll((items) => items.map((item) => item.getAttribute('aria-label') ?? ''));
  const folders = new Set(files.flatMap((path) => path.split('/').slice(0, -1).map((_, i, parts) => `${parts.slice(0, i + 1).join('/')}/`)));
  expect(names.filter((name) => !name.endsWith('/')).sort()).toEqual([...files].sort());
  expect(names.filter((name) => name.endsWith('/')).sort()).toEqual([...folders].sort());
  for (const path of files) await expect(fileItem(page, path)).toBeVisible();
}

test('each state shows its fixed names once: new run, settings, running, paused, completed', async ({ page, mock, app }) => {
  const scenario = app.scenario!;
  const hold = mock.faults.hold({ at: STEP_TWO_FIRST_TURN });
  await app.open();

  // New run.
  await expect(page.getByTestId('run-status')).toHaveCount(0);
  await expectNames(page, ['textbox Task', 'button Run', 'button Settings'], ['button Resume', 'button Cancel', 'button Download zip']);

  // Settings.
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  await expect(dialog).toBeVisible();
  await expectNames(page, ['textbox Base URL', 'textbox Model', 'spinbutton Context window', 'button Save']);
  await expect(dialog.getByLabel('API key', { exact: true })).toHaveAttribute('type', 'password');
  await expect(page.getByLabel('API key', { exact: true }).filter({ visible: true })).toHaveCount(1);
  await expect(dialog.getByRole('textbox', { name: 'Model', exact: true })).not.toHaveAttribute('list');
  await dialog.getByRole('button', { name: 'Close', exact: true }).click();
  await expect(dialog).toBeHidden();
  await fillSettings(page, { baseURL: mock.url });

  // Running.
  await startRun(page, scenario.task, { sandbox: 'Worker only' });
  await hold.arrived;
  await expectStatusIs(page, 'running');
  await expect(stepItems(page)).toHaveCount(3);
  await expectNames(page, ['button Settings', 'list Steps', 'tree Files', 'button Download zip', 'button Cancel'], ['button Resume', 'textbox Task']);
  await expectTreeNamedByPaths(page, ['src/words.js', 'src/words.test.js']);

  // Paused.
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await expectStatusIs(page, 'paused');
  await expectNames(page, ['button Resume', 'button Cancel', 'button Download zip', 'list Steps', 'tree Files']);
  hold.release();

  // Completed.
  await page.getByRole('button', { name: 'Resume', exact: true }).click();
  await expectStatusIs(page, 'completed');
  await expectNames(page, ['button Download zip', 'list Steps', 'tree Files', 'button Settings'], ['button Resume', 'button Cancel']);
  await expect(stepItems(page)).toHaveCount(3);
  await expectTreeNamedByPaths(page, Object.keys(scenario.expectedFiles!));

  // New run again, with a run in the history: the history's entries do not take a fixed name.
  await page.getByRole('button', { name: 'New run', exact: true }).click();
  await expectNames(page, ['textbox Task', 'button Run', 'button Settings']);
  expect(app.errors).toEqual([]);
});

test('a run interrupted by a reload shows interrupted, Resume and Cancel once each', async ({ page, mock, app }) => {
  const hold = mock.faults.hold({ at: STEP_TWO_FIRST_TURN });
  await app.open();
  await fillSettings(page, { baseURL: mock.url });
  await startRun(page, app.scenario!.task, { sandbox: 'Worker only' });
  await hold.arrived;
  await page.reload();
  hold.release();
  await expectStatusIs(page, 'interrupted');
  await expectNames(page, ['button Resume', 'button Cancel', 'button Download zip', 'list Steps', 'tree Files', 'button Settings']);
  await expect(stepItems(page)).toHaveCount(3);
  await page.getByRole('button', { name: 'Resume', exact: true }).click();
  await expectStatusIs(page, 'completed');
  await expectNames(page, ['button Download zip'], ['button Resume', 'button Cancel']);
});

test.describe('the plain flow of an outside scenario', () => {
  // What an outside scenario gets: the default boot limit of WebContainer (the page has no URL parameter).
  test.setTimeout(180_000);

  test('Settings, Task, Run, completed, Download zip; every request goes where it should', async ({ page, mock, app }) => {
    const sent: Request[] = [];
    page.on('request', (request) => sent.push(request));

    await page.goto('/');
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    await page.getByRole('textbox', { name: 'Base URL', exact: true }).fill(mock.url);
    await page.getByLabel('API key', { exact: true }).fill(MOCK_API_KEY);
    await page.getByRole('textbox', { name: 'Model', exact: true }).fill(MOCK_MODEL);
    await page.getByRole('spinbutton', { name: 'Context window', exact: true }).fill(String(MOCK_CONTEXT_WINDOW));
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(page.getByRole('textbox', { name: 'Base URL', exact: true })).toBeHidden();

    await page.getByRole('textbox', { name: 'Task', exact: true }).fill(app.scenario!.task);
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expectRunStatus(page, 'completed', 150_000);

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download zip', exact: true }).click();
    const entries = unzipSync(new Uint8Array(await readFile(await (await download).path())));
    expect(Object.fromEntries(Object.entries(entries).map(([path, bytes]) => [path, strFromU8(bytes)]))).toEqual(app.scenario!.expectedFiles);

    // The LLM requests: the chat route of the configured base URL, the key, the model, streamed, no `meta`.
    expect(mock.chatRequests.length).toBeGreaterThan(5);
    for (const request of mock.chatRequests) {
      expect(request.method).toBe('POST');
      expect(request.path).toBe('/v1/chat/completions');
      expect(request.headers.authorization).toBe(`Bearer ${MOCK_API_KEY}`);
      const body = request.body as Record<string, unknown>;
      expect(body.model).toBe(MOCK_MODEL);
      expect(body.stream).toBe(true);
      expect(body.stream_options).toEqual({ include_usage: true });
      expect(Array.isArray(body.messages) && body.messages.length > 0).toBe(true);
      expect(JSON.stringify(body)).not.toContain('"meta"');
      expect(Object.keys(request.headers).filter((name) => name.startsWith('x-stainless'))).toEqual([]);
    }
    // Nothing but chat completions and their preflights reached the server (no listing, no probing).
    expect(mock.requests.filter((r) => !(r.method === 'OPTIONS' || (r.method === 'POST' && r.path === '/v1/chat/completions'))).map((r) => `${r.method} ${r.path}`)).toEqual([]);
    // Preflights ask only for headers a local server allows.
    for (const request of mock.requests.filter((r) => r.method === 'OPTIONS')) {
      expect(String(request.headers['access-control-request-headers'] ?? '')).not.toContain('x-stainless');
    }

    // The key went to the mock only; nothing else left the page except WebContainer's boot frame.
    const appOrigin = new URL(page.url()).origin;
    for (const request of sent) {
      const origin = new URL(request.url()).origin;
      const authorization = (await request.allHeaders()).authorization;
      if (origin === mock.origin) continue;
      expect(authorization, `${request.url()} carried an Authorization header`).toBeUndefined();
      expect(request.url()).not.toContain(MOCK_API_KEY);
      if (origin !== appOrigin && !request.url().startsWith('data:') && !request.url().startsWith('blob:')) {
        expect(new URL(request.url()).hostname, `unexpected request to ${request.url()}`).toMatch(/(^|\.)(stackblitz\.com|staticblitz\.com|webcontainer-api\.io)$/);
      }
    }
  });
});
