/**
 * Issue 12, sandbox faults through the whole app (worker sandbox, IndexedDB, the mock server): a generated
 * test that hangs (the step's check reports the time-out, the agent gets it and fixes the code, the run
 * completes); a generated test that prints 10 MB (the check passes, and what reaches the model and the store
 * is cut to the output limit); generated code that looks for the app's IndexedDB, caches and web storage
 * from the sandbox (it reaches none, so its test passes).
 *
 * The sandbox-level cases are elsewhere: hangs and busy loops killed at their limits
 * (`worker-sandbox-limits.spec.ts`, the contract's time-out cases, `tests/unit/webcontainer/adapter-run.test.ts`),
 * 10 MB of output (the contract, `adapter-run.test.ts`, `tests/unit/sandbox/output.test.ts`), a process that
 * exits with no TAP (`adapter-run.test.ts`, `tests/unit/sandbox/tap.test.ts`), a failing `npm install`
 * (`tests/unit/webcontainer/adapter-faults.test.ts`, `webcontainer-contract.spec.ts`), and storage, key and
 * network out of reach of generated code (`worker-sandbox-security.spec.ts`).
 */
import type { Page } from '@playwright/test';
import { expect, expectRunStatus, fileItem, fillSettings, runScenario, test } from './fixtures.ts';

interface StoredEvent {
  type: string;
  step?: number;
  turn?: number;
  trigger?: string;
  name?: string;
  content?: string;
  result?: { ok: boolean; passed: number; failed: number; timedOut: string[] };
}

/** The run's stored event log, read from IndexedDB with the raw API. */
function storedEvents(page: Page): Promise<{ events: StoredEvent[]; sizes: number[] }> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('l2mac-web');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const events = await new Promise<StoredEvent[]>((resolve, reject) => {
      const request = db.transaction('events').objectStore('events').getAll();
      request.onsuccess = () => resolve(request.result as StoredEvent[]);
      request.onerror = () => reject(request.error);
    });
    db.close();
    return { events, sizes: events.map((event) => JSON.stringify(event).length) };
  });
}

/** Sets the per-file test time limit in Settings (seconds), so a hang costs seconds, not the default 10. */
async function setTestTimeoutPerFile(page: Page, seconds: number): Promise<void> {
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  await dialog.locator('summary', { hasText: 'Run limits' }).click();
  await dialog.getByLabel('Test timeout per file', { exact: true }).fill(String(seconds));
  await dialog.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(dialog).toBeHidden();
}

test.describe('a generated test that hangs', () => {
  test.use({ scenario: 'faults-sandbox-hang' });

  test('the step’s check reports the time-out, the agent gets it and fixes the code, and the run completes', async ({ page, mock, app }) => {
    await app.open();
    await fillSettings(page, { baseURL: mock.url });
    // Short enough that the two time-outs cost seconds, long enough for a loaded machine to start the worker.
    await setTestTimeoutPerFile(page, 5);
    await runScenario(page, mock, app, { sandbox: 'Worker only', stepCap: 1, status: 'completed' });

    // What the user sees: the failed gate says why, in the transcript.
    await page.getByRole('tab', { name: 'Transcript' }).click();
    const transcript = page.getByRole('region', { name: 'Transcript' });
    for (const summary of await transcript.locator('details > summary:visible').all()) await summary.click();
    await expect(transcript.getByText(/stopped at the time limit \(a time-out fails\): src\/poll\.test\.js/).first()).toBeVisible();
    await expect(fileItem(page, 'src/poll.js')).toBeVisible();

    // What the agent got: the write's result and the gate's "fix it" message both name the time-out.
    const fixRequest = JSON.stringify(mock.chatRequests[2]?.body);
    expect(fixRequest).toContain('timed out: src/poll.test.js');
    expect(fixRequest).toContain('stopped at the time limit (a time-out fails): src/poll.test.js');
    expect(mock.chatRequests).toHaveLength(app.scenario!.turns.length);

    // What is stored: both checks of the first turn failed on the time-out; the last gate passed.
    const { events } = await storedEvents(page);
    const checks = events.filter((e) => e.type === 'check');
    const firstTurn = checks.filter((e) => e.step === 1 && e.turn === 0 && e.trigger !== 'verify').map((e) => [e.trigger, e.result?.ok, e.result?.timedOut]);
    expect(firstTurn).toEqual([
      ['write', false, ['src/poll.test.js']],
      ['gate', false, ['src/poll.test.js']],
    ]);
    const lastGate = checks.filter((e) => e.trigger === 'gate').at(-1);
    expect([lastGate?.result?.ok, lastGate?.result?.passed, lastGate?.result?.timedOut]).toEqual([true, 1, []]);
    expect(checks.filter((e) => e.trigger === 'verify').map((e) => e.result?.ok)).toEqual([true]);
    expect(app.errors).toEqual([]);
  });
});

test.describe('a generated test that prints 10 MB, and one that looks for the app’s storage', () => {
  test.use({ scenario: 'faults-sandbox-loud' });

  test('the checks pass, the output is cut before it reaches the model or the store, and the storage is out of reach', async ({ page, mock, app }) => {
    await app.open();
    await runScenario(page, mock, app, { sandbox: 'Worker only', status: 'completed' });
    for (const path of Object.keys(app.scenario!.expectedFiles!)) await expect(fileItem(page, path)).toBeVisible();

    // The page shows the output (cut), including the storage probe's finding: nothing reachable.
    await page.getByRole('tab', { name: 'Output' }).click();
    const output = page.getByRole('tabpanel', { name: 'Output' });
    await expect(output).toContainText('reachable: []');
    expect((await output.innerText()).length).toBeLessThan(1_000_000);

    // Neither the model nor the store got the 10 MB: every request and every stored event stays small.
    const largestRequest = Math.max(...mock.chatRequests.map((r) => JSON.stringify(r.body).length));
    expect(largestRequest).toBeLessThan(100_000);
    const { events, sizes } = await storedEvents(page);
    expect(Math.max(...sizes)).toBeLessThan(20_000);
    const gates = events.filter((e) => e.type === 'check' && e.trigger === 'gate').map((e) => [e.step, e.result?.ok, e.result?.passed]);
    expect(gates).toEqual([
      [1, true, 1],
      [2, true, 2],
    ]);
    expect(app.errors).toEqual([]);
  });
});
