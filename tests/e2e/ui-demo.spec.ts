/**
 * What a new user sees first (issue 10): the scripted demo gallery. One click runs a demo through the real
 * control unit, store and worker sandbox with no key and no network request to any provider, labelled as
 * a scripted demo; the book demo exports as one Markdown file.
 */
import { expect, expectRunStatus, stepItems, test } from './fixtures.ts';

test('one click runs the codebase demo to completion, labelled as scripted, with no key', async ({ page, app }) => {
  await app.open();
  const appOrigin = new URL(page.url()).origin;
  // Under "Automatic" the page may try to boot WebContainer (its StackBlitz frame); nothing else may leave.
  const external: string[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.origin !== appOrigin && !/(^|\.)stackblitz\.com$/.test(url.hostname) && !['data:', 'blob:'].includes(url.protocol)) external.push(request.url());
  });
  await expect(page.getByRole('heading', { name: 'Try a scripted demo' })).toBeVisible();
  await page.getByRole('button', { name: 'Start demo: A Roman numerals library' }).click();
  await expectRunStatus(page, 'completed', 90_000);
  await expect(page.getByText('Scripted demo — recorded replies, not a model').first()).toBeVisible();
  for (const item of await stepItems(page).all()) await expect(item).toContainText('completed');
  expect(external).toEqual([]);
  expect(app.errors).toEqual([]);
});

test('the book demo completes and downloads as one Markdown book', async ({ page, app }) => {
  await app.open();
  await page.getByRole('button', { name: 'Start demo: A short guide to stargazing' }).click();
  await expectRunStatus(page, 'completed', 90_000);
  await page.getByText('Export', { exact: true }).click();
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Book as one Markdown file' }).click();
  expect((await download).suggestedFilename()).toMatch(/\.md$/);
});
