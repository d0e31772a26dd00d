/**
 * Issue 12, security faults, in the built app against the mock server:
 * - the API key appears in no IndexedDB record (every object store of every database of the origin), no
 *   export (Download zip and the run bundle), no event and no console line, through a run whose provider
 *   echoes the key in its error messages (a 500 that is retried, then a 401 that pauses the run);
 * - a preset link that moves the base URL to another origin does not carry the stored key there.
 * - payload kinds `ui-xss.spec.ts` (LLM text, plan, file names, tool arguments, test output) does not try:
 *   ANSI-coloured markup and OSC 8 hyperlinks in test and program output, markup in a provider's error
 *   messages (a retry wait and a paused run's reason), and in a classroom preset link's title and task.
 */
import { readFile } from 'node:fs/promises';
import { strFromU8, unzipSync } from 'fflate';
import type { Page } from '@playwright/test';
import type { Scenario } from '../../src/llm/scenario.ts';
import { encodePreset } from '../../src/presets/link.ts';
import { createMockServer } from '../support/mock-server.ts';
import { expect, expectRunStatus, fillSettings, MOCK_API_KEY, MOCK_CONTEXT_WINDOW, MOCK_MODEL, runScenario, startRun, test } from './fixtures.ts';

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

/** One step whose test and program print markup wrapped in ANSI colours and OSC 8 hyperlinks. */
function ansiScenario(origin: string): Scenario {
  const printer = [
    `const esc = String.fromCharCode(27);`,
    `const bel = String.fromCharCode(7);`,
    `export const lines = [`,
    `  esc + '[31m<img src=${origin}/exfil-ansi onerror=window.__xss=21>' + esc + '[0m',`,
    `  esc + ']8;;javascript:window.__xss=22' + bel + 'click me' + esc + ']8;;' + bel,`,
    `  esc + ']8;;${origin}/exfil-osc8' + bel + 'a link' + esc + ']8;;' + bel,`,
    `  esc + '[1;32m<script>window.__xss=23</script>' + esc + '[0m <svg onload=window.__xss=24>',`,
    `];`,
    `for (const line of lines) console.log(line);`,
  ].join('\n');
  const test = `import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { lines } from './print.js';\n\ntest('prints', () => {\n  for (const line of lines) console.log(line);\n  assert.equal(lines.length, 4);\n});\n`;
  return {
    format: 'l2mac-scenario/1',
    name: 'faults-security-ansi',
    title: 'Markup in coloured output',
    domain: 'codebase',
    task: 'Write a module that prints coloured lines, with a test.',
    settings: { maxSteps: 1, requirePassingTests: true },
    turns: [
      { key: { kind: 'plan', step: 0, turn: 0 }, reply: { toolCalls: [{ name: 'provide_detailed_sub_task_steps_for_sub_agents', arguments: { steps: ['Write print.js and print.test.js, then run print.js.'] } }] } },
      {
        key: { kind: 'step', step: 1, turn: 0 },
        reply: {
          toolCalls: [
            { name: 'write_files', arguments: { list_of_file_objects: [{ file_path: 'print.js', file_contents: printer }, { file_path: 'print.test.js', file_contents: test }] } },
            { name: 'run_file', arguments: { file_name_to_run: 'print.js' } },
          ],
        },
      },
      { key: { kind: 'step', step: 1, turn: 1 }, reply: { toolCalls: [{ name: 'sub_task_step_complete', arguments: {} }] } },
      { key: { kind: 'summary', step: 1, turn: 2 }, reply: { content: 'print.js prints four coloured lines; its test passes.' } },
      { key: { kind: 'report', step: 0, turn: 0 }, reply: { content: 'Done.' } },
    ],
  };
}

/** What a payload that ran or loaded would leave in the page. */
function pageTraces(page: Page) {
  return page.evaluate(() => ({
    xss: (globalThis as { __xss?: unknown }).__xss ?? null,
    images: document.querySelectorAll('img').length,
    frames: document.querySelectorAll('iframe, object, embed, svg[onload]').length,
    handlers: [...document.querySelectorAll('*')].filter((el) => [...el.attributes].some((a) => a.name.startsWith('on'))).length,
    scripts: [...document.querySelectorAll('script')].filter((s) => s.textContent?.includes('__xss')).length,
    outputLinks: document.querySelectorAll('pre a').length,
  }));
}

const NO_TRACES = { xss: null, images: 0, frames: 0, handlers: 0, scripts: 0, outputLinks: 0 };

test('markup in coloured output, in provider error messages and in a preset link runs nothing and loads nothing', async ({ page, mock, app }) => {
  mock.setScenario(ansiScenario(mock.origin));
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  const pageRequests: string[] = [];
  page.on('request', (request) => pageRequests.push(request.url()));
  // The provider's own error text carries markup: shown in the retry wait, then as the paused run's reason.
  mock.faults.status(500, { at: 2, message: `Upstream <img src=${mock.origin}/exfil-retry onerror=window.__xss=25> failed` });
  mock.faults.status(401, { at: 3, message: `Bad key <img src=${mock.origin}/exfil-auth onerror=window.__xss=26><script>window.__xss=27</script>` });

  await app.open();
  await fillSettings(page, { baseURL: mock.url });
  await startRun(page, 'Write a module that prints coloured lines, with a test.', { sandbox: 'Worker only', stepCap: 1 });
  await expectRunStatus(page, 'paused');
  await expect(page.getByText(`Bad key <img src=${mock.origin}/exfil-auth onerror=window.__xss=26>`).first()).toBeVisible();
  expect(await pageTraces(page)).toEqual(NO_TRACES);
  await page.getByRole('button', { name: 'Resume', exact: true }).click();
  await expectRunStatus(page, 'completed');

  // Open every place that shows output: the tool cards and checks, and the Output tab.
  await page.getByRole('tab', { name: 'Transcript' }).click();
  const transcript = page.getByRole('region', { name: 'Transcript' });
  for (const summary of await transcript.locator('details > summary:visible').all()) await summary.click();
  await expect(transcript.getByText('<img src=', { exact: false }).first()).toBeVisible();
  await page.getByRole('tab', { name: 'Output' }).click();
  const output = page.getByRole('tabpanel', { name: 'Output' });
  await expect(output).toContainText(`<img src=${mock.origin}/exfil-ansi onerror=window.__xss=21>`);
  await expect(output).toContainText('<script>window.__xss=23</script>');
  // The colours were understood (so the ANSI path really ran); the hyperlinks became no link (see pageTraces).
  expect(await output.locator('span[class*="ansi-"]').count()).toBeGreaterThan(0);
  expect(await pageTraces(page)).toEqual(NO_TRACES);

  // A classroom link is anyone's to make: its title and task are shown as text.
  const preset = encodePreset({ v: 1, title: `<img src=${mock.origin}/exfil-preset onerror=window.__xss=28>`, task: '<script>window.__xss=29</script> a task' });
  await page.goto(`/?from=link&wcBootMs=1500#preset=${preset}`);
  await expect(page.getByRole('heading', { name: /^Apply this classroom preset: <img src=/ })).toBeVisible();
  await expect(page.getByText('<script>window.__xss=29</script> a task').first()).toBeVisible();
  expect(await pageTraces(page)).toEqual(NO_TRACES);

  expect(dialogs).toEqual([]);
  expect(pageRequests.filter((url) => url.includes('exfil'))).toEqual([]);
  expect(mock.requests.filter((r) => r.path.includes('exfil'))).toEqual([]);
});
