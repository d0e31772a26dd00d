/**
 * Issue 12, browser faults, in the built app against the mock server: the driving page closed in the
 * middle of a step and the app opened again; two tabs on one run (DESIGN.md §6: one drives, the other
 * follows live and read-only, never continues on its own, and offers Resume when the first closes); the
 * storage quota exceeded in the middle of a run (Chromium's `Storage.overrideQuotaForOrigin`). Each checks
 * what the user sees and what IndexedDB keeps. Reload mid-step is `ui-controls.spec.ts`, offline after load
 * `ui-offline-resume.spec.ts`.
 */
import { readFile } from 'node:fs/promises';
import { strFromU8, unzipSync } from 'fflate';
import type { Page } from '@playwright/test';
import type { Scenario } from '../../src/llm/scenario.ts';
import { expect, expectRunStatus, fileItem, runScenario, stepItems, test } from './fixtures.ts';
import { readAppRecords } from '../support/app-idb.ts';

test.use({ scenario: 'three-step-fix' });

/** Chat requests of the three-step scenario: 1 plan, 2–3 step 1, 4 its summary, 5–7 step 2, 8 its summary, 9 step 3's first turn. */
const STEP_TWO_FIRST_TURN = 5;
const STEP_THREE_FIRST_TURN = 9;
const INTERRUPTED_TEXT = 'The tab that was driving this run closed or crashed before the run finished.';

/** The run's current files, as "Download zip" gives them. */
async function downloadedFiles(page: Page): Promise<Record<string, string>> {
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download zip', exact: true }).click();
  const entries = unzipSync(new Uint8Array(await readFile(await (await download).path())));
  return Object.fromEntries(Object.entries(entries).map(([path, bytes]) => [path, strFromU8(bytes)]));
}

interface StoredRun {
  status: string;
  statusReason?: string;
  pauseReason?: string;
  events: { type: string; step?: number; turn?: number; status?: string; name?: string; callId?: string }[];
  files: string[];
}

/** The one run in the app's IndexedDB, read with the raw API (not the app's code). */
async function storedRun(page: Page): Promise<StoredRun> {
  const { runs = [], events = [], files = [] } = await readAppRecords(page);
  if (runs.length !== 1) throw new Error(`expected one run, found ${runs.length}`);
  const run = runs[0] as { status: string; statusReason?: string; pauseReason?: string };
  return {
    status: run.status,
    ...(run.statusReason ? { statusReason: run.statusReason } : {}),
    ...(run.pauseReason ? { pauseReason: run.pauseReason } : {}),
    events: (events as StoredRun['events']).map(({ type, step, turn, status, name, callId }) => ({ type, step, turn, status, name, callId })),
    files: (files as { path: string }[]).map((file) => file.path).sort(),
  };
}

const statuses = (run: StoredRun) => run.events.filter((e) => e.type === 'status').map((e) => e.status);

test('the driving page closed in the middle of step 2 and the app opened again: interrupted with Resume, which completes with the files of an uninterrupted run', async ({
  page,
  context,
  mock,
  app,
}) => {
  const hold = mock.faults.hold({ at: STEP_TWO_FIRST_TURN });
  await app.open();
  await runScenario(page, mock, app, { sandbox: 'Worker only' });
  await hold.arrived;
  await expectRunStatus(page, 'running');
  await page.close();
  hold.release();

  const reopened = await context.newPage();
  const errors: string[] = [];
  reopened.on('pageerror', (error) => errors.push(error.message));
  await reopened.goto('/?wcBootMs=1500');
  await expectRunStatus(reopened, 'interrupted');
  await expect(reopened.getByText(INTERRUPTED_TEXT).first()).toBeVisible();
  await expect(stepItems(reopened).nth(0)).toContainText('completed');
  // Stored: interrupted durably, step 1's files kept, nothing of the turn that was in flight.
  const stopped = await storedRun(reopened);
  expect(stopped).toMatchObject({ status: 'interrupted', files: ['src/words.js', 'src/words.test.js'] });
  expect(statuses(stopped).at(-1)).toBe('interrupted');
  expect(stopped.events.filter((e) => e.step === 2 && e.type === 'tool-call')).toEqual([]);

  await reopened.getByRole('button', { name: 'Resume', exact: true }).click();
  await expectRunStatus(reopened, 'completed');
  expect(await downloadedFiles(reopened)).toEqual(app.scenario!.expectedFiles);
  const finished = await storedRun(reopened);
  expect(statuses(finished)).toEqual(['planning', 'running', 'interrupted', 'running', 'completed']);
  // The 12 requests of an uninterrupted run, plus step 2's first turn once more: the one in flight when
  // the page closed was never committed, so it was asked again, and nothing else was.
  expect(mock.chatRequests).toHaveLength(13);
  expect(errors).toEqual([]);
});

