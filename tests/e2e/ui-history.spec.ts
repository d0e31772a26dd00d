/**
 * The run history in the built app (issue 6, DESIGN.md §9), against the mock server playing three-step-fix:
 * rename (kept across a reload), delete asks first (Keep keeps the run; Delete removes it and everything of
 * it from IndexedDB), "Run again" starts a second run with the same task and settings (not the Settings of
 * now) that completes, and the whole-run bundle moves a run to a fresh browser context without the API key.
 */
import { readFile } from 'node:fs/promises';
import { strFromU8, unzipSync } from 'fflate';
import type { Page } from '@playwright/test';
import type { RunRecord, VersionRecord } from '../../src/store/types.ts';
import { expect, expectRunStatus, fileItem, fillSettings, MOCK_API_KEY, MOCK_MODEL, runScenario, stepItems, test } from './fixtures.ts';

test.use({ scenario: 'three-step-fix' });

interface StoredRows {
  runs: RunRecord[];
  /** [store name, runId] of every row that belongs to a run (blobs and settings are not a run's). */
  owned: [string, string][];
  versions: VersionRecord[];
}

/** The app's IndexedDB rows, read in the page. */
function storedRows(page: Page): Promise<StoredRows> {
  return page.evaluate(async () => {
    const request = <T,>(r: IDBRequest<T>) =>
      new Promise<T>((resolve, reject) => {
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
    const db = await request(indexedDB.open('l2mac-web'));
    const all = async (name: string) => request(db.transaction(name).objectStore(name).getAll()) as Promise<{ runId?: string; id?: string }[]>;
    const owned: [string, string][] = [];
    for (const name of ['runs', 'files', 'versions', 'events', 'checkpoints']) {
      for (const row of await all(name)) owned.push([name, (name === 'runs' ? row.id : row.runId) ?? '']);
    }
    const result = { runs: (await all('runs')) as unknown as RunRecord[], owned, versions: (await all('versions')) as unknown as VersionRecord[] };
    db.close();
    return result;
  });
}

/** A run's versions without the run id (a bundle imported elsewhere may be stored under another id). */
function versionsOf(rows: StoredRows, runId: string) {
  return rows.versions
    .filter((v) => v.runId === runId)
    .map(({ path, version, step, turn, hash, cause }) => ({ path, version, step, turn, hash, cause }))
    .sort((a, b) => (a.path === b.path ? a.version - b.version : a.path < b.path ? -1 : 1));
}

function history(page: Page) {
  return page.getByRole('navigation', { name: 'Runs' });
}

async function openActions(page: Page, name: string | RegExp): Promise<void> {
  await history(page).getByRole('button', { name: typeof name === 'string' ? `Actions for ${name}` : name }).click();
}

async function downloadBytes(page: Page, click: () => Promise<void>): Promise<{ name: string; bytes: Uint8Array; path: string }> {
  const download = page.waitForEvent('download');
  await click();
  const saved = await download;
  const path = await saved.path();
  return { name: saved.suggestedFilename(), bytes: new Uint8Array(await readFile(path)), path };
}

function unzipText(bytes: Uint8Array): Record<string, string> {
  return Object.fromEntries(Object.entries(unzipSync(bytes)).map(([name, data]) => [name, strFromU8(data)]));
}

test('rename survives a reload, Run again repeats the run with its own settings, and delete asks first', async ({ page, mock, app }) => {
  test.setTimeout(150_000);
  const scenario = app.scenario!;
  await app.open();
  await runScenario(page, mock, app, { sandbox: 'Worker only', status: 'completed' });
  const [first] = (await storedRows(page)).runs;
  expect(first).toBeDefined();

  // Rename: the new name shows in the history and after a reload.
  await openActions(page, first!.title);
  await history(page).getByRole('button', { name: 'Rename', exact: true }).click();
  const titleBox = history(page).getByRole('textbox', { name: 'Run title' });
  await titleBox.fill('Word stats, first try');
  await titleBox.press('Enter');
  await expect(history(page).getByRole('button', { name: /^Word stats, first try/ })).toBeVisible();
  await page.reload();
  await expectRunStatus(page, 'completed');
  await expect(history(page).getByRole('button', { name: /^Word stats, first try/ })).toBeVisible();
  expect((await storedRows(page)).runs.find((r) => r.id === first!.id)?.title).toBe('Word stats, first try');

  // The Settings change after the run: Run again must use the run's own settings, not these.
  await fillSettings(page, { baseURL: mock.url, model: 'mock-coder-2', contextWindow: 64_000 });
  const requestsBefore = mock.chatRequests.length;
  await openActions(page, 'Word stats, first try');
  await history(page).getByRole('button', { name: 'Run again', exact: true }).click();
  await expect(history(page).getByRole('listitem')).toHaveCount(2);
  await expectRunStatus(page, 'completed');
  await expect(stepItems(page)).toHaveCount(3);
  for (const path of Object.keys(scenario.expectedFiles!)) await expect(fileItem(page, path)).toBeVisible();

  const rows = await storedRows(page);
  const second = rows.runs.find((r) => r.id !== first!.id)!;
  expect(second.status).toBe('completed');
  expect(second.task).toBe(first!.task);
  expect(second.domain).toBe(first!.domain);
  expect(second.settings).toEqual(first!.settings);
  expect(second.settings.sandbox).toBe('worker');
  expect(second.settings.limits.maxSteps).toBe(3);
  const again = mock.chatRequests.slice(requestsBefore);
  expect(again.length).toBeGreaterThan(5);
  for (const request of again) expect((request.body as { model?: string }).model).toBe(MOCK_MODEL);

  // Delete asks first: Keep keeps the run.
  await openActions(page, 'Word stats, first try');
  await history(page).getByRole('button', { name: 'Delete run', exact: true }).click();
  await expect(history(page).getByText('Delete this run and its files?')).toBeVisible();
  await history(page).getByRole('button', { name: 'Keep', exact: true }).click();
  await expect(history(page).getByText('Delete this run and its files?')).toBeHidden();
  await expect(history(page).getByRole('listitem')).toHaveCount(2);
  expect((await storedRows(page)).owned.filter(([, id]) => id === first!.id).length).toBeGreaterThan(10);

  // Delete removes the run and every row of it; the other run keeps its files.
  await history(page).getByRole('button', { name: 'Delete run', exact: true }).click();
  await history(page).getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(history(page).getByRole('listitem')).toHaveCount(1);
  await expect(history(page).getByRole('button', { name: /^Word stats, first try/ })).toHaveCount(0);
  const afterDelete = await storedRows(page);
  expect(afterDelete.owned.filter(([, id]) => id === first!.id)).toEqual([]);
  expect(afterDelete.runs.map((r) => r.id)).toEqual([second.id]);
  expect(versionsOf(afterDelete, second.id).length).toBeGreaterThan(0);
  await page.reload();
  await expect(history(page).getByRole('listitem')).toHaveCount(1);
  await expect(history(page).getByRole('button', { name: /^Word stats, first try/ })).toHaveCount(0);
  expect(app.errors).toEqual([]);
});

test('the whole-run bundle holds no key and brings the plan, files and versions into a fresh browser context', async ({ page, mock, app, browser }) => {
  test.setTimeout(120_000);
  const scenario = app.scenario!;
  await app.open();
  await runScenario(page, mock, app, { sandbox: 'Worker only', status: 'completed' });
  const source = await storedRows(page);
  const run = source.runs[0]!;

  await page.getByText('Export', { exact: true }).click();
  const bundle = await downloadBytes(page, () => page.getByRole('button', { name: 'Whole run (bundle for another browser)' }).click());
  expect(bundle.name).toMatch(/\.l2mac-run\.zip$/);
  // The key is in no entry of the bundle (nor in its raw bytes, where entry names are).
  const entries = unzipText(bundle.bytes);
  expect(Object.keys(entries)).toContain('manifest.json');
  for (const [name, text] of Object.entries(entries)) expect(text.includes(MOCK_API_KEY), `${name} holds the key`).toBe(false);
  expect(Buffer.from(bundle.bytes).includes(Buffer.from(MOCK_API_KEY))).toBe(false);
  // The key did go to the mock with every request: it was in use for this run.
  for (const request of mock.chatRequests) expect(request.headers.authorization).toBe(`Bearer ${MOCK_API_KEY}`);

  // Another browser: no runs, no settings, no key.
  const context = await browser.newContext();
  const other = await context.newPage();
  const otherErrors: string[] = [];
  other.on('pageerror', (error) => otherErrors.push(error.message));
  await other.goto('/');
  await expect(other.getByRole('textbox', { name: 'Task', exact: true })).toBeVisible();
  await expect(history(other).getByRole('listitem')).toHaveCount(0);
  const chooser = other.waitForEvent('filechooser');
  await history(other).getByRole('button', { name: 'Import a run bundle', exact: true }).click();
  await (await chooser).setFiles(bundle.path);

  await expectRunStatus(other, 'completed');
  await expect(history(other).getByRole('listitem')).toHaveCount(1);
  const steps = stepItems(other);
  await expect(steps).toHaveCount(3);
  for (const item of await steps.all()) await expect(item).toContainText('completed');
  for (const path of Object.keys(scenario.expectedFiles!)) await expect(fileItem(other, path)).toBeVisible();

  const imported = await storedRows(other);
  expect(imported.runs).toHaveLength(1);
  const copy = imported.runs[0]!;
  expect(copy.task).toBe(run.task);
  expect(copy.plan).toEqual(run.plan);
  expect(versionsOf(imported, copy.id)).toEqual(versionsOf(source, run.id));
  // The versions open: src/freq.js has the failing first attempt and its fix.
  await fileItem(other, 'src/freq.js').click();
  await other.getByRole('button', { name: 'Diff with previous version' }).click();
  await expect(other.getByTestId('file-viewer').locator('.monaco-diff-editor')).toContainText('toLowerCase');

  const zip = await downloadBytes(other, () => other.getByRole('button', { name: 'Download zip', exact: true }).click());
  expect(unzipText(zip.bytes)).toEqual(scenario.expectedFiles);
  expect(JSON.stringify(imported).includes(MOCK_API_KEY)).toBe(false);
  expect(otherErrors).toEqual([]);
  await context.close();
  expect(app.errors).toEqual([]);
});
