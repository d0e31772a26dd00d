/**
 * The figures measured in headless Chromium (Debian's, never a downloaded one): through the test harness
 * page (`window.harness.bench`) the control unit on IndexedDB, the store, the syntax check, the worker
 * sandbox, the 1,000-file run, the file tree and Monaco; against the app's own build, the load figures.
 */
import { loadavg } from 'node:os';
import { chromium, type Browser, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../playwright.config.ts';
import { OVERHEAD_SIZES, OVERHEAD_TURNS, overheadFigureOf } from '../core/overhead.ts';
import { acrossRuns, median, summarize } from '../core/stats.ts';
import type { BenchOptions } from '../options.ts';
import type { BenchHarness } from '../page/harness-api.ts';
import type { BrowserFigures, NotMeasured, OverheadFigure } from '../results.ts';
import { loadBytes, loadTimes } from './load.ts';
import { buildApp, buildHarness, DIST, startPreview, type PreviewServer } from './server.ts';

type Log = (line: string) => void;
type HarnessCall<K extends keyof BenchHarness> = BenchHarness[K] extends (...args: infer A) => infer R ? { args: A; result: Awaited<R> } : never;

async function openHarness(browser: Browser, url: string): Promise<Page> {
  const context = await browser.newContext({ serviceWorkers: 'block', viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${url}/tests/harness/index.html`);
  await page.evaluate(() => window.harnessReady);
  const ready = await page.evaluate(() => typeof window.harness.bench === 'object');
  if (!ready) throw new Error('The harness page has no harness.bench (was it built with L2MAC_HARNESS=1?)');
  return page;
}

/** Calls `harness.bench[name](...args)` in the page. */
function call<K extends keyof BenchHarness>(page: Page, name: K, ...args: HarnessCall<K>['args']): Promise<HarnessCall<K>['result']> {
  return page.evaluate(
    ([n, a]) => (window.harness.bench as Record<string, (...x: unknown[]) => unknown>)[n as string]?.(...(a as unknown[])),
    [name, args] as const,
  ) as Promise<HarnessCall<K>['result']>;
}

function failed(what: string, error: unknown): NotMeasured {
  return { notMeasured: `${what} failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}` };
}

async function harnessFigures(browser: Browser, url: string, options: BenchOptions, figures: BrowserFigures, log: Log): Promise<void> {
  const want = options.only;
  const page = await openHarness(browser, url);
  try {
    if (want.has('checks')) {
      log('checks: in-app syntax check (Chromium)');
      try {
        const syntax = await call(page, 'syntax', [1, 10, 100], options.quick ? 10 : 40);
        figures.syntax = { coldMs: syntax.coldMs, results: syntax.results.map((r) => ({ files: r.files, lines: r.lines, summary: summarize(r.samples) })) };
      } catch (error) {
        figures.syntax = failed('the syntax check in the page', error);
      }
      log('checks: worker sandbox test runs (Chromium)');
      try {
        const runs = [];
        for (const tests of options.quick ? [1, 10] : [1, 10, 100]) {
          const result = await call(page, 'workerTests', tests, tests >= 100 ? Math.max(1, Math.ceil(options.runs / 2)) : options.runs);
          log(`  worker sandbox, ${tests} test file(s): ${median(result.samples).toFixed(0)} ms per write`);
          runs.push({ testFiles: result.testFiles, initialSyncMs: result.initialSyncMs, perWrite: summarize(result.samples), passed: result.passed, failed: result.failed });
        }
        figures.workerTests = runs;
      } catch (error) {
        figures.workerTests = failed('the worker sandbox run', error);
      }
    }

    if (want.has('overhead')) {
      log('overhead (Chromium, IndexedDB): warm-up run');
      try {
        await call(page, 'overhead', 10, OVERHEAD_TURNS);
        const sizes: OverheadFigure[] = [];
        for (const files of OVERHEAD_SIZES) {
          const results = [];
          for (let r = 0; r < options.runs; r++) results.push(await call(page, 'overhead', files, OVERHEAD_TURNS));
          const figure = overheadFigureOf(files, results);
          log(`overhead (Chromium, IndexedDB), ${files} files: median ${figure.turn.median.toFixed(2)} ms, p95 ${figure.turn.p95.toFixed(2)} ms per turn`);
          sizes.push(figure);
        }
        figures.overhead = sizes;
      } catch (error) {
        figures.overhead = failed('the control-unit run in the page', error);
      }
    }

    if (want.has('store')) {
      log('store: IndexedDB in Chromium');
      try {
        const results = [];
        for (let r = 0; r < options.runs; r++) results.push(await call(page, 'store', 1000, 50));
        figures.idbStore = {
          files: 1000,
          bytes: results[0]?.bytes ?? 0,
          bulkWriteMs: median(results.map((r) => r.bulkWriteMs)),
          readAllMs: median(results.map((r) => r.readAllMs)),
          readTen: acrossRuns(results.map((r) => r.readTenMs)),
          turnCommit: acrossRuns(results.map((r) => r.turnCommitMs)),
        };
      } catch (error) {
        figures.idbStore = failed('the IndexedDB store run', error);
      }
    }

    if (want.has('scale')) {
      log('scale: 1,000 files / 100,000 lines (Chromium, IndexedDB)');
      try {
        figures.scale = await call(page, 'scale');
      } catch (error) {
        figures.scale = failed('the 1,000-file run in the page', error);
      }
    }
  } finally {
    await page.context().close();
  }

  if (want.has('scale')) {
    log('scale: the file tree component with 1,000 files (fresh page per sample)');
    figures.treeComponent = await treeComponent(browser, url, options.runs);
    log('scale: the file tree in the app with 1,000 files');
    figures.treeInApp = await treeInApp(browser, url, options.runs);
  }
  if (want.has('load')) {
    log('load: Monaco lazy load (fresh context per sample)');
    figures.monaco = await monacoFigure(browser, url, options.runs);
  }
}

async function treeComponent(browser: Browser, url: string, samples: number): Promise<BrowserFigures['treeComponent']> {
  const mounts: number[] = [];
  const frames: number[] = [];
  let items = 0;
  for (let i = 0; i < samples; i++) {
    const page = await openHarness(browser, url);
    try {
      const result = await call(page, 'treeRender', 1000);
      if (!result.measured) return { notMeasured: result.reason };
      mounts.push(result.mountMs);
      frames.push(result.frameMs);
      items = result.treeItemsInDom;
    } catch (error) {
      return failed('the file tree component', error);
    } finally {
      await page.context().close();
    }
  }
  return { files: 1000, samples, mount: summarize(mounts), toFrame: summarize(frames), treeItemsInDom: items };
}

/** Navigation to the first treeitem of the tree "Files", in the app reopening a run of `files` files. */
async function timeToTree(browser: Browser, url: string, files: number): Promise<number> {
  const context = await browser.newContext({ serviceWorkers: 'block', viewport: { width: 1440, height: 900 } });
  try {
    const page = await context.newPage();
    await page.goto(`${url}/tests/harness/index.html`);
    await page.evaluate(() => window.harnessReady);
    await page.evaluate((n) => (window.harness.bench as BenchHarness).seedAppRun(n, `bench tree ${n}`), files);
    await page.goto(`${url}/`, { waitUntil: 'commit' });
    const tree = page.getByRole('tree', { name: 'Files', exact: true });
    await tree.getByRole('treeitem').first().waitFor({ state: 'visible', timeout: 20_000 });
    return await page.evaluate(() => performance.now());
  } finally {
    await context.close();
  }
}

async function treeInApp(browser: Browser, url: string, samples: number): Promise<BrowserFigures['treeInApp']> {
  const big: number[] = [];
  const small: number[] = [];
  try {
    for (let i = 0; i < samples; i++) {
      small.push(await timeToTree(browser, url, 10));
      big.push(await timeToTree(browser, url, 1000));
    }
  } catch (error) {
    return { notMeasured: `the app did not show a treeitem in the tree "Files" after reopening a seeded run (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); the run view may not be finished yet` };
  }
  return { files: 1000, samples, toTree: summarize(big), baselineFiles: 10, baselineToTree: summarize(small) };
}

async function monacoFigure(browser: Browser, url: string, samples: number): Promise<BrowserFigures['monaco']> {
  const imports: number[] = [];
  const renders: number[] = [];
  const totals: number[] = [];
  for (let i = 0; i < samples; i++) {
    const page = await openHarness(browser, url);
    try {
      const result = await call(page, 'monacoLoad');
      if (!result.measured) return { notMeasured: result.reason };
      imports.push(result.importMs);
      renders.push(result.firstRenderMs);
      totals.push(result.totalMs);
    } catch (error) {
      return failed('the Monaco load', error);
    } finally {
      await page.context().close();
    }
  }
  return { samples, import: summarize(imports), firstRender: summarize(renders), total: summarize(totals) };
}

async function withServer<T>(dist: string, port: number, work: (server: PreviewServer) => Promise<T>): Promise<T> {
  const server = await startPreview(dist, port);
  try {
    return await work(server);
  } finally {
    await server.stop();
  }
}

export async function browserFigures(options: BenchOptions, log: Log): Promise<BrowserFigures> {
  const want = options.only;
  const needsHarness = ['checks', 'overhead', 'store', 'scale', 'load'].some((f) => want.has(f as never));
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, '--enable-precise-memory-info'] });
  const figures: BrowserFigures = { chromium: browser.version(), loadBefore: loadavg(), loadAfter: [] };
  try {
    if (needsHarness) {
      log('building the app with the test harness (dist-bench/harness)');
      await buildHarness();
      await withServer(DIST.harness, options.port, (server) => harnessFigures(browser, server.url, options, figures, log));
    }
    if (want.has('load')) {
      log('building the app alone (dist-bench/app, with a Vite manifest)');
      await buildApp();
      const bytes = await loadBytes(DIST.app);
      if (bytes.htmlMismatch.length) log(`  note: the HTML loads files the manifest walk did not find: ${bytes.htmlMismatch.join(', ')}`);
      await withServer(DIST.app, options.port, async (server) => {
        log('load: first render and interactive Run (fresh context per sample)');
        const { times, fetched } = await loadTimes(browser, `${server.url}/`, options.runs);
        figures.loadTimes = times;
        figures.loadBytes = { js: bytes.js, css: bytes.css, html: bytes.html, fetchedBeforeRun: fetched };
      });
    }
  } finally {
    figures.loadAfter = loadavg();
    await browser.close();
  }
  return figures;
}
