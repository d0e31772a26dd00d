/**
 * Run controls of DESIGN.md §4/§9 in the built app: "Plan first" with an edited plan, Pause then Resume,
 * and a reload in the middle of a step (the run reopens `interrupted` with "Resume", and completes).
 * The mock server holds a chosen request, so each control is used at a known point without timing.
 */
import { expect, expectRunStatus, expectUniqueFixedNames, fileItem, runScenario, stepItems, test } from './fixtures.ts';

test.use({ scenario: 'three-step-fix' });

/** The chat requests of the three-step scenario: 1 plan, 2–3 step 1, 4 its summary, 5 the first turn of step 2. */
const STEP_TWO_FIRST_TURN = 5;

test('plan first: the plan waits for review, an edited step is what runs, and the run completes', async ({ page, mock, app }) => {
  await app.open();
  await runScenario(page, mock, app, { planFirst: true, sandbox: 'Worker only' });
  await expectRunStatus(page, 'paused');
  await expect(page.getByRole('heading', { name: 'Review the plan' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Resume', exact: true })).toHaveCount(0);

  const third = page.getByRole('textbox', { name: 'Step 3', exact: true });
  const edited = `${await third.inputValue()} Mention the licence (MIT) in the README.`;
  await third.fill(edited);
  const requestsBefore = mock.chatRequests.length;
  await page.getByRole('button', { name: 'Approve plan and run' }).click();

  await expectRunStatus(page, 'completed');
  await expect(stepItems(page)).toHaveCount(3);
  await expect(stepItems(page).nth(2)).toContainText('Mention the licence (MIT) in the README.');
  // The edited instruction is what step 3's agent was given.
  const later = mock.chatRequests.slice(requestsBefore).map((r) => JSON.stringify(r.body));
  expect(later.some((body) => body.includes('Mention the licence (MIT) in the README.'))).toBe(true);
  expect(app.errors).toEqual([]);
});

test('pause in the middle of a step, then resume to completion', async ({ page, mock, app }) => {
  const hold = mock.faults.hold({ at: STEP_TWO_FIRST_TURN });
  await app.open();
  await runScenario(page, mock, app, { sandbox: 'Worker only' });
  await hold.arrived;
  await expectRunStatus(page, 'running');
  await expect(stepItems(page).nth(0)).toContainText('completed');
  await expect(stepItems(page).nth(1)).toContainText('running');

  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await expectRunStatus(page, 'paused');
  await expect(page.getByText('Paused by the user.').first()).toBeVisible();
  expect(await expectUniqueFixedNames(page)).toEqual(
    expect.arrayContaining(['button Resume', 'button Cancel', 'button Download zip', 'list Steps', 'tree Files', 'button Settings']),
  );
  hold.release();

  await page.getByRole('button', { name: 'Resume', exact: true }).click();
  await expectRunStatus(page, 'completed');
  for (const item of await stepItems(page).all()) await expect(item).toContainText('completed');
  expect(app.errors).toEqual([]);
});

test('a reload in the middle of step 2 reopens the run interrupted, and Resume completes it', async ({ page, mock, app }) => {
  const hold = mock.faults.hold({ at: STEP_TWO_FIRST_TURN });
  await app.open();
  await runScenario(page, mock, app, { sandbox: 'Worker only' });
  await hold.arrived;
  await expectRunStatus(page, 'running');

  await page.reload();
  hold.release();
  await expectRunStatus(page, 'interrupted');
  await expect(stepItems(page).nth(0)).toContainText('completed');
  await page.getByRole('button', { name: 'Resume', exact: true }).click();
  await expectRunStatus(page, 'completed');

  for (const path of Object.keys(app.scenario!.expectedFiles!)) await expect(fileItem(page, path)).toBeVisible();
  // The files are exactly those of an uninterrupted run.
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download zip', exact: true }).click();
  const { unzipSync, strFromU8 } = await import('fflate');
  const { readFile } = await import('node:fs/promises');
  const entries = unzipSync(new Uint8Array(await readFile(await (await download).path())));
  expect(Object.fromEntries(Object.entries(entries).map(([p, b]) => [p, strFromU8(b)]))).toEqual(app.scenario!.expectedFiles);
});
