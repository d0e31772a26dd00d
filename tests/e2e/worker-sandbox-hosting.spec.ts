/**
 * The worker sandbox where the app really runs (issue 7):
 * - on a plain static host with no COOP/COEP headers (`scripts/static-server.mjs`, like GitHub Pages),
 *   once the service worker controls the page, then again offline, generated code still reaches nothing:
 *   not the app's IndexedDB, Cache Storage, localStorage/sessionStorage or key, not the app's origin, not a
 *   CORS-open host (which counts every request it gets);
 * - the whole-run time limit (the run's `testTimeoutPerRunMs`, passed as `timeoutMs` as the control unit
 *   does): test files that would start after it are reported as not run because of the run limit.
 *
 * Service workers are allowed in this spec (the hosting case needs them).
 */
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test, type Page } from '@playwright/test';
import type { RunFileResult, TestReport } from '../../src/sandbox/types.ts';
import { attackProgram as sharedAttackProgram, plantSecrets } from '../support/worker-attack.ts';

type Outcome<T> = { ok: true; value: T } | { ok: false; error: { name: string; message: string } };

interface Harness {
  create(options?: { perFileTimeoutMs?: number; runTimeoutMs?: number }): number;
  sync(id: number, changes: { path: string; content: string }[]): Promise<Outcome<void>>;
  runFile(id: number, path: string, args: string[]): Promise<Outcome<RunFileResult>>;
  runTests(id: number, paths: string[], options?: { perFileTimeoutMs?: number; timeoutMs?: number }): Promise<Outcome<TestReport>>;
}

const DIST = process.env.DIST_DIR ?? 'dist';
const STATIC_PORT = process.env.STATIC_PORT ?? '0';
const SECRET_KEY = 'sk-SECRET-HOSTED-KEY-0123456789';
const SECRET_RECORD = 'SECRET-HOSTED-IDB-RECORD';
const SECRET_CACHE = 'SECRET-HOSTED-CACHE-ENTRY';

test.use({ serviceWorkers: 'allow' });

interface StaticSite {
  url: string;
  stop(): void;
}

function startStaticServer(dir: string): Promise<StaticSite> {
  const child = spawn(process.execPath, ['scripts/static-server.mjs', '--dir', dir, '--port', STATIC_PORT], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      const url = /at (http:\/\/\S+)/.exec(chunk.toString())?.[1];
      if (url) resolve({ url, stop: () => child.kill() });
    });
    child.once('exit', (code) => reject(new Error(`The static server exited (${code}).`)));
  });
}

async function openHarness(page: Page, url: string): Promise<void> {
  await page.goto(url);
  // The page reloads itself once when the service worker takes control; evaluating during it may fail.
  await expect
    .poll(() => page.evaluate(() => globalThis.crossOriginIsolated && navigator.serviceWorker.controller !== null).catch(() => false), { timeout: 60_000 })
    .toBe(true);
  await page.evaluate(() => window.harnessReady);
}

/** The shared attempts, plus listing the origin's databases and the app's precache. */
function attackProgram(appUrl: string, cors: string): string {
  return sharedAttackProgram(`${appUrl}index.html`, cors, [
    "await attempt('indexedDB databases', () => g[name('indexed', 'DB')].databases());",
    "await attempt('caches of the app (precache)', async () => g[name('cach', 'es')].keys());",
  ]);
}

