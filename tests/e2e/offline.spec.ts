/**
 * Offline (issue 10): load once, go offline, reload — the page comes from the service worker, and the
 * codebase demo runs to completed through the real control unit, IndexedDB store, worker sandbox (real
 * test execution: step 2's first attempt fails its tests, the fix passes) and the scripted LLM. The app's
 * own page opens offline too. Service workers are allowed in this spec.
 */
import { expect, test, type Page } from '@playwright/test';

test.use({ serviceWorkers: 'allow' });

interface DemoResult {
  status: string;
  statusReason: string | null;
  scripted: boolean;
  files: Record<string, string>;
  expectedFiles: Record<string, string> | null;
  checks: string[];
  failingTests: string[];
  sandboxKinds: string[];
  online: boolean;
}

/** Waits until the service worker has precached the app and controls this page. */
async function waitForOfflineReady(page: Page): Promise<void> {
  await expect
    .poll(() => page.evaluate(async () => (await navigator.serviceWorker.ready).active?.state === 'activated' && navigator.serviceWorker.controller !== null), { timeout: 60_000 })
    .toBe(true);
}

test('after one visit, offline: the page opens from the service worker and the codebase demo runs to completed with real tests', async ({ page, context }) => {
  test.setTimeout(120_000);
  await page.goto('/tests/harness/index.html');
  await page.evaluate(() => window.harnessReady);
  await waitForOfflineReady(page);
  expect(await page.evaluate(() => (window.harness.offline as { pwaStatus: () => { offlineReady: boolean } }).pwaStatus().offlineReady)).toBe(true);

  await context.setOffline(true);
  const fromNetwork: string[] = [];
  page.on('response', (response) => {
    if (!response.fromServiceWorker()) fromNetwork.push(response.url());
  });
  await page.reload();
  await page.evaluate(() => window.harnessReady);
  expect(fromNetwork).toEqual([]);
  expect(await page.evaluate(() => navigator.onLine)).toBe(false);

  const result = await page.evaluate(
    (dbName) => (window.harness.offline as { runDemo: (id: string, o: object) => Promise<DemoResult> }).runDemo('roman-numerals', { sandbox: 'worker', dbName, delayMs: 20 }),
    `offline-demo-${Date.now()}`,
  );
  expect(result.status, result.statusReason ?? '').toBe('completed');
  expect(result.online).toBe(false);
  expect(result.scripted).toBe(true);
  expect(result.sandboxKinds).toEqual(['worker']);
  expect(result.files).toEqual(result.expectedFiles);
  // Real test execution in the worker: step 2's first write fails three tests, the fix passes them all.
  expect(result.checks).toEqual(['1:write:true', '1:gate:true', '2:write:false', '2:write:true', '2:gate:true', '3:write:true', '3:gate:true', '3:verify:true']);
  expect([...new Set(result.failingTests)].sort()).toEqual(['ignores case and surrounding spaces', 'reads subtractive pairs', 'rejects text that is not a canonical numeral']);
});

test('offline, the app itself opens from the service worker', async ({ page, context }) => {
  await page.goto('/');
  await waitForOfflineReady(page);
  await context.setOffline(true);
  const failed: string[] = [];
  const served: { url: string; fromServiceWorker: boolean }[] = [];
  page.on('requestfailed', (r) => failed.push(`${r.url()} ${r.failure()?.errorText ?? ''}`));
  page.on('response', (r) => served.push({ url: r.url(), fromServiceWorker: r.fromServiceWorker() }));
  await page.reload();
  await expect(page).toHaveTitle('L2MAC Web');
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  expect(failed).toEqual([]);
  expect(served.filter((r) => !r.fromServiceWorker)).toEqual([]);
  expect(served.some((r) => /\/assets\/main-[^/]+\.js$/.test(r.url))).toBe(true);
  const demos = await page.evaluate(async () => Promise.all(['roman-numerals', 'stargazing-book'].map(async (name) => (await fetch(`/demos/${name}.json`)).status)));
  expect(demos).toEqual([200, 200]);
});
