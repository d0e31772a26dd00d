/**
 * Figure 5: what the app costs to load. Bytes: the JS and CSS that `index.html` loads before any lazy
 * chunk — its entry chunk and, transitively, the chunks it imports statically (from the Vite manifest),
 * cross-checked against the scripts, module preloads and style sheets of the built HTML. Times: in headless
 * Chromium against `vite preview`, a fresh browser context per sample (cold cache, empty storage).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser } from '@playwright/test';
import { summarize, type Summary } from '../core/stats.ts';
import type { AssetBytes, LoadBytes, LoadTimes, NotMeasured } from '../results.ts';

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  css?: string[];
}

/** Every file the entry needs at once: its chunk, statically imported chunks, and their CSS. */
export function initialFiles(manifest: Record<string, ManifestChunk>, entry = 'index.html'): { js: string[]; css: string[] } {
  const js = new Set<string>();
  const css = new Set<string>();
  const visit = (key: string) => {
    const chunk = manifest[key];
    if (!chunk || js.has(chunk.file)) return;
    js.add(chunk.file);
    for (const sheet of chunk.css ?? []) css.add(sheet);
    for (const imported of chunk.imports ?? []) visit(imported);
  };
  if (!manifest[entry]) throw new Error(`The Vite manifest has no entry "${entry}".`);
  visit(entry);
  return { js: [...js], css: [...css] };
}

