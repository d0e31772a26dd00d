/**
 * Static hosting (DESIGN.md §7): the built site served by a plain static server that sends NO COOP/COEP
 * headers (like GitHub Pages) becomes cross-origin isolated once its service worker controls the page —
 * after exactly one reload, with no loop — and an LLM request to another origin never passes through the
 * service worker. Also under a sub-path (a GitHub Pages project site), with its own build.
 *
 * Service workers are allowed in this spec only (and in the offline spec).
 */
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { createMockServer, type MockServer } from '../support/mock-server.ts';

const DIST = process.env.DIST_DIR ?? 'dist';
const BASE = process.env.BASE_PATH ?? '/';
const SUBPATH = '/l2mac-web/';

interface StaticSite {
  url: string;
  stop(): void;
}

/** Starts `scripts/static-server.mjs` on a free port; resolves with the site's URL. */
function startStaticServer(dir: string, base: string): Promise<StaticSite> {
  const child = spawn(process.execPath, ['scripts/static-server.mjs', '--dir', dir, '--port', '0', '--base', base], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      const url = /at (http:\/\/\S+)/.exec(chunk.toString())?.[1];
      if (url) resolve({ url, stop: () => child.kill() });
    });
    child.once('exit', (code) => reject(new Error(`The static server exited (${code}).`)));
  });
}

/** Counts the main frame's navigations (the initial load, then each reload). */
function countNavigations(page: Page): string[] {
  const seen: string[] = [];
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) seen.push(frame.url());
  });
  return seen;
}

async function waitForIsolation(page: Page): Promise<void> {
  // The page reloads itself once; evaluating during that reload may fail, so poll.
  await expect
    .poll(() => page.evaluate(() => globalThis.crossOriginIsolated && navigator.serviceWorker.controller !== null).catch(() => false), { timeout: 45_000 })
    .toBe(true);
}

test.use({ serviceWorkers: 'allow' });