test('two tabs: the second follows the first tab’s run live and read-only, never continues it, and offers Resume when the first closes', async ({
  page,
  context,
  mock,
  app,
}) => {
  const stepTwo = mock.faults.hold({ at: STEP_TWO_FIRST_TURN, name: 'step-2' });
  await app.open();
  await runScenario(page, mock, app, { sandbox: 'Worker only' });
  await stepTwo.arrived;

  const second = await context.newPage();
  const errors: string[] = [];
  second.on('pageerror', (error) => errors.push(error.message));
  await second.goto('/?wcBootMs=1500');
  await expectRunStatus(second, 'running');
  await expect(second.getByText('Another tab is driving this run; this view updates when it commits.')).toBeVisible();
  await expect(stepItems(second).nth(0)).toContainText('completed');
  for (const name of ['Pause', 'Resume', 'Cancel']) await expect(second.getByRole('button', { name, exact: true })).toHaveCount(0);

  // The first tab goes on; the second shows each committed turn without being reloaded.
  const stepThree = mock.faults.hold({ at: STEP_THREE_FIRST_TURN, name: 'step-3' });
  stepTwo.release();
  await stepThree.arrived;
  await expect(stepItems(second).nth(1)).toContainText('completed');
  await expect(fileItem(second, 'src/freq.js')).toBeVisible();
  await expectRunStatus(second, 'running');
  await expect(page.getByRole('button', { name: 'Pause', exact: true })).toBeVisible();

  // The driving tab closes in the middle of step 3: the second offers Resume and asks the model for nothing.
  const requestsWhenClosed = mock.chatRequests.length;
  await page.close();
  stepThree.release();
  await expectRunStatus(second, 'interrupted');
  await expect(second.getByText(INTERRUPTED_TEXT).first()).toBeVisible();
  await expect(second.getByRole('button', { name: 'Resume', exact: true })).toBeVisible();
  expect(mock.chatRequests.length).toBe(requestsWhenClosed);
  const stopped = await storedRun(second);
  expect(stopped.status).toBe('interrupted');
  expect(statuses(stopped)).toEqual(['planning', 'running', 'interrupted']);

  await second.getByRole('button', { name: 'Resume', exact: true }).click();
  await expectRunStatus(second, 'completed');
  expect(await downloadedFiles(second)).toEqual(app.scenario!.expectedFiles);
  expect(errors).toEqual([]);
});

/**
 * The three-step scenario with one more file in step 2's first write: 300,000 characters of data, far more
 * than the room the quota leaves, yet well inside the model's context when the turn is redone.
 */
function withBigWriteInStepTwo(scenario: Scenario): { scenario: Scenario; bigFile: [string, string] } {
  const bigFile: [string, string] = ['data/corpus.txt', `${'lorem ipsum dolor sit amet '.repeat(11_111)}\n`];
  const copy = structuredClone(scenario);
  const turn = copy.turns.find((t) => t.key.kind === 'step' && t.key.step === 2 && t.key.turn === 0);
  const write = turn?.reply.toolCalls?.find((call) => call.name === 'write_files');
  if (!write) throw new Error('three-step-fix changed: no write in step 2, turn 0');
  (write.arguments as { list_of_file_objects: { file_path: string; file_contents: string }[] }).list_of_file_objects.push({
    file_path: bigFile[0],
    file_contents: bigFile[1],
  });
  copy.expectedFiles = { ...copy.expectedFiles, [bigFile[0]]: bigFile[1] };
  return { scenario: copy, bigFile };
}