test.describe('worker sandbox on a static host without COOP/COEP, under the service worker', () => {
  let site: StaticSite;
  let cors: Server;
  let corsOrigin: string;
  const corsRequests: string[] = [];

  test.beforeAll(async () => {
    site = await startStaticServer(DIST);
    cors = createServer((request, response) => {
      corsRequests.push(`${request.method} ${request.url}`);
      response.writeHead(200, { 'Access-Control-Allow-Origin': '*', 'Cross-Origin-Resource-Policy': 'cross-origin', 'Content-Type': 'text/javascript' });
      response.end('export const secret = "FROM-THE-CORS-HOST";');
    });
    await new Promise<void>((resolve) => cors.listen(0, '127.0.0.1', resolve));
    corsOrigin = `http://127.0.0.1:${(cors.address() as AddressInfo).port}`;
  });
  test.afterAll(async () => {
    site?.stop();
    await new Promise<void>((resolve) => cors.close(() => resolve()));
  });

  async function attack(page: Page): Promise<{ result: RunFileResult; results: Record<string, { value?: unknown; error?: string }> }> {
    const run = await page.evaluate(async (source) => {
      const harness = window.harness.workerSandbox as Harness;
      const id = harness.create();
      await harness.sync(id, [{ path: 'package.json', content: '{"type":"module"}' }, { path: 'attack.js', content: source }]);
      return harness.runFile(id, 'attack.js', []);
    }, attackProgram(site.url, corsOrigin));
    if (!run.ok) throw new Error(run.error.message);
    const results = JSON.parse(run.value.output.trim().split('\n').pop() ?? '{}') as Record<string, { value?: unknown; error?: string }>;
    return { result: run.value, results };
  }

  function expectNothingReached(result: RunFileResult, results: Record<string, { value?: unknown; error?: string }>): void {
    expect(result.exitCode, result.output).toBe(0);
    expect(results.origin?.value).toBe('null');
    const labels = Object.keys(results).filter((label) => label !== 'origin');
    expect(labels).toHaveLength(15);
    for (const label of labels) expect(results[label], `${label} must fail: ${JSON.stringify(results[label])}`).toHaveProperty('error');
    for (const secret of [SECRET_KEY, SECRET_RECORD, SECRET_CACHE, 'FROM-THE-CORS-HOST', '<!doctype']) expect(result.output).not.toContain(secret);
  }

  test('after the service worker took control, and again offline, generated code reaches no storage, key or network', async ({ page, context }) => {
    test.setTimeout(150_000);
    corsRequests.length = 0;
    const plain = await page.request.get(site.url);
    expect(plain.headers()['cross-origin-embedder-policy']).toBeUndefined();

    await openHarness(page, `${site.url}tests/harness/index.html`);
    await plantSecrets(page, { storedKey: JSON.stringify({ v: 1, key: SECRET_KEY, origin: 'https://api.openai.com' }), record: SECRET_RECORD, cached: SECRET_CACHE });
    // The app's own precache is there for the page (and the app can read its secrets).
    expect((await page.evaluate(() => caches.keys())).length).toBeGreaterThan(1);

    const online = await attack(page);
    expectNothingReached(online.result, online.results);
    expect(corsRequests, 'the CORS-open host received nothing').toEqual([]);

    // Offline: the page comes from the service worker, and the sandbox is as closed as before.
    await context.setOffline(true);
    const notFromServiceWorker: string[] = [];
    page.on('response', (response) => {
      if (!response.fromServiceWorker() && /^https?:/.test(response.url())) notFromServiceWorker.push(response.url());
    });
    await page.reload();
    await openHarness(page, page.url());
    expect(await page.evaluate(() => navigator.onLine)).toBe(false);
    expect(notFromServiceWorker).toEqual([]);
    const offline = await attack(page);
    expectNothingReached(offline.result, offline.results);
    expect(corsRequests).toEqual([]);

    // The app itself still has its secrets.
    expect(await page.evaluate(() => localStorage.getItem('l2mac.apiKey'))).toContain(SECRET_KEY);
    await context.setOffline(false);
  });
});

test.describe('worker sandbox: the whole-run time limit', () => {
  const spin = "import { test } from 'node:test';\ntest('spins', () => { while (true) {} });\n";
  const quick = (name: string) => `import { test } from 'node:test';\nimport assert from 'node:assert/strict';\ntest('${name}', () => assert.equal(1 + 1, 2));\n`;
  const files = [
    { path: 'package.json', content: '{ "type": "module" }\n' },
    { path: 'test/a-first.test.js', content: quick('runs first') },
    { path: 'test/b-spin.test.js', content: spin },
    { path: 'test/c-spin.test.js', content: spin },
    { path: 'test/d-late.test.js', content: quick('would pass') },
    { path: 'test/e-late.test.js', content: quick('would pass too') },
  ];
  const paths = files.filter((f) => f.path.endsWith('.test.js')).map((f) => f.path);

  test('files past the run limit are reported as not run because of it, and the run ends near the limit', async ({ page }) => {
    test.setTimeout(60_000);
    await page.goto('/tests/harness/index.html');
    await page.evaluate(() => window.harnessReady);
    const run = await page.evaluate(
      async ({ files, paths }) => {
        const harness = window.harness.workerSandbox as Harness;
        const id = harness.create();
        await harness.sync(id, files);
        // As the control unit passes them: testTimeoutPerRunMs as timeoutMs, testTimeoutPerFileMs per file.
        return harness.runTests(id, paths, { timeoutMs: 3_000, perFileTimeoutMs: 2_000 });
      },
      { files, paths },
    );
    if (!run.ok) throw new Error(run.error.message);
    const report = run.value;
    const failureOf = (file: string) => report.failures.find((failure) => failure.file === file);

    expect(report.passed).toBe(1);
    // The first spinning file is stopped at its own limit; the second at what is left of the run's.
    expect(failureOf('test/b-spin.test.js')?.message).toMatch(/timed out after 2000ms/);
    expect(report.timedOut).toEqual(expect.arrayContaining(['test/b-spin.test.js', 'test/d-late.test.js', 'test/e-late.test.js']));
    // Files that would have passed are not run: the run limit, not their own code, is named.
    for (const late of ['test/d-late.test.js', 'test/e-late.test.js']) {
      expect(failureOf(late)?.message, late).toMatch(/not run: the test run reached its time limit of 3000ms/);
    }
    expect(report.output).not.toMatch(/ok \d+ - would pass/);
    // The run ended at about its limit, well before the per-file limits of all files would add up (8 s).
    expect(report.durationMs).toBeGreaterThanOrEqual(3_000);
    expect(report.durationMs).toBeLessThan(2_000 * 4);
  });
});