test.describe('on a static host without COOP/COEP headers', () => {
  let site: StaticSite;
  let mock: MockServer;

  test.beforeAll(async () => {
    site = await startStaticServer(DIST, BASE);
    mock = await createMockServer();
  });
  test.afterAll(async () => {
    site?.stop();
    await mock?.close();
  });

  test('the app becomes cross-origin isolated after the service worker takes control, with one reload', async ({ page, request }) => {
    const plain = await request.get(site.url);
    expect(plain.ok()).toBe(true);
    expect(plain.headers()['cross-origin-opener-policy']).toBeUndefined();
    expect(plain.headers()['cross-origin-embedder-policy']).toBeUndefined();

    const navigations = countNavigations(page);
    const documents: { fromServiceWorker: boolean; coep: string | undefined }[] = [];
    page.on('response', (response) => {
      if (response.request().isNavigationRequest() && response.request().frame() === page.mainFrame()) {
        documents.push({ fromServiceWorker: response.fromServiceWorker(), coep: response.headers()['cross-origin-embedder-policy'] });
      }
    });

    await page.goto(site.url);
    await waitForIsolation(page);
    expect(navigations).toHaveLength(2);
    expect(documents).toEqual([
      { fromServiceWorker: false, coep: undefined },
      { fromServiceWorker: true, coep: 'require-corp' },
    ]);
    expect(await page.evaluate(() => typeof SharedArrayBuffer)).toBe('function');

    // Later visits are isolated from the start: no further reload.
    await page.reload();
    await waitForIsolation(page);
    expect(navigations).toHaveLength(3);
    expect(documents.at(-1)).toEqual({ fromServiceWorker: true, coep: 'require-corp' });
  });

  test('an LLM request to another origin goes straight to the network, never through the service worker', async ({ page, context }) => {
    const serviceWorkerRequests: string[] = [];
    context.on('request', (request) => {
      if (request.serviceWorker()) serviceWorkerRequests.push(request.url());
    });
    const pageResponses: { url: string; method: string; fromServiceWorker: boolean }[] = [];
    page.on('response', (response) => pageResponses.push({ url: response.url(), method: response.request().method(), fromServiceWorker: response.fromServiceWorker() }));

    await page.goto(`${site.url}tests/harness/index.html`);
    await waitForIsolation(page);
    await page.evaluate(() => window.harnessReady);

    // A same-origin GET is served by the service worker: the observation below can see it.
    const demo = await page.evaluate(async (url) => (await fetch(url)).ok, `${site.url}demos/roman-numerals.json`);
    expect(demo).toBe(true);
    expect(pageResponses.find((r) => r.url.endsWith('/demos/roman-numerals.json'))?.fromServiceWorker).toBe(true);

    // Chromium reports, per response, whether a static route of the worker sent it straight to the network.
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    const methods = new Map<string, string>();
    const routed: { url: string; method: string; router: unknown }[] = [];
    cdp.on('Network.requestWillBeSent', (event: { requestId: string; request: { method: string } }) => methods.set(event.requestId, event.request.method));
    cdp.on('Network.responseReceived', (event: { requestId: string; response: { url: string; serviceWorkerRouterInfo?: unknown } }) => {
      if (event.response.url.startsWith(mock.origin)) routed.push({ url: event.response.url, method: methods.get(event.requestId) ?? '?', router: event.response.serviceWorkerRouterInfo });
    });

    const before = mock.chatRequests.length;
    const result = await page.evaluate(
      async ({ baseURL }) => {
        const llm = window.harness.llm as { complete: (...args: unknown[]) => Promise<{ ok: boolean; result?: { message: { content: string } }; error?: unknown }> };
        return llm.complete(
          { provider: 'custom', baseURL, model: 'mock-model' },
          'sk-hosting-test-not-real',
          { id: 'mock-model', contextWindow: 32_000, maxOutputTokens: 1_000, prices: null, reasoning: false, supportsTemperature: true, strictTools: false, tokenizer: 'estimate', source: 'test', checked: '2026-11-24' },
          { messages: [{ role: 'user', content: 'ping from an isolated page' }], meta: { runId: 'hosting', kind: 'step', step: 1, turn: 0, restart: 0 } },
        );
      },
      { baseURL: mock.url },
    );
    expect(result.ok, JSON.stringify(result.error)).toBe(true);
    expect(result.result?.message.content).toBe('echo: ping from an isolated page');

    // The provider got the request, with its key, straight from the page's origin.
    const chat = mock.chatRequests.slice(before);
    expect(chat).toHaveLength(1);
    expect(chat[0]?.headers.authorization).toBe('Bearer sk-hosting-test-not-real');
    expect(chat[0]?.headers.origin).toBe(new URL(site.url).origin);

    // Not one request to the provider was seen by, or answered from, the service worker.
    const llmResponses = pageResponses.filter((r) => r.url.startsWith(mock.origin));
    expect(llmResponses.map((r) => r.method)).toContain('POST');
    expect(llmResponses.every((r) => !r.fromServiceWorker)).toBe(true);
    expect(serviceWorkerRequests.filter((url) => url.startsWith(mock.origin))).toEqual([]);
    // Stronger still: the worker's static route sent the POST to the network without a fetch event at all.
    const post = routed.find((r) => r.method === 'POST');
    expect(post?.router).toMatchObject({ matchedSourceType: 'network', actualSourceType: 'network' });
  });
});

