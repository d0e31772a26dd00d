/**
 * The worker sandbox's limits and conditions in Chromium: a busy loop is killed at its time limit while the
 * page stays responsive; cancelling stops the worker; with the network off after load it still runs tests;
 * it runs from a static server that sends no COOP/COEP headers; a runtime that cannot load makes the
 * sandbox unavailable (a typed error, not a hang).
 */
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { TestReport } from '../../src/sandbox/types.ts';

type Outcome<T> = { ok: true; value: T } | { ok: false; error: { name: string; message: string } };

interface Harness {
  create(options?: { perFileTimeoutMs?: number; runTimeoutMs?: number; brokenRuntime?: boolean }): number;
  sync(id: number, changes: { path: string; content: string }[]): Promise<Outcome<void>>;
  runTests(id: number, paths: string[], options?: { perFileTimeoutMs?: number; timeoutMs?: number }): Promise<Outcome<TestReport>>;
  runTestsAborted(id: number, paths: string[], afterMs: number): Promise<Outcome<TestReport>>;
  status(id: number): { state: string; states: string[]; detail?: string };
}

const project = [
  { path: 'package.json', content: '{ "type": "module" }\n' },
  { path: 'src/sum.js', content: 'export const sum = (xs) => xs.reduce((a, b) => a + b, 0);\n' },
  {
    path: 'test/sum.test.js',
    content: "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { sum } from '../src/sum.js';\ntest('sums', () => assert.equal(sum([1, 2, 3]), 6));\ntest('empty', () => assert.equal(sum([]), 0));\n",
  },
  { path: 'test/spin.test.js', content: "import { test } from 'node:test';\ntest('before the loop', () => {});\ntest('spins', () => { while (true) {} });\n" },
];

async function openHarness(page: Page, url = '/tests/harness/index.html') {
  await page.goto(url);
  await page.evaluate(() => window.harnessReady);
}

function runSum(page: Page) {
  return page.evaluate(async (files) => {
    const harness = window.harness.workerSandbox as Harness;
    const id = harness.create();
    await harness.sync(id, files);
    return harness.runTests(id, ['test/sum.test.js']);
  }, project);
}

test.describe('worker sandbox limits', () => {
  test('while(true){} in a test is killed at its time limit, reported as a time-out, and the page stays responsive', async ({ page }) => {
    await openHarness(page);
    await page.evaluate(async (files) => {
      const harness = window.harness.workerSandbox as Harness;
      const id = harness.create({ perFileTimeoutMs: 3000 });
      await harness.sync(id, files);
      (window as unknown as { spinRun: Promise<Outcome<TestReport>> }).spinRun = harness.runTests(id, ['test/spin.test.js', 'test/sum.test.js']);
    }, project);
    // While the worker spins, the page answers and its event loop keeps turning.
    const gaps = await page.evaluate(async () => {
      const gaps: number[] = [];
      let last = performance.now();
      for (let i = 0; i < 20; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        const now = performance.now();
        gaps.push(now - last);
        last = now;
      }
      return gaps;
    });
    // Liveness, not speed: the spin lasts 3 s, so a page it held would show one gap of 3 s or more.
    expect(Math.max(...gaps)).toBeLessThan(2500);
    await expect(page.locator('#harness-status')).toHaveText('ready');
    const run = await page.evaluate(() => (window as unknown as { spinRun: Promise<Outcome<TestReport>> }).spinRun);
    if (!run.ok) throw new Error(run.error.message);
    const report = run.value;
    expect(report.timedOut).toEqual(['test/spin.test.js']);
    const timedOut = report.failures.find((failure) => failure.file === 'test/spin.test.js');
    expect(timedOut?.message).toMatch(/timed out after 3000ms/);
    expect(timedOut?.message).toMatch(/spins/);
    expect(report.passed).toBe(3);
    expect(report.output).toMatch(/ok \d+ - before the loop/);
  });

  test('cancelling a run stops the worker with an AbortError', async ({ page }) => {
    await openHarness(page);
    const result = await page.evaluate(async (files) => {
      const harness = window.harness.workerSandbox as Harness;
      const id = harness.create({ perFileTimeoutMs: 60_000 });
      await harness.sync(id, files);
      const started = performance.now();
      const outcome = await harness.runTestsAborted(id, ['test/spin.test.js'], 500);
      return { outcome, elapsed: performance.now() - started, state: harness.status(id).state };
    }, project);
    expect(result.outcome.ok).toBe(false);
    if (!result.outcome.ok) expect(result.outcome.error.name).toBe('AbortError');
    expect(result.elapsed).toBeLessThan(10_000);
    expect(result.state).toBe('ready');
  });

  test('with the network off after load, tests still run', async ({ page, context }) => {
    await openHarness(page);
    await context.setOffline(true);
    const offline = await page.evaluate(async () => {
      try {
        await fetch('/tests/harness/index.html', { cache: 'no-store' });
        return 'online';
      } catch {
        return 'offline';
      }
    });
    expect(offline).toBe('offline');
    const run = await runSum(page);
    if (!run.ok) throw new Error(run.error.message);
    expect(run.value.passed).toBe(2);
    expect(run.value.failed).toBe(0);
    await context.setOffline(false);
  });

  test('a runtime that cannot load makes the sandbox unavailable', async ({ page }) => {
    await openHarness(page);
    const result = await page.evaluate(async (files) => {
      const harness = window.harness.workerSandbox as Harness;
      const id = harness.create({ brokenRuntime: true });
      await harness.sync(id, files);
      const outcome = await harness.runTests(id, ['test/sum.test.js']);
      return { outcome, status: harness.status(id) };
    }, project);
    expect(result.outcome.ok).toBe(false);
    if (!result.outcome.ok) {
      expect(result.outcome.error.name).toBe('SandboxUnavailableError');
      expect(result.outcome.error.message).toMatch(/broken runtime/);
    }
    expect(result.status.state).toBe('unavailable');
  });
});

test.describe('worker sandbox on a static server without COOP/COEP', () => {
  let server: Server;
  let origin: string;
  const root = process.env.DIST_DIR ?? 'dist';
  const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.svg': 'image/svg+xml' };

  test.beforeAll(async () => {
    server = createServer((request, response) => {
      const path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
      readFile(join(root, path)).then(
        (body) => {
          response.writeHead(200, { 'Content-Type': types[extname(path)] ?? 'application/octet-stream' });
          response.end(body);
        },
        () => {
          response.writeHead(404);
          response.end();
        },
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  test.afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  test('runs tests in a page that is not cross-origin isolated', async ({ page }) => {
    await openHarness(page, `${origin}/tests/harness/index.html`);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
    const run = await runSum(page);
    if (!run.ok) throw new Error(run.error.message);
    expect(run.value.passed).toBe(2);
  });
});
