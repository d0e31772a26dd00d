/**
 * Issue 12, "LLM and network": each provider fault injected into the mock OpenAI-compatible server while
 * the built app drives a whole run by its accessible names. Each test checks what the user sees (the run
 * status, the reason, the retry waits, Resume) and what is stored (the app's IndexedDB read in the page).
 *
 * The network gone mid-run is also `ui-offline-resume.spec.ts`; the SDK side of strict CORS is `llm-cors.spec.ts`.
 */
import type { Page } from '@playwright/test';
import { parseScenario, SCENARIO_FORMAT } from '../../src/llm/scenario.ts';
import { expect, expectRunStatus, fileItem, fillSettings, MOCK_API_KEY, MOCK_MODEL, runScenario, startRun, test } from './fixtures.ts';
import { readAppRecords } from '../support/app-idb.ts';

interface StoredEvent {
  type: string;
  seq: number;
  step?: number;
  turn?: number;
  name?: string;
  kind?: string;
  reason?: string;
  attempt?: number;
  delayMs?: number;
  message?: string;
  droppedTurns?: number;
}

interface Stored {
  runs: Array<{ id: string; status: string; pauseReason?: string; statusReason?: string; settings: { llm: { model: string } }; plan?: Array<{ restarts?: number }> }>;
  versions: Array<{ path: string; version: number; step: number }>;
  events: StoredEvent[];
  files: Array<{ path: string }>;
  checkpoints: Array<{ checkpoint: { planToolChoice?: string } }>;
  /** Every record of every object store, as JSON (for "the key is nowhere"). */
  json: string;
}

/** Everything the app stored, read from its IndexedDB inside the page (one run per test: a fresh context). */
async function readStore(page: Page): Promise<Stored> {
  const stores = await readAppRecords(page);
  return { ...stores, json: JSON.stringify(stores) } as unknown as Stored;
}

const status = (page: Page) => page.getByTestId('run-status');
const resumeButton = (page: Page) => page.getByRole('button', { name: 'Resume', exact: true });
const reasonText = (page: Page, text: string | RegExp) => page.locator('.status-row').getByText(text);

/** A finished run opens on its report; the retry and restart notices are in the transcript. */
async function showTranscript(page: Page): Promise<void> {
  await page.getByRole('tab', { name: 'Transcript', exact: true }).click();
}

/** The chat requests of three-step-fix: 1 plan, 2–3 step 1, 4 its summary, 5 the first turn of step 2. */
const STEP_TWO_FIRST_TURN = 5;

