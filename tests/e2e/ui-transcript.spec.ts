/**
 * The live transcript of DESIGN.md §9 with a long run: 2,000 entries keep the DOM to a window of rows
 * (virtualised), the panel follows the newest entry while the user is at the bottom and stays put when
 * they scrolled up, completed messages are sanitised Markdown (no image, raw HTML as text), tool calls are
 * collapsible cards with their result status, and checks show pass and fail counts.
 */
import { expect, test } from '@playwright/test';

type Ui = { mountTranscript(count: number): void; appendTranscript(count: number, text: string): void };

test.beforeEach(async ({ page }) => {
  await page.goto('/tests/harness/index.html');
  await page.evaluate(() => window.harnessReady);
});

test('2,000 entries render a bounded window; the newest is in view, and scrolling reaches the first', async ({ page }) => {
  await page.evaluate(() => (window.harness.ui as Ui).mountTranscript(2000));
  const transcript = page.getByRole('region', { name: 'Transcript' });
  const entries = transcript.locator('article.entry');

  // Pinned to the bottom: the last entry (index 1999, a tool call) is in view.
  await expect(transcript.locator('details.tool').filter({ hasText: 'src/file-1999.js' })).toBeInViewport();
  const rendered = await entries.count();
  expect(rendered).toBeGreaterThan(5);
  expect(rendered).toBeLessThan(80);
  expect(await page.locator('#ui-host *').count()).toBeLessThan(2500);

  // Scrolling to the top shows the first step's divider, still with a bounded DOM.
  await transcript.evaluate((element) => element.scrollTo({ top: 0 }));
  await expect(transcript.getByText('Instruction of step 1.', { exact: true })).toBeVisible();
  expect(await entries.count()).toBeLessThan(80);
  await expect(transcript.getByText('Instruction of step 40.', { exact: true })).toHaveCount(0);

  // The middle is reachable too.
  await transcript.evaluate((element) => element.scrollTo({ top: element.scrollHeight / 2 }));
  await expect(transcript.getByText(/^Instruction of step (19|20|21)\.$/).first()).toBeAttached();
  expect(await entries.count()).toBeLessThan(80);
});

test('new entries are followed at the bottom, and not while the user reads further up', async ({ page }) => {
  await page.evaluate(() => (window.harness.ui as Ui).mountTranscript(600));
  const transcript = page.getByRole('region', { name: 'Transcript' });

  await page.evaluate(() => (window.harness.ui as Ui).appendTranscript(3, 'Streaming now: **not yet Markdown**'));
  const live = transcript.getByText('Streaming now: **not yet Markdown**');
  await expect(live).toBeVisible();
  await expect(live).toBeInViewport();

  await transcript.evaluate((element) => element.scrollTo({ top: 0 }));
  await expect(transcript.getByText('Instruction of step 1.', { exact: true })).toBeInViewport();
  await page.evaluate(() => (window.harness.ui as Ui).appendTranscript(3, 'Another streamed reply'));
  await expect(transcript.getByText('Instruction of step 1.', { exact: true })).toBeInViewport();
  await expect(transcript.getByText('Another streamed reply')).not.toBeInViewport();
});

test('completed messages are sanitised Markdown; tool calls fold; checks count passes and failures', async ({ page }) => {
  await page.evaluate(() => (window.harness.ui as Ui).mountTranscript(40));
  const transcript = page.getByRole('region', { name: 'Transcript' });
  await transcript.evaluate((element) => element.scrollTo({ top: 0 }));

  // Entry 3 is a model message: bold and code rendered, the image and the raw HTML shown as text.
  const message = transcript.locator('article.entry').filter({ hasText: 'Message 3 with' });
  await expect(message.locator('strong', { hasText: '3' })).toBeVisible();
  await expect(message.locator('code', { hasText: 'code' })).toBeVisible();
  await expect(message.locator('li')).toHaveCount(2);
  await expect(message).toContainText('[image: pixel — https://example.invalid/p3.png]');
  await expect(message).toContainText('<b>raw 3</b>');
  await expect(transcript.locator('img, b')).toHaveCount(0);

  // Entry 7 is a tool call whose result is an error; entry 4 one that succeeded. Both start folded.
  const failedCall = transcript.locator('details.tool').filter({ hasText: 'src/file-7.js' });
  await expect(failedCall.locator('summary').first()).toContainText('write_files');
  await expect(failedCall.locator('summary').first()).toContainText('error');
  await expect(failedCall).not.toHaveAttribute('open');
  await expect(failedCall.getByText('Refused file-7', { exact: true })).toBeHidden();
  await failedCall.locator('summary').first().click();
  await expect(failedCall.getByText('Refused file-7', { exact: true })).toBeVisible();
  const okCall = transcript.locator('details.tool').filter({ hasText: 'src/file-4.js' });
  await expect(okCall.locator('summary').first()).toContainText('ok');
  await okCall.locator('summary').first().focus();
  await page.keyboard.press('Enter');
  await expect(okCall.getByText('Wrote src/file-4.js', { exact: true })).toBeVisible();

  // Entry 5 is a check: 5 passed, 1 failed.
  await expect(transcript.locator('.check').filter({ hasText: '5 passed, 1 failed' })).toBeVisible();
  await expect(transcript.locator('.check').filter({ hasText: '5 passed, 1 failed' })).toContainText('Checks fail');
});