test.describe('under a sub-path (BASE_PATH), like a GitHub Pages project site', () => {
  const dir = `${DIST}-subpath`;
  let site: StaticSite;

  test.beforeAll(async () => {
    test.setTimeout(180_000);
    const build = spawnSync('npx', ['vite', 'build'], {
      env: { ...process.env, BASE_PATH: SUBPATH, DIST_DIR: dir, L2MAC_HARNESS: '' },
      encoding: 'utf8',
    });
    if (build.status !== 0) throw new Error(`The sub-path build failed:\n${build.stdout}\n${build.stderr}`);
    site = await startStaticServer(dir, SUBPATH);
  });
  test.afterAll(() => {
    site?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('registers its worker for the sub-path, becomes isolated and opens offline', async ({ page, context }) => {
    expect(site.url.endsWith(SUBPATH)).toBe(true);
    await page.goto(site.url);
    await waitForIsolation(page);
    const info = await page.evaluate(async () => ({
      scope: (await navigator.serviceWorker.ready).scope,
      script: navigator.serviceWorker.controller?.scriptURL,
      manifest: document.querySelector('link[rel="manifest"]')?.getAttribute('href'),
    }));
    expect(info.scope).toBe(site.url);
    expect(info.script).toBe(`${site.url}sw.js`);
    expect(info.manifest).toBe(`${SUBPATH}manifest.webmanifest`);

    await context.setOffline(true);
    const demo = await page.evaluate(async (url) => {
      const response = await fetch(url);
      return { ok: response.ok, format: ((await response.json()) as { format: string }).format };
    }, `${site.url}demos/stargazing-book.json`);
    expect(demo).toEqual({ ok: true, format: 'l2mac-scenario/1' });
    // Offline, the whole page (document, scripts, styles, manifest) comes from the service worker.
    const failed: string[] = [];
    const served: { url: string; fromServiceWorker: boolean }[] = [];
    page.on('requestfailed', (r) => failed.push(`${r.url()} ${r.failure()?.errorText ?? ''}`));
    page.on('response', (r) => served.push({ url: r.url(), fromServiceWorker: r.fromServiceWorker() }));
    await page.reload();
    await waitForIsolation(page);
    await expect(page).toHaveTitle('L2MAC Web');
    expect(failed).toEqual([]);
    expect(served.length).toBeGreaterThan(2);
    expect(served.filter((r) => !r.fromServiceWorker)).toEqual([]);
    expect(served.some((r) => /\/assets\/main-[^/]+\.js$/.test(r.url))).toBe(true);
  });
});

test.describe('a new version of the app on the host', () => {
  const dir = `${DIST}-update`;
  let site: StaticSite;

  test.beforeAll(async () => {
    cpSync(DIST, dir, { recursive: true });
    site = await startStaticServer(dir, BASE);
  });
  test.afterAll(() => {
    site?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('is announced once installed, and "Reload to update" brings the page into it', async ({ page }) => {
    test.setTimeout(120_000);
    await page.goto(site.url);
    await waitForIsolation(page);
    await expect(page.getByRole('textbox', { name: 'Task', exact: true })).toBeVisible();
    const notice = page.getByRole('status').filter({ hasText: 'A new version of L2MAC Web is ready.' });
    await expect(notice).toHaveCount(0);

    // A deploy: the service worker script changes, and the page checks for it.
    appendFileSync(join(dir, 'sw.js'), '\n// the next version\n');
    await page.evaluate(async () => {
      await (await navigator.serviceWorker.getRegistration())?.update();
    });
    await expect(notice).toBeVisible({ timeout: 60_000 });
    const navigations = countNavigations(page);
    await page.getByRole('button', { name: 'Reload to update' }).click();

    await expect.poll(() => navigations.length, { timeout: 30_000 }).toBeGreaterThan(0);
    await expect(page.getByRole('textbox', { name: 'Task', exact: true })).toBeVisible();
    await expect
      .poll(() =>
        page
          .evaluate(async () => {
            const registration = await navigator.serviceWorker.getRegistration();
            return { waiting: registration?.waiting !== null, active: registration?.active?.state, isolated: globalThis.crossOriginIsolated };
          })
          .catch(() => null),
      )
      .toEqual({ waiting: false, active: 'activated', isolated: true });
    await expect(notice).toHaveCount(0);
  });
});