test.describe('three-step run', () => {
  test.use({ scenario: 'three-step-fix' });

  test('401 bad key: the run pauses saying to check the key, keeps step 1, and resumes with the fixed key', async ({ page, mock, app }) => {
    mock.faults.status(401, { at: STEP_TWO_FIRST_TURN });
    await app.open();
    await runScenario(page, mock, app, { sandbox: 'Worker only', status: 'paused' });
    await expect(reasonText(page, /The provider refused the API key: 401 Incorrect API key provided/)).toBeVisible();
    await expect(reasonText(page, /Check the key in Settings, then resume\./)).toBeVisible();
    await expect(resumeButton(page)).toBeVisible();
    await expect(fileItem(page, 'src/words.js')).toBeVisible();
    // Not retried: a refused key cannot succeed later.
    expect(mock.chatRequests).toHaveLength(STEP_TWO_FIRST_TURN);

    const paused = await readStore(page);
    expect(paused.runs[0]).toMatchObject({ status: 'paused', pauseReason: 'auth' });
    expect(paused.files.map((f) => f.path).sort()).toEqual(['src/words.js', 'src/words.test.js']);
    expect(paused.events.filter((e) => e.type === 'retry-wait')).toEqual([]);
    expect(paused.json).not.toContain(MOCK_API_KEY);

    const fixedKey = 'sk-test-e2e-fixed-key-9876543210';
    await fillSettings(page, { baseURL: mock.url, apiKey: fixedKey });
    await resumeButton(page).click();
    await expectRunStatus(page, 'completed');
    expect(mock.chatRequests[STEP_TWO_FIRST_TURN]?.headers.authorization).toBe(`Bearer ${fixedKey}`);
    const done = await readStore(page);
    expect(done.files.map((f) => f.path).sort()).toEqual(Object.keys(app.scenario!.expectedFiles!).sort());
    expect(done.json).not.toContain(fixedKey);
    expect(app.errors.filter((e) => !e.includes('401'))).toEqual([]);
  });

  test('429 with Retry-After: the wait is shown with its reason, lasts what the provider asked, then the run completes', async ({ page, mock, app }) => {
    const refused = mock.faults.hold({ at: STEP_TWO_FIRST_TURN });
    mock.faults.rateLimit({ at: STEP_TWO_FIRST_TURN, retryAfterSeconds: 2 });
    const retried = mock.faults.hold({ at: STEP_TWO_FIRST_TURN + 1 });
    await app.open();
    await runScenario(page, mock, app, { sandbox: 'Worker only' });
    await refused.arrived;
    const refusedAt = Date.now();
    refused.release();
    await retried.arrived;
    // The retried request is held, so the wait it followed is still what the header shows.
    expect(Date.now() - refusedAt).toBeGreaterThanOrEqual(1_900);
    await expect(reasonText(page, /before retry 1 of 6: 429 Rate limit reached/)).toBeVisible();
    await expect(page.getByText('Retry 1 of 6 in 2.0 s')).toBeVisible();
    await expectRunStatus(page, 'running');
    retried.release();
    await expectRunStatus(page, 'completed');

    const stored = await readStore(page);
    const waits = stored.events.filter((e) => e.type === 'retry-wait');
    expect(waits).toHaveLength(1);
    // Retry-After (2 s) wins over the jittered 1 s backoff.
    expect(waits[0]).toMatchObject({ reason: 'rate-limit', attempt: 1, delayMs: 2_000 });
    expect(stored.runs[0]?.status).toBe('completed');
    expect(app.errors.filter((e) => !e.includes('429'))).toEqual([]);
  });

  test('500 then 502 (an HTML page): both retried with visible waits, and the run completes with every file', async ({ page, mock, app }) => {
    mock.faults.status(500, { at: STEP_TWO_FIRST_TURN });
    mock.faults.status(502, { at: STEP_TWO_FIRST_TURN + 1 });
    await app.open();
    await runScenario(page, mock, app, { sandbox: 'Worker only', status: 'completed' });
    await showTranscript(page);
    await expect(page.getByText(/^Retry 1 of 6 in /)).toBeVisible();
    await expect(page.getByText(/^Retry 2 of 6 in /)).toBeVisible();

    const stored = await readStore(page);
    const waits = stored.events.filter((e) => e.type === 'retry-wait');
    expect(waits.map((w) => [w.reason, w.attempt])).toEqual([
      ['server', 1],
      ['server', 2],
    ]);
    expect(waits[0]?.message).toContain('500 The server had an error');
    expect(waits[1]?.message).toContain('502 Bad Gateway');
    expect(stored.files.map((f) => f.path).sort()).toEqual(Object.keys(app.scenario!.expectedFiles!).sort());
    expect(app.errors.filter((e) => !/50[02]/.test(e))).toEqual([]);
  });

  test('a 500 that outlasts the retries: the run pauses saying so, keeps step 1, and Resume completes once the server recovers', async ({ page, mock, app }) => {
    mock.faults.status(500, { at: STEP_TWO_FIRST_TURN, times: 'always' });
    await app.open();
    await fillSettings(page, { baseURL: mock.url });
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Settings' });
    await dialog.getByText('Run limits', { exact: true }).click();
    await dialog.getByRole('spinbutton', { name: 'LLM retries', exact: true }).fill('1');
    await dialog.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(dialog).toBeHidden();
    await startRun(page, app.scenario!.task, { sandbox: 'Worker only', stepCap: 3 });
    await expectRunStatus(page, 'paused');
    await expect(reasonText(page, /The provider kept failing after every retry: 500 The server had an error/)).toBeVisible();
    await expect(reasonText(page, /Resume to try again\./)).toBeVisible();
    expect(mock.chatRequests).toHaveLength(STEP_TWO_FIRST_TURN + 1);
    const paused = await readStore(page);
    expect(paused.runs[0]).toMatchObject({ status: 'paused', pauseReason: 'retries-exhausted' });
    expect(paused.events.filter((e) => e.type === 'retry-wait').map((e) => e.attempt)).toEqual([1]);
    expect(paused.files.map((f) => f.path).sort()).toEqual(['src/words.js', 'src/words.test.js']);

    mock.faults.clear();
    await resumeButton(page).click();
    await expectRunStatus(page, 'completed');
    const done = await readStore(page);
    expect(done.files.map((f) => f.path).sort()).toEqual(Object.keys(app.scenario!.expectedFiles!).sort());
  });

  test('the network gone mid-run: the run pauses for offline with its work stored, and resumes by itself when it returns', async ({ page, context, mock, app }) => {
    // ui-offline-resume.spec.ts covers what the user sees; this adds what is stored at the pause and after.
    const hold = mock.faults.hold({ at: STEP_TWO_FIRST_TURN });
    await app.open();
    await runScenario(page, mock, app, { sandbox: 'Worker only' });
    await hold.arrived;
    await context.setOffline(true);
    hold.release();
    await expectRunStatus(page, 'paused');
    await expect(reasonText(page, 'The network is unavailable. The run resumes when the browser is back online.')).toBeVisible();
    const paused = await readStore(page);
    expect(paused.runs[0]).toMatchObject({ status: 'paused', pauseReason: 'offline' });
    // Step 1 is kept (the held reply may still arrive on its open connection and commit its turn too).
    expect(paused.files.map((f) => f.path)).toEqual(expect.arrayContaining(['src/words.js', 'src/words.test.js']));
    // The first retry's wait is announced, then given up at once: no retries against a network known gone.
    expect(paused.events.filter((e) => e.type === 'retry-wait').map((e) => [e.reason, e.attempt])).toEqual([['network', 1]]);

    await context.setOffline(false);
    await expectRunStatus(page, 'completed');
    const done = await readStore(page);
    expect(done.files.map((f) => f.path).sort()).toEqual(Object.keys(app.scenario!.expectedFiles!).sort());
    expect(done.events.filter((e) => e.type === 'tool-call' && e.name === 'write_files' && e.step === 1)).toHaveLength(1);
  });

  test('a stream cut in the middle of a tool call, then one cut before its finish: both replies discarded whole, the tool runs once', async ({ page, mock, app }) => {
    const WRITE_TURN = 2;
    // Mid-arguments; then with every argument sent but no finish reason (a parsable call that must not run).
    mock.faults.cut({ at: WRITE_TURN });
    mock.faults.cut({ at: WRITE_TURN + 1, afterChunks: 8 });
    await app.open();
    await runScenario(page, mock, app, { sandbox: 'Worker only', status: 'completed' });
    await showTranscript(page);
    await expect(page.getByText(/^Retry 2 of 6 in /)).toBeVisible();
    // The discarded streamed text is not left in the transcript next to the kept reply.
    await expect(page.getByText('I will write countWords and its tests.', { exact: true })).toHaveCount(1);

    const stored = await readStore(page);
    expect(stored.events.filter((e) => e.type === 'retry-wait').map((e) => e.reason)).toEqual(['stream-broken', 'stream-broken']);
    const stepOneReplies = stored.events.filter((e) => e.type === 'llm-reply' && e.kind === 'step' && e.step === 1 && e.turn === 0);
    expect(stepOneReplies).toHaveLength(1);
    const writes = stored.events.filter((e) => e.type === 'tool-call' && e.name === 'write_files' && e.step === 1);
    expect(writes).toHaveLength(1);
    expect(stored.versions.filter((v) => v.path === 'src/words.js')).toEqual([expect.objectContaining({ version: 1, step: 1 })]);
    expect(stored.files.map((f) => f.path).sort()).toEqual(Object.keys(app.scenario!.expectedFiles!).sort());
  });

  test('a stream that goes idle is abandoned after the idle limit (?streamIdleMs=) and retried; the tool runs once', async ({ page, mock, app }) => {
    mock.faults.idle({ at: 2 });
    await app.open('/?streamIdleMs=1500');
    await runScenario(page, mock, app, { sandbox: 'Worker only', status: 'completed' });
    await showTranscript(page);
    await expect(page.getByText(/^Retry 1 of 6 in /)).toBeVisible();

    const stored = await readStore(page);
    const waits = stored.events.filter((e) => e.type === 'retry-wait');
    expect(waits).toHaveLength(1);
    expect(waits[0]).toMatchObject({ reason: 'stream-broken' });
    expect(waits[0]?.message).toMatch(/sent nothing for 2 s and was abandoned/);
    expect(stored.events.filter((e) => e.type === 'tool-call' && e.name === 'write_files' && e.step === 1)).toHaveLength(1);
    expect(stored.versions.filter((v) => v.path === 'src/words.js')).toHaveLength(1);
  });

  test('a local server whose CORS allows only authorization and content-type: a whole run completes', async ({ page, mock, app }) => {
    mock.setStrictCors(true);
    await app.open();
    await runScenario(page, mock, app, { sandbox: 'Worker only', status: 'completed' });
    for (const path of Object.keys(app.scenario!.expectedFiles!)) await expect(fileItem(page, path)).toBeVisible();

    const preflights = mock.requests.filter((r) => r.method === 'OPTIONS');
    expect(preflights.length).toBeGreaterThan(0);
    for (const preflight of preflights) {
      const asked = String(preflight.headers['access-control-request-headers'] ?? '').split(',').map((h) => h.trim()).filter(Boolean);
      expect(asked.sort()).toEqual(['authorization', 'content-type']);
    }
    expect(mock.chatRequests).toHaveLength(12);
    const stored = await readStore(page);
    expect(stored.events.filter((e) => e.type === 'retry-wait')).toEqual([]);
    expect(stored.runs[0]?.status).toBe('completed');
  });
});

