import { expect, test, type Page } from '@playwright/test';
import type { StoreHarness } from '../harness/expose-store.ts';

async function openHarness(page: Page): Promise<void> {
  await page.goto('/tests/harness/index.html');
  await page.evaluate(() => window.harnessReady);
}

test('the store contract holds for IdbStore on Chromium IndexedDB', async ({ page }) => {
  test.setTimeout(120_000);
  await openHarness(page);
  const results = await page.evaluate(() => (window.harness.store as StoreHarness).runContract());
  expect(results.length).toBeGreaterThan(10);
  expect(results.filter((r) => !r.ok)).toEqual([]);
});

test('1,000 files of 10 KB written in one commit are all read back identical after a reload', async ({ page }) => {
  test.setTimeout(120_000);
  await openHarness(page);
  const dbName = `bulk-${Date.now()}`;
  const { runId, commitMs } = await page.evaluate(([db]) => (window.harness.store as StoreHarness).writeMany(db, 1000, 10_240), [dbName] as const);
  test.info().annotations.push({ type: 'commitTurn of 1,000 files (ms)', description: String(Math.round(commitMs)) });
  await page.reload();
  await page.evaluate(() => window.harnessReady);
  const check = await page.evaluate(([db, id]) => (window.harness.store as StoreHarness).verifyMany(db, id, 1000, 10_240), [dbName, runId] as const);
  expect(check).toEqual({ listed: 1000, read: 1000, mismatches: [] });
});

test('a run lock held by one page is seen by another page of the context, and is free once that page closes', async ({ context }) => {
  const holder = await context.newPage();
  const watcher = await context.newPage();
  await openHarness(holder);
  await openHarness(watcher);
  const args = ['locks-db', 'run-1'] as const;
  expect(await holder.evaluate(() => (window.harness.store as StoreHarness).hasWebLocks())).toBe(true);
  expect(await holder.evaluate(([db, id]) => (window.harness.store as StoreHarness).lockRun(db, id), args)).toBe(true);
  expect(await watcher.evaluate(([db, id]) => (window.harness.store as StoreHarness).isLocked(db, id), args)).toBe(true);
  expect(await watcher.evaluate(([db, id]) => (window.harness.store as StoreHarness).lockRun(db, id), args)).toBe(false);
  await holder.close();
  await expect.poll(() => watcher.evaluate(([db, id]) => (window.harness.store as StoreHarness).isLocked(db, id), args)).toBe(false);
  expect(await watcher.evaluate(([db, id]) => (window.harness.store as StoreHarness).lockRun(db, id), args)).toBe(true);
  expect(await watcher.evaluate(([db, id]) => (window.harness.store as StoreHarness).isLocked(db, id), args)).toBe(true);
});
