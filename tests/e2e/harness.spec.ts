import { expect, test } from '@playwright/test';

test('the browser test harness loads and the page is cross-origin isolated', async ({ page }) => {
  await page.goto('/tests/harness/index.html');
  await page.evaluate(() => window.harnessReady);
  await expect(page.locator('#harness-status')).toHaveText('ready');
  const echoed = await page.evaluate(() => (window.harness.echo as (v: unknown) => unknown)(42));
  expect(echoed).toEqual({ value: 42, isolated: true });
});