test.describe('unknown model', () => {
  test.use({ scenario: 'three-step-fix', mockOptions: { models: [MOCK_MODEL] } });

  test('404: the run pauses saying to check the model name; after fixing it in Settings, Resume completes with it', async ({ page, mock, app }) => {
    await app.open();
    await fillSettings(page, { baseURL: mock.url, model: 'mock-coder-retired' });
    await startRun(page, app.scenario!.task, { sandbox: 'Worker only', stepCap: 3 });
    await expectRunStatus(page, 'paused');
    await expect(reasonText(page, /The provider does not know the model: 404 The model `mock-coder-retired` does not exist/)).toBeVisible();
    await expect(reasonText(page, /Check the model name in Settings, then resume\./)).toBeVisible();
    expect(mock.chatRequests).toHaveLength(1);
    expect((await readStore(page)).runs[0]).toMatchObject({ status: 'paused', pauseReason: 'model-not-found', settings: { llm: { model: 'mock-coder-retired' } } });

    await fillSettings(page, { baseURL: mock.url, model: MOCK_MODEL });
    await resumeButton(page).click();
    await expectRunStatus(page, 'completed');
    expect((mock.chatRequests[1]?.body as { model?: string }).model).toBe(MOCK_MODEL);
    const stored = await readStore(page);
    expect(stored.runs[0]).toMatchObject({ status: 'completed', settings: { llm: { model: MOCK_MODEL } } });
    expect(stored.files.map((f) => f.path).sort()).toEqual(Object.keys(app.scenario!.expectedFiles!).sort());
  });
});

