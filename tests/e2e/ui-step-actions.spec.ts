/**
 * What a user can do to a run besides Pause and Resume (DESIGN.md §4, §9), in the built app against the
 * mock server: a note to the agent reaches the model with the next control message; Cancel ends the run
 * and keeps its files; a paused step can be skipped, or edited and run again; the files can be restored to
 * the end of an earlier step. The mock holds a chosen request, so each action happens at a known point.
 */
import type { Page } from '@playwright/test';
import { unzipSync } from 'fflate';
import { readFile } from 'node:fs/promises';
import { expect, expectRunStatus, fileItem, runScenario, stepItems, test } from './fixtures.ts';

test.use({ scenario: 'three-step-fix' });

/** Chat requests of the scenario (1-based): 1 plan; 2–4 step 1; 5–8 step 2; 9–11 step 3; 12 report. */
const STEP_TWO_FIRST_TURN = 5;
const STEP_THREE_FIRST_TURN = 9;

async function treeNames(page: Page): Promise<string[]> {
  const items = page.getByRole('tree', { name: 'Files', exact: true }).getByRole('treeitem');
  return (await items.evaluateAll((all) => all.map((item) => item.getAttribute('aria-label') ?? ''))).filter((name) => !name.endsWith('/')).sort();
}

test('a note to the agent goes out with the next control message and shows in the transcript', async ({ page, mock, app }) => {
  const hold = mock.faults.hold({ at: STEP_TWO_FIRST_TURN });
  await app.open();
  await runScenario(page, mock, app, { sandbox: 'Worker only' });
  await hold.arrived;

  const note = 'Remember: words differing only in case are the same word.';
  await page.getByRole('textbox', { name: 'Note to the agent' }).fill(note);
  await page.getByRole('button', { name: 'Send note' }).click();
  await expect(page.getByRole('status').filter({ hasText: `Note queued: “${note}”` })).toBeVisible();
  const sentBefore = mock.chatRequests.length;
  hold.release();

  await expectRunStatus(page, 'completed');
  const later = mock.chatRequests.slice(sentBefore).map((request) => JSON.stringify(request.body));
  expect(later.some((body) => body.includes(note))).toBe(true);
  await page.getByRole('tab', { name: 'Transcript' }).click();
  await expect(page.locator('p.note').filter({ hasText: `Your note: ${note}` })).toBeVisible();
  await expect(page.getByText('Control: the checks failed, keep working · with your note')).toBeVisible();
  expect(app.errors).toEqual([]);
});

test('Cancel ends the run for good and keeps the files written so far', async ({ page, mock, app }) => {
  const hold = mock.faults.hold({ at: STEP_TWO_FIRST_TURN });
  await app.open();
  await runScenario(page, mock, app, { sandbox: 'Worker only' });
  await hold.arrived;
  await page.getByRole('button', { name: 'Cancel', exact: true }).click();
  await expectRunStatus(page, 'cancelled');
  hold.release();
  await expect(page.getByRole('button', { name: 'Resume', exact: true })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Cancel', exact: true })).toHaveCount(0);
  expect(await treeNames(page)).toEqual(['src/words.js', 'src/words.test.js']);

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download zip', exact: true }).click();
  const entries = unzipSync(new Uint8Array(await readFile(await (await download).path())));
  expect(Object.keys(entries).sort()).toEqual(['src/words.js', 'src/words.test.js']);
});

test('a paused step is skipped, the run goes on to its end, and the step says skipped', async ({ page, mock, app }) => {
  const hold = mock.faults.hold({ at: STEP_THREE_FIRST_TURN });
  await app.open();
  await runScenario(page, mock, app, { sandbox: 'Worker only' });
  await hold.arrived;
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await expectRunStatus(page, 'paused');
  hold.release();

  await page.getByRole('button', { name: 'Options for step 3' }).click();
  await page.getByRole('button', { name: 'Skip step 3' }).click();
  await expectRunStatus(page, 'completed');
  await expect(stepItems(page).nth(0)).toContainText('completed');
  await expect(stepItems(page).nth(1)).toContainText('completed');
  await expect(stepItems(page).nth(2)).toContainText('skipped');
  expect(await treeNames(page)).toEqual(['src/freq.js', 'src/freq.test.js', 'src/words.js', 'src/words.test.js']);
  expect(app.errors).toEqual([]);
});

test('a paused step is edited and run again from it', async ({ page, mock, app }) => {
  const hold = mock.faults.hold({ at: STEP_TWO_FIRST_TURN });
  await app.open();
  await runScenario(page, mock, app, { sandbox: 'Worker only' });
  await hold.arrived;
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await expectRunStatus(page, 'paused');
  hold.release();
  // A step that has not started offers nothing here (it is edited in the plan review).
  await expect(page.getByRole('button', { name: 'Options for step 3' })).toHaveCount(0);

  await page.getByRole('button', { name: 'Options for step 2' }).click();
  await page.getByRole('button', { name: 'Edit step 2 and re-run' }).click();
  const instruction = page.getByRole('textbox', { name: 'Instruction of step 2' });
  const edited = `${await instruction.inputValue()} Keep the Map in insertion order.`;
  await instruction.fill(edited);
  const sentBefore = mock.chatRequests.length;
  await page.getByRole('button', { name: 'Re-run from step 2' }).click();
  await expectRunStatus(page, 'completed');
  await expect(stepItems(page).nth(1)).toContainText('Keep the Map in insertion order.');
  const later = mock.chatRequests.slice(sentBefore).map((request) => JSON.stringify(request.body));
  expect(later.some((body) => body.includes('Keep the Map in insertion order.'))).toBe(true);
  expect(await treeNames(page)).toEqual(Object.keys(app.scenario!.expectedFiles!).sort());
  // A completed run offers no step actions (a follow-up run changes it).
  await expect(page.getByRole('button', { name: /^Options for step/ })).toHaveCount(0);
  expect(app.errors).toEqual([]);
});

test('the files of a paused run are restored to the end of step 1, as new versions', async ({ page, mock, app }) => {
  const hold = mock.faults.hold({ at: STEP_THREE_FIRST_TURN });
  await app.open();
  await runScenario(page, mock, app, { sandbox: 'Worker only' });
  await hold.arrived;
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await expectRunStatus(page, 'paused');
  hold.release();
  expect(await treeNames(page)).toEqual(['src/freq.js', 'src/freq.test.js', 'src/words.js', 'src/words.test.js']);

  await page.getByRole('button', { name: 'Options for step 1' }).click();
  await page.getByRole('button', { name: 'Restore files to step 1' }).click();
  await expect.poll(() => treeNames(page)).toEqual(['src/words.js', 'src/words.test.js']);
  await expect(page.getByRole('alert')).toHaveCount(0);
  await fileItem(page, 'src/words.js').click();
  await expect(page.getByTestId('file-viewer').locator('.view-lines')).toContainText('countWords');

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download zip', exact: true }).click();
  const entries = unzipSync(new Uint8Array(await readFile(await (await download).path())));
  expect(Object.keys(entries).sort()).toEqual(['src/words.js', 'src/words.test.js']);
  expect(app.errors).toEqual([]);
});
