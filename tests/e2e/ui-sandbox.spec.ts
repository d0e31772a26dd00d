/**
 * The sandbox as the app shows it (issue 8):
 * - with the fake WebContainer, a server the generated project starts with `run_file` appears in the run's
 *   Preview tab: its frame loads WebContainer's `server-ready` URL (a live server of the project);
 * - with no WebContainer at all (no fake; it cannot boot here) and a short `?wcBootMs=`, an "Automatic" run
 *   says in its header that WebContainer is unavailable, why, and that the worker sandbox took over, and
 *   completes with its tests run in the worker.
 */
import { expect, expectRunStatus, runScenario, test } from './fixtures.ts';

test.describe('the Preview tab, with the fake WebContainer', () => {
  test.use({ scenario: 'e2e-preview', fakeWebContainer: true, wcBootMs: 20_000 });

  test('a server started with run_file is shown in the preview frame at its server-ready URL', async ({ page, mock, app }) => {
    test.setTimeout(120_000);
    // Requests: 1 plan, 2 write, 3 run_file, 4 "step complete" — held while the server is up.
    const afterRunFile = mock.faults.hold({ at: 4 });
    await app.open();
    await runScenario(page, mock, app, { sandbox: 'WebContainer only' });
    await afterRunFile.arrived;

    // The port the server printed, as the model saw it in the run_file result.
    const runFileResult = JSON.stringify(mock.chatRequests[3]?.body);
    const port = /listening on (?:port )?(\d+)/.exec(runFileResult)?.[1];
    expect(port, runFileResult).toBeDefined();
    const url = `http://localhost:${port}`;

    await page.getByRole('tab', { name: 'Preview', exact: true }).click();
    const frame = page.getByTitle('Preview of the generated project');
    await expect(frame).toHaveAttribute('src', url);
    await expect(page.getByRole('link', { name: 'open in a new tab' })).toHaveAttribute('href', url);
    await expect(page.getByText(`The server your project started on port ${port}`)).toBeVisible();
    // The URL is the project's live server, not a placeholder.
    expect(await (await fetch(url)).text()).toBe('Hello, preview!');

    afterRunFile.release();
    await expectRunStatus(page, 'completed');
    // The run no longer drives a sandbox: no preview of a server that is gone.
    await expect(page.getByRole('tab', { name: 'Preview', exact: true })).toHaveCount(0);
  });
});

test.describe('"Automatic" with no WebContainer', () => {
  test.use({ scenario: 'three-step-fix', wcBootMs: 1_500 });

  test('the run header says WebContainer is unavailable and why, and that the worker sandbox took over', async ({ page, mock, app }) => {
    test.setTimeout(120_000);
    // Held at step 2's first turn: the run is live, its sandbox is up.
    const stepTwo = mock.faults.hold({ at: 5 });
    await app.open();
    await runScenario(page, mock, app, { sandbox: 'Automatic' });
    await stepTwo.arrived;

    const sandboxLine = page.locator('.run-header').getByRole('definition').filter({ has: page.locator('.sandbox') });
    await expect(sandboxLine).toContainText(/^\s*Worker · /);
    await expect(sandboxLine).toContainText('WebContainer unavailable');
    await expect(sandboxLine).toContainText('did not start within 1.5 s (offline, or its hosts are blocked)');
    await expect(sandboxLine.locator('.sandbox')).toHaveAttribute('title', /Worker sandbox, chosen automatically: WebContainer did not start within 1\.5 s.*packages, fs and child processes need WebContainer/);

    stepTwo.release();
    await expectRunStatus(page, 'completed');
    // Step 2's failing test really ran (in the worker) before its fix.
    expect(JSON.stringify(mock.chatRequests.map((request) => request.body))).toContain('The checks after your last change failed');
    expect(app.errors).toEqual([]);
  });
});