test.describe('forced tool_choice refused', () => {
  test.use({ scenario: 'plan-retry', mockOptions: { rejectForcedToolChoice: true } });

  test('a 400 for a forced function tool_choice: planning asks with "required" from then on, and the run completes', async ({ page, mock, app }) => {
    await app.open();
    await runScenario(page, mock, app, { sandbox: 'Worker only', status: 'completed' });
    for (const path of Object.keys(app.scenario!.expectedFiles!)) await expect(fileItem(page, path)).toBeVisible();

    const choices = mock.chatRequests.map((r) => {
      const choice = (r.body as { tool_choice?: unknown }).tool_choice;
      return typeof choice === 'object' && choice !== null ? 'function' : String(choice);
    });
    // One refused forced call, then the scenario's three plan turns (two invalid plans, one valid), all `required`.
    expect(choices.slice(0, 4)).toEqual(['function', 'required', 'required', 'required']);
    expect(choices.filter((c) => c === 'function')).toHaveLength(1);
    const stored = await readStore(page);
    expect(stored.checkpoints[0]?.checkpoint.planToolChoice).toBe('required');
    expect(stored.events.filter((e) => e.type === 'retry-wait')).toEqual([]);
    expect(stored.files.map((f) => f.path).sort()).toEqual(Object.keys(app.scenario!.expectedFiles!).sort());
  });
});

