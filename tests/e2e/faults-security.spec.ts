/**
 * Issue 12, security faults, in the built app against the mock server:
 * - the API key appears in no IndexedDB record (every object store of every database of the origin), no
 *   export (Download zip and the run bundle), no event and no console line, through a run whose provider
 *   echoes the key in its error messages (a 500 that is retried, then a 401 that pauses the run);
 * - a preset link that moves the base URL to another origin does not carry the stored key there.
 * Script, `onerror` and image payloads in LLM text, file names and test output are `ui-xss.spec.ts`.
 */
import { readFile } from 'node:fs/promises';
import { strFromU8, unzipSync } from 'fflate';
import type { Page } from '@playwright/test';
import { encodePreset } from '../../src/presets/link.ts';
import { createMockServer } from '../support/mock-server.ts';
import { expect, expectRunStatus, fillSettings, MOCK_API_KEY, MOCK_CONTEXT_WINDOW, MOCK_MODEL, runScenario, test } from './fixtures.ts';

test.use({ scenario: 'three-step-fix' });

/** Every record of every object store of every IndexedDB database of the page's origin, as JSON text. */
function dumpIndexedDb(page: Page): Promise<{ databases: string[]; text: string }> {
  return page.evaluate(async () => {
    const request = <T,>(r: IDBRequest<T>) =>
      new Promise<T>((resolve, reject) => {
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
    const dump: Record<string, Record<string, unknown[]>> = {};
    for (const info of await indexedDB.databases()) {
      if (!info.name) continue;
      const db = await request(indexedDB.open(info.name));
      dump[info.name] = {};
      for (const store of [...db.objectStoreNames]) {
        const tx = db.transaction(store);
        const [keys, values] = await Promise.all([request(tx.objectStore(store).getAllKeys()), request(tx.objectStore(store).getAll())]);
        dump[info.name]![store] = [keys, values];
      }
      db.close();
    }
    return { databases: Object.keys(dump), text: JSON.stringify(dump) };
  });
}

/** The entries of a downloaded zip as text, joined. */
async function downloadedZipText(page: Page, click: () => Promise<void>): Promise<{ names: string[]; text: string }> {
  const download = page.waitForEvent('download');
  await click();
  const entries = unzipSync(new Uint8Array(await readFile(await (await download).path())));
  return { names: Object.keys(entries), text: Object.entries(entries).map(([name, bytes]) => `${name}\n${strFromU8(bytes)}`).join('\n') };
}

/** The key and pieces of it a careless mask or encoding would leave. */
const KEY_TRACES = [MOCK_API_KEY, MOCK_API_KEY.slice(3), MOCK_API_KEY.slice(-16), Buffer.from(MOCK_API_KEY).toString('base64').slice(0, 24)];

function expectNoKey(where: string, text: string): void {
  for (const trace of KEY_TRACES) expect(text.includes(trace), `${where} holds "${trace}"`).toBe(false);
}

test('the API key is in no IndexedDB record, export, stored event, console line or page text, even when the provider echoes it', async ({ page, mock, app }) => {
  const consoleLines: string[] = [];
  page.on('console', (message) => consoleLines.push(`${message.type()}: ${message.text()}`));
  page.on('pageerror', (error) => consoleLines.push(`pageerror: ${error.message}\n${error.stack ?? ''}`));
  const keyedRequests: string[] = [];
  page.on('request', (request) => {
    if (JSON.stringify(request.headers()).includes(MOCK_API_KEY)) keyedRequests.push(request.url());
  });
  // A careless provider (or proxy) that repeats the key it was given in its error messages.
  const echo = `Incorrect API key provided: ${MOCK_API_KEY}. Check the key you sent.`;
  mock.faults.status(500, { at: 3, message: `Upstream failed for key ${MOCK_API_KEY}` });
  mock.faults.status(401, { at: 6, message: echo, code: 'invalid_api_key' });

  await app.open();
  await runScenario(page, mock, app, { sandbox: 'Worker only' });
  await expectRunStatus(page, 'paused');
  await expect(page.getByText(/Incorrect API key provided/).first()).toBeVisible();
  await page.getByRole('button', { name: 'Resume', exact: true }).click();
  await expectRunStatus(page, 'completed');

  // The key went with every chat request, and only to the configured base URL.
  expect(mock.chatRequests.length).toBeGreaterThanOrEqual(13);
  expect(mock.chatRequests.every((r) => r.headers.authorization === `Bearer ${MOCK_API_KEY}`)).toBe(true);
  expect(keyedRequests.length).toBeGreaterThan(0);
  expect(keyedRequests.every((url) => url.startsWith(`${mock.url}/`))).toBe(true);

  // Where it may be: localStorage ("remember on this device"), which also proves the search sees it.
  const web = await page.evaluate(() => JSON.stringify({ ...localStorage }));
  expect(web).toContain(MOCK_API_KEY);

  const idb = await dumpIndexedDb(page);
  expect(idb.databases).toContain('l2mac-web');
  // The dump holds the run, its events (the retry wait and the pause among them) and its files.
  expect(idb.text).toContain('retry-wait');
  expect(idb.text).toContain('Incorrect API key provided');
  expect(idb.text).toContain('export function countWords');
  expectNoKey('IndexedDB', idb.text);

  const zip = await downloadedZipText(page, () => page.getByRole('button', { name: 'Download zip', exact: true }).click());
  expect(zip.names).toContain('src/words.js');
  expectNoKey('the zip', zip.text);

  const bundle = await downloadedZipText(page, async () => {
    await page.locator('summary', { hasText: 'Export' }).click();
    await page.getByRole('button', { name: 'Whole run (bundle for another browser)' }).click();
  });
  expect(bundle.text).toContain('retry-wait');
  expect(bundle.text).toContain('Incorrect API key provided');
  expectNoKey('the run bundle', bundle.text);

  expectNoKey('the console', consoleLines.join('\n'));
  expectNoKey('the page text', await page.evaluate(() => document.body.innerText));
});

test('a preset link that moves the base URL to another origin does not carry the stored key there', async ({ page, mock, app }) => {
  const other = await createMockServer({ scenario: app.scenario! });
  try {
    const seenByOther: string[] = [];
    page.on('request', (request) => {
      if (request.url().startsWith(other.origin)) seenByOther.push(JSON.stringify(request.headers()));
    });
    await app.open();
    await fillSettings(page, { baseURL: mock.url });
    expect(await page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }))).toContain(MOCK_API_KEY);

    const preset = encodePreset({ v: 1, title: 'Week 4', provider: 'custom', baseURL: other.url, model: MOCK_MODEL, contextWindow: MOCK_CONTEXT_WINDOW, task: 'Anything' });
    // Another query string, so this is a new page load that reads the link.
    await page.goto(`/?from=link&wcBootMs=1500#preset=${preset}`);
    await expect(page.getByRole('heading', { name: 'Apply this classroom preset: Week 4?' })).toBeVisible();
    await expect(page.getByRole('note')).toContainText(`Your saved API key is for ${mock.origin}.`);
    await page.getByRole('button', { name: 'Apply preset', exact: true }).click();
    await expect(page.getByRole('button', { name: 'Apply preset', exact: true })).toHaveCount(0);

    // Nothing of the key is kept, and the settings ask for a new one.
    expect(await page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }))).not.toContain(MOCK_API_KEY);
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Settings' });
    await expect(dialog.getByRole('textbox', { name: 'Base URL', exact: true })).toHaveValue(other.url);
    await expect(dialog.getByLabel('API key', { exact: true })).toHaveValue('');
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();

    // A custom server needs no key, so the run goes ahead there, and the old key goes with none of it.
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expectRunStatus(page, 'completed');
    expect(other.chatRequests.length).toBeGreaterThan(0);
    expect(other.requests.filter((r) => JSON.stringify(r.headers).includes(MOCK_API_KEY))).toEqual([]);
    expect(seenByOther.length).toBeGreaterThan(0);
    expect(seenByOther.filter((headers) => headers.includes(MOCK_API_KEY))).toEqual([]);
    expect(mock.chatRequests).toHaveLength(0);
    expectNoKey('IndexedDB', (await dumpIndexedDb(page)).text);
  } finally {
    await other.close();
  }
});