test('storage quota exceeded in the middle of step 2: the run pauses with a clear message and no partial turn; with room again, Resume completes', async ({
  page,
  context,
  mock,
  app,
  baseURL,
}) => {
  const { scenario } = withBigWriteInStepTwo(app.scenario!);
  mock.setScenario(scenario);
  // Chromium reads an origin's quota when its IndexedDB is first opened, so the limit is set before the
  // app loads: room for the app and step 1, not for step 2's first write.
  const cdp = await context.newCDPSession(page);
  const origin = new URL(baseURL!).origin;
  await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: 450_000 });
  await app.open();
  await runScenario(page, mock, app, { sandbox: 'Worker only' });

  await expectRunStatus(page, 'paused');
  await expect(page.getByText("The browser's storage is full, so the last turn was not saved (it is redone on resume)").first()).toBeVisible();
  await expect(page.getByRole('button', { name: 'Resume', exact: true })).toBeVisible();
  await expect(stepItems(page).nth(0)).toContainText('completed');
  // Stored: paused for the quota, step 1 whole, nothing at all of the refused turn.
  const stopped = await storedRun(page);
  expect(stopped).toMatchObject({ status: 'paused', pauseReason: 'storage-quota', files: ['src/words.js', 'src/words.test.js'] });
  expect(stopped.events.filter((e) => e.step === 2 && e.type !== 'step-started')).toEqual([]);
  expect(mock.chatRequests).toHaveLength(STEP_TWO_FIRST_TURN);

  await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: 500_000_000 });
  await page.getByRole('button', { name: 'Resume', exact: true }).click();
  await expectRunStatus(page, 'completed');
  expect(await downloadedFiles(page)).toEqual(scenario.expectedFiles);
  const finished = await storedRun(page);
  expect(statuses(finished)).toEqual(['planning', 'running', 'paused', 'running', 'completed']);
  // Only the refused turn was asked for again.
  expect(mock.chatRequests).toHaveLength(13);
  expect(app.errors).toEqual([]);
});

test('offline after load in the middle of step 2: paused for offline with nothing of the lost turn stored, then resumed by itself and completed', async ({
  page,
  context,
  mock,
  app,
}) => {
  const hold = mock.faults.hold({ at: STEP_TWO_FIRST_TURN });
  await app.open();
  await runScenario(page, mock, app, { sandbox: 'Worker only' });
  await hold.arrived;
  await context.setOffline(true);
  hold.release();
  await expectRunStatus(page, 'paused');
  await expect(page.getByText('The network is unavailable. The run resumes when the browser is back online.').first()).toBeVisible();
  // Stored: paused for offline; every stored turn is whole (each tool call has its result), so the turn
  // the network cut is not there in part. (Which turn that is depends on whether the held reply got out.)
  const stopped = await storedRun(page);
  expect(stopped).toMatchObject({ status: 'paused', pauseReason: 'offline' });
  const calls = stopped.events.filter((e) => e.type === 'tool-call').map((e) => e.callId);
  const results = stopped.events.filter((e) => e.type === 'tool-result').map((e) => e.callId);
  expect(calls.length).toBeGreaterThan(0);
  expect(results).toEqual(calls);
  expect(stopped.files).toEqual(expect.arrayContaining(['src/words.js', 'src/words.test.js']));

  await context.setOffline(false);
  await expectRunStatus(page, 'completed');
  expect(await downloadedFiles(page)).toEqual(app.scenario!.expectedFiles);
  expect(statuses(await storedRun(page))).toEqual(['planning', 'running', 'paused', 'running', 'completed']);
  expect(app.errors.filter((e) => !e.includes('ERR_INTERNET_DISCONNECTED'))).toEqual([]);
});