const ADD_JS = 'export function add(a, b) {\n  return a + b;\n}\n';
const ADD_TEST_JS = "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { add } from './add.js';\n\ntest('adds', () => {\n  assert.equal(add(2, 3), 5);\n});\n";
const PLAN_TOOL = 'provide_detailed_sub_task_steps_for_sub_agents';
const overflowScenario = parseScenario({
  format: SCENARIO_FORMAT,
  name: 'provider-context-overflow',
  title: 'The provider says the context is too long in the middle of a step',
  domain: 'codebase',
  task: 'Write add(a, b) in add.js with a node:test test.',
  settings: { maxSteps: 1 },
  turns: [
    { key: { kind: 'plan', step: 0, turn: 0 }, reply: { toolCalls: [{ name: PLAN_TOOL, arguments: { steps: ['Write add.js exporting add(a, b) and add.test.js testing it; run the tests.'] } }] } },
    {
      key: { kind: 'step', step: 1, turn: 0 },
      reply: { content: 'Writing add.js and its test.', toolCalls: [{ name: 'write_files', arguments: { list_of_file_objects: [{ file_path: 'add.js', file_contents: ADD_JS }, { file_path: 'add.test.js', file_contents: ADD_TEST_JS }] } }] },
    },
    // Request 3 (step 1, turn 1) gets the context-length 400 from the fault, so it has no reply here.
    { key: { kind: 'progress', step: 1, turn: 0 }, reply: { content: 'add.js and add.test.js are written; only the check remains.' } },
    { key: { kind: 'step', step: 1, turn: 0, restart: 1 }, reply: { toolCalls: [{ name: 'sub_task_step_complete', arguments: {} }] } },
    { key: { kind: 'summary', step: 1, turn: 1, restart: 1 }, reply: { content: 'add.js exports add(a, b); its test passes.' } },
    { key: { kind: 'report', step: 0, turn: 0 }, reply: { content: '- add(a, b): done, tested.' } },
  ],
});

test('a context-length 400 mid-step takes the overflow path: turns dropped, progress summary, restart, and the step completes', async ({ page, mock, app }) => {
  mock.setScenario(overflowScenario);
  mock.faults.contextLength({ at: 3 });
  await app.open();
  await fillSettings(page, { baseURL: mock.url });
  await startRun(page, overflowScenario.task, { sandbox: 'Worker only', stepCap: 1 });
  await expectRunStatus(page, 'completed');
  await showTranscript(page);
  await expect(page.getByText('Context restart 1 of step 1 (1 turns dropped)')).toBeVisible();
  await expect(fileItem(page, 'add.js')).toBeVisible();

  const progress = mock.chatRequests[3]?.body as { tool_choice?: unknown; messages: Array<{ role: string }> };
  expect(progress.tool_choice).toBe('none');
  // The dropped turn's assistant and tool messages are gone from the progress request.
  expect(progress.messages.map((m) => m.role)).toEqual(['system', 'user', 'user']);
  const stored = await readStore(page);
  expect(stored.events.filter((e) => e.type === 'restart')).toEqual([expect.objectContaining({ step: 1, droppedTurns: 1 })]);
  expect(stored.events.filter((e) => e.type === 'retry-wait')).toEqual([]);
  expect(stored.runs[0]?.plan?.[0]?.restarts).toBe(1);
  // The work of the dropped turn is kept in the store: each file written once.
  expect(stored.versions.map((v) => `${v.path}@${v.version}`).sort()).toEqual(['add.js@1', 'add.test.js@1']);
  expect(app.errors.filter((e) => !e.includes('400'))).toEqual([]);
});
