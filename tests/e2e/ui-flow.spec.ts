/**
 * The whole flow of DESIGN.md §9 by accessible names, against the mock OpenAI-compatible server: Settings,
 * Task, Run, every step completes, a file opens in Monaco, two versions diff, "Download zip" holds the
 * files — with the worker sandbox, then with the fake WebContainer.
 */
import { unzipSync, strFromU8 } from 'fflate';
import { readFile } from 'node:fs/promises';
import { expect, expectRunStatus, fileItem, runScenario, stepItems, test } from './fixtures.ts';

test.use({ scenario: 'three-step-fix' });

async function completeAndInspect(page: import('@playwright/test').Page, expectedFiles: Record<string, string>) {
  await expectRunStatus(page, 'completed');

  const steps = stepItems(page);
  await expect(steps).toHaveCount(3);
  for (const item of await steps.all()) await expect(item).toContainText('completed');

  // Every file is a treeitem named by its full path.
  for (const path of Object.keys(expectedFiles)) await expect(fileItem(page, path)).toBeVisible();

  // Open a file in the read-only Monaco viewer.
  await fileItem(page, 'src/freq.js').click();
  const viewer = page.getByTestId('file-viewer');
  await expect(viewer.locator('.monaco-editor').first()).toBeVisible();
  await expect(viewer.locator('.view-lines')).toContainText('toLowerCase');

  // src/freq.js has two versions (the failing first attempt and the fix): diff them.
  await page.getByRole('button', { name: 'Diff with previous version' }).click();
  await expect(viewer.locator('.monaco-diff-editor')).toBeVisible();
  await expect(viewer.locator('.monaco-diff-editor')).toContainText('toLowerCase');
  await expect(viewer.locator('.monaco-diff-editor .char-insert, .monaco-diff-editor .line-insert').first()).toBeAttached();

  // Download zip holds exactly the run's files.
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download zip', exact: true }).click();
  const file = await (await download).path();
  const entries = unzipSync(new Uint8Array(await readFile(file)));
  const files = Object.fromEntries(Object.entries(entries).map(([path, bytes]) => [path, strFromU8(bytes)]));
  expect(files).toEqual(expectedFiles);
}

test('a codebase run completes with the worker sandbox, and its files open, diff and download', async ({ page, mock, app }) => {
  await app.open();
  await runScenario(page, mock, app, { sandbox: 'Worker only' });
  await completeAndInspect(page, app.scenario!.expectedFiles!);
  await expect(page.getByText(/Worker · /).first()).toBeVisible();
  // Every request went to the mock server, with the key; none carried a `meta` field.
  expect(mock.chatRequests.length).toBeGreaterThan(5);
  for (const request of mock.chatRequests) {
    expect(request.headers.authorization).toBe('Bearer sk-test-e2e-0123456789abcdef');
    expect(JSON.stringify(request.body)).not.toContain('"meta"');
  }
  expect(app.errors).toEqual([]);
});

test.describe('with the fake WebContainer', () => {
  test.use({ fakeWebContainer: true, wcBootMs: 20_000 });

  test('a codebase run completes in WebContainer', async ({ page, mock, app }) => {
    await app.open();
    await runScenario(page, mock, app, { sandbox: 'WebContainer only' });
    await completeAndInspect(page, app.scenario!.expectedFiles!);
    await expect(page.getByText(/WebContainer · /).first()).toBeVisible();
    expect(app.errors).toEqual([]);
  });
});
