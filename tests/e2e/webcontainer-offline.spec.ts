/**
 * The REAL WebContainer adapter, no seam, on a network where StackBlitz cannot be reached (it does not
 * resolve on this machine, and every request to its hosts is aborted here too): `boot()` never settles, so
 * the adapter must report "unavailable" at its `?wcBootMs=` timeout, and never boot a second time in the page.
 */
import { expect, test } from '@playwright/test';

const WEBCONTAINER_HOSTS = /^https:\/\/([^/]+\.)?(stackblitz\.com|staticblitz\.com|webcontainer-api\.io)\//;

interface Outcome {
  ok: boolean;
  error?: { name: string; message: string; reason?: string };
}
interface Info {
  status: { state: string; detail?: string };
  states: string[];
  unavailable: { code: string; reason: string; gateEffect: string; diagnostic: string } | null;
}
interface PageInfo {
  attempts: number;
  booted: boolean;
  failure: string | null;
  lastBootOptions: { coep: string } | null;
  seamInstalled: boolean;
  iframes: string[];
}
interface Api {
  create(options?: { bootTimeoutMs?: number }): number;
  start(id: number): Promise<Outcome>;
  sync(id: number, changes: { path: string; content: string }[]): Promise<Outcome>;
  runTests(id: number, paths: string[]): Promise<Outcome>;
  info(id: number): Info;
  page(): PageInfo;
}

test('offline, the real adapter reports unavailable within ?wcBootMs= and does not boot a second time', async ({ page }) => {
  const blocked: string[] = [];
  await page.route(WEBCONTAINER_HOSTS, (route) => {
    blocked.push(route.request().url());
    return route.abort('internetdisconnected');
  });
  await page.goto('/tests/harness/index.html?wcBootMs=1500');
  await page.evaluate(() => window.harnessReady);

  const before = await page.evaluate(() => (window.harness.webcontainer as Api).page());
  expect(before).toMatchObject({ seamInstalled: false, attempts: 0, booted: false, iframes: [] });
  expect(blocked).toEqual([]);

  const first = await page.evaluate(async () => {
    const api = window.harness.webcontainer as Api;
    const id = api.create();
    await api.sync(id, [{ path: 'a.test.js', content: "import test from 'node:test';\ntest('t', () => {});\n" }]);
    const idle = api.info(id).status.state;
    const started = Date.now();
    const result = await api.start(id);
    return { idle, result, elapsedMs: Date.now() - started, info: api.info(id), pageInfo: api.page() };
  });
  expect(first.idle).toBe('idle');
  expect(first.result).toMatchObject({ ok: false, error: { name: 'SandboxUnavailableError', reason: 'boot-timeout' } });
  expect(first.result.error?.message).toMatch(/did not start within 1\.5 s/);
  expect(first.info.states).toEqual(['booting', 'unavailable']);
  expect(first.info.status.detail).toMatch(/worker sandbox/);
  expect(first.info.unavailable?.diagnostic).toMatch(/stackblitz\.com, \*\.staticblitz\.com, \*\.webcontainer-api\.io/);
  // The real API was really tried: its iframe asked stackblitz.com, with the page's COEP.
  expect(first.pageInfo).toMatchObject({ attempts: 1, booted: false, lastBootOptions: { coep: 'require-corp' } });
  expect(blocked.some((url) => url.startsWith('https://stackblitz.com/headless'))).toBe(true);
  expect(first.elapsedMs).toBeGreaterThanOrEqual(1400);

  const requestsAfterFirst = blocked.length;
  const second = await page.evaluate(async () => {
    const api = window.harness.webcontainer as Api;
    const id = api.create({ bootTimeoutMs: 60_000 });
    await api.sync(id, [{ path: 'a.test.js', content: "import test from 'node:test';\ntest('t', () => {});\n" }]);
    const result = await api.runTests(id, ['a.test.js']);
    return { result, info: api.info(id), pageInfo: api.page() };
  });
  expect(second.result).toMatchObject({ ok: false, error: { name: 'SandboxUnavailableError', reason: 'boot-timeout' } });
  expect(second.info.states).toEqual(['unavailable']);
  expect(second.pageInfo.attempts).toBe(1);
  expect(blocked.length).toBe(requestsAfterFirst);
});