/** Scripts, module preloads and style sheets named in the HTML (paths without the leading "/"). */
export function htmlAssets(html: string): { js: string[]; css: string[] } {
  const attr = (tag: string, name: string) => new RegExp(`\\b${name}="([^"]+)"`).exec(tag)?.[1];
  const js: string[] = [];
  const css: string[] = [];
  for (const tag of html.match(/<(script|link)\b[^>]*>/g) ?? []) {
    if (tag.startsWith('<script') && /type="module"/.test(tag)) {
      const src = attr(tag, 'src');
      if (src) js.push(src.replace(/^\//, ''));
    } else if (/rel="modulepreload"/.test(tag)) {
      const href = attr(tag, 'href');
      if (href) js.push(href.replace(/^\//, ''));
    } else if (/rel="stylesheet"/.test(tag)) {
      const href = attr(tag, 'href');
      if (href) css.push(href.replace(/^\//, ''));
    }
  }
  return { js, css };
}

async function bytesOf(dist: string, files: string[]): Promise<{ raw: number; gzip: number; files: AssetBytes[] }> {
  const list: AssetBytes[] = [];
  for (const file of files) {
    const content = await readFile(join(dist, file));
    list.push({ file, raw: content.length, gzip: gzipSync(content).length });
  }
  return { raw: list.reduce((n, f) => n + f.raw, 0), gzip: list.reduce((n, f) => n + f.gzip, 0), files: list.sort((a, b) => b.gzip - a.gzip) };
}

export async function loadBytes(dist: string): Promise<LoadBytes & { htmlMismatch: string[] }> {
  const manifest = JSON.parse(await readFile(join(dist, '.vite', 'manifest.json'), 'utf8')) as Record<string, ManifestChunk>;
  const html = await readFile(join(dist, 'index.html'));
  const initial = initialFiles(manifest);
  const named = htmlAssets(html.toString('utf8'));
  const known = new Set([...initial.js, ...initial.css]);
  const htmlMismatch = [...named.js, ...named.css].filter((f) => !known.has(f));
  return {
    js: await bytesOf(dist, initial.js),
    css: await bytesOf(dist, initial.css),
    html: { raw: html.length, gzip: gzipSync(html).length },
    htmlMismatch,
  };
}

/**
 * Runs in the page before any of its scripts: notes when a visible button named "Run" first appears, and
 * types a task into the textbox "Task" the moment it exists (as an instant user would, without the
 * latency of driving the page from outside), noting when "Run" is first enabled (the New run form enables
 * it once there is a task).
 */
const WATCH_RUN_BUTTON = `(() => {
  const TASK = 'Write a module that adds two numbers, with a test.';
  const state = { visibleAt: null, enabledAt: null, element: null };
  window.__benchRun = state;
  const text = (el) => (el?.textContent ?? '').trim();
  const named = (b) => (b.getAttribute('aria-label') ?? text(b)) === 'Run';
  const enabled = (b) => !b.disabled && b.getAttribute('aria-disabled') !== 'true';
  const isTask = (el) =>
    el.getAttribute('aria-label') === 'Task' ||
    [...(el.labels ?? [])].some((l) => text(l) === 'Task') ||
    (el.getAttribute('aria-labelledby') ?? '').split(' ').some((id) => id && text(document.getElementById(id)) === 'Task');
  const type = () => {
    const task = [...document.querySelectorAll('textarea, input')].find((el) => el.getClientRects().length > 0 && isTask(el));
    if (!task || task.value === TASK) return;
    task.value = TASK;
    task.dispatchEvent(new Event('input', { bubbles: true }));
  };
  const check = () => {
    for (const b of document.querySelectorAll('button')) {
      if (!named(b) || b.getClientRects().length === 0) continue;
      if (state.visibleAt === null) state.visibleAt = performance.now();
      if (enabled(b)) { state.enabledAt = performance.now(); state.element = b; observer.disconnect(); return; }
    }
    type();
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['disabled', 'aria-disabled', 'aria-label', 'hidden', 'style', 'class'] });
})();`;

interface RunWatch {
  visibleAt: number | null;
  enabledAt: number | null;
  element: Element | null;
}

interface Sample {
  fcp: number | null;
  runVisibleAt: number | null;
  runEnabledAt: number | null;
  note: string | null;
  fetched: { js: number; css: number; files: string[] };
}

/** One cold load, until the button "Run" is enabled by the task typed in the page. Times from the page's clock. */
async function oneLoad(browser: Browser, url: string, timeoutMs: number): Promise<Sample> {
  const context = await browser.newContext({ serviceWorkers: 'block', viewport: { width: 1440, height: 900 } });
  try {
    const page = await context.newPage();
    await page.addInitScript(WATCH_RUN_BUTTON);
    await page.goto(url, { waitUntil: 'commit' });
    const watch = () =>
      page.evaluate(() => {
        const { visibleAt, enabledAt } = (window as unknown as { __benchRun: RunWatch }).__benchRun;
        return { visibleAt, enabledAt };
      });
    let note: string | null = null;
    try {
      await page.waitForFunction(() => (window as unknown as { __benchRun: RunWatch }).__benchRun.enabledAt !== null, undefined, { timeout: timeoutMs });
      const run = page.getByRole('button', { name: 'Run', exact: true });
      const same = await run.evaluate((el) => el === (window as unknown as { __benchRun: RunWatch }).__benchRun.element);
      if (!same) note = 'the first enabled "Run" button seen was not the one found by role';
    } catch {
      note = `no button "Run" enabled by typing into the textbox "Task" within ${timeoutMs / 1000} s`;
    }
    const { visibleAt, enabledAt } = await watch();
    const timing = await page.evaluate((until) => {
      const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null;
      const resources = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
      const early = resources.filter((r) => until === null || r.startTime <= until);
      const size = (ext: RegExp) => early.filter((r) => ext.test(new URL(r.name).pathname)).reduce((n, r) => n + r.decodedBodySize, 0);
      return { fcp, js: size(/\.m?js$/), css: size(/\.css$/), files: early.map((r) => new URL(r.name).pathname) };
    }, visibleAt);
    return { fcp: timing.fcp, runVisibleAt: visibleAt, runEnabledAt: note ? null : enabledAt, note, fetched: { js: timing.js, css: timing.css, files: timing.files } };
  } finally {
    await context.close();
  }
}

export async function loadTimes(browser: Browser, url: string, samples: number, timeoutMs = 30_000): Promise<{ times: LoadTimes; fetched: LoadBytes['fetchedBeforeRun'] }> {
  const results: Sample[] = [];
  for (let i = 0; i < samples; i++) results.push(await oneLoad(browser, url, timeoutMs));
  const fcps = results.map((r) => r.fcp).filter((v): v is number => v !== null);
  const notes = [...new Set(results.map((r) => r.note).filter((n): n is string => n !== null))];
  const all = (pick: (s: Sample) => number | null): Summary | NotMeasured => {
    const values = results.map(pick).filter((v): v is number => v !== null);
    return values.length === results.length ? summarize(values) : { notMeasured: notes.join('; ') || 'the button "Run" was not found' };
  };
  const last = results.at(-1);
  const fetched: LoadBytes['fetchedBeforeRun'] =
    last && last.runVisibleAt !== null ? last.fetched : { notMeasured: 'the button "Run" never appeared, so there is no "before Run" to count' };
  return {
    times: { samples, firstContentfulPaint: summarize(fcps), runVisible: all((s) => s.runVisibleAt), runInteractive: all((s) => s.runEnabledAt) },
    fetched,
  };
}
