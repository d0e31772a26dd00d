/**
 * Issue 12, "Model output", through the built app: the mock server plays `faults-bad-tools` (a reply with
 * write_files arguments that are not JSON, a tool that does not exist and a write to `../x`). The run
 * completes; the transcript shows each error result as text; the Files tree and IndexedDB hold only the
 * valid files. The other rows of the issue are driven through the control unit in
 * tests/unit/faults/model-output*.test.ts.
 */
import type { Page } from '@playwright/test';
import { expect, expectRunStatus, fileItem, runScenario, test } from './fixtures.ts';
import { readAppRecords } from '../support/app-idb.ts';

interface Stored {
  files: { runId: string; path: string }[];
  versions: { path: string }[];
  events: { type: string; name?: string; status?: string; content?: string }[];
}

/** The app's IndexedDB records that say what was kept (one run per test: a fresh browser context). */
async function readStore(page: Page): Promise<Stored> {
  const { files = [], versions = [], events = [] } = await readAppRecords(page);
  return { files, versions, events } as unknown as Stored;
}

test.use({ scenario: 'faults-bad-tools' });

test('invalid JSON, an unknown tool and ../x: error results shown as text, the run completes, only valid files kept', async ({ page, mock, app }) => {
  await app.open();
  await runScenario(page, mock, app, { sandbox: 'Worker only', status: 'completed' });

  // The transcript: three failed calls of step 1, each with its result as text.
  await page.getByRole('tab', { name: 'Transcript', exact: true }).click();
  const transcript = page.getByRole('region', { name: 'Transcript' });
  const failed = transcript.locator('details.card.tool.error');
  await expect(failed).toHaveCount(3);
  for (const summary of await failed.locator('> summary').all()) await summary.click();
  await expect(failed.nth(0).locator('pre.result')).toHaveText(/^The arguments of write_files are not valid JSON \(.+\)\. Nothing was done\./);
  await expect(failed.nth(0)).toContainText('"file_contents": "export const x = 1;');
  await expect(failed.nth(1).locator('summary code.name')).toHaveText('format_disk');
  await expect(failed.nth(1).locator('pre.result')).toHaveText(/^Unknown tool "format_disk"\. The tools you can call here are: .*write_files/);
  await expect(failed.nth(2).locator('pre.result')).toHaveText('Nothing was written: file 1: the path "../x" contains ".."; paths must stay inside the project.');
  await expectRunStatus(page, 'completed');

  // The Files tree: the two valid files, nothing from the refused calls.
  const tree = page.getByRole('tree', { name: 'Files', exact: true });
  await expect(fileItem(page, 'add.js')).toBeVisible();
  await expect(fileItem(page, 'add.test.js')).toBeVisible();
  await expect(tree.getByRole('treeitem')).toHaveCount(2);
  await expect(tree).not.toContainText('inside.txt');
  await expect(tree).not.toContainText('broken.js');

  // IndexedDB: the same two files and versions; the error results are among the durable events.
  const stored = await readStore(page);
  expect(stored.files.map((f) => f.path).sort()).toEqual(['add.js', 'add.test.js']);
  expect(stored.versions.map((v) => v.path).sort()).toEqual(['add.js', 'add.test.js']);
  const errors = stored.events.filter((e) => e.type === 'tool-result' && e.status === 'error').map((e) => e.name);
  expect(errors).toEqual(['write_files', 'format_disk', 'write_files']);
  expect(app.errors).toEqual([]);
});
