/**
 * A small initial load (issue 9, DESIGN.md §2): Monaco, the WebContainer API, the openai SDK and
 * gpt-tokenizer are not part of what the page loads to show the New run form; each loads when first
 * needed. Which packages a script holds is read from its source map, so chunk names do not matter.
 * Opening a file then loads Monaco with its editor worker only (no language-service workers).
 */
import type { Page } from '@playwright/test';
import { expect, expectRunStatus, fileItem, runScenario, test } from './fixtures.ts';

test.use({ scenario: 'three-step-fix' });

const LAZY_PACKAGES = ['monaco-editor', '@webcontainer/api', 'openai', 'gpt-tokenizer'] as const;
type LazyPackage = (typeof LAZY_PACKAGES)[number];

/** Records every script the page (and its workers) fetched from the app's own origin. */
function recordScripts(page: Page): Set<string> {
  const scripts = new Set<string>();
  page.on('response', (response) => {
    const url = new URL(response.url());
    if (url.pathname.endsWith('.js') && response.ok()) scripts.add(url.href);
  });
  return scripts;
}

/** The lazily wanted packages that the given scripts contain, by their source maps. */
async function packagesIn(page: Page, scripts: Iterable<string>): Promise<Set<LazyPackage>> {
  const found = new Set<LazyPackage>();
  for (const script of scripts) {
    if (new URL(script).origin !== new URL(page.url()).origin) continue;
    const map = await page.request.get(`${script}.map`);
    if (!map.ok() || !(map.headers()['content-type'] ?? '').includes('json')) {
      // The bundler's few-hundred-byte runtime has no map; nothing that size hides one of these packages.
      expect((await (await page.request.get(script)).body()).length, `${script} has no source map`).toBeLessThan(10_000);
      continue;
    }
    const { sources } = (await map.json()) as { sources: string[] };
    for (const name of LAZY_PACKAGES) {
      if (sources.some((source) => source.includes(`node_modules/${name}/`))) found.add(name);
    }
  }
  return found;
}

test('the New run form loads none of the heavy packages; a run and an opened file load only what they need', async ({ page, mock, app }) => {
  const scripts = recordScripts(page);
  const workers: string[] = [];
  page.on('worker', (worker) => workers.push(worker.url()));

  await app.open();
  await expect(page.getByRole('textbox', { name: 'Task', exact: true })).toBeVisible();
  await page.waitForLoadState('networkidle');
  expect(scripts.size).toBeGreaterThan(0);
  expect([...(await packagesIn(page, scripts))]).toEqual([]);
  let initialBytes = 0;
  for (const script of scripts) initialBytes += (await (await page.request.get(script)).body()).length;
  // Monaco alone is ~3.9 MB; the whole first load stays well under 1 MB of script.
  expect(initialBytes).toBeLessThan(1_000_000);

  // A run against an OpenAI-compatible server in the worker sandbox needs the SDK, nothing else heavy.
  await runScenario(page, mock, app, { sandbox: 'Worker only', status: 'completed' });
  const afterRun = await packagesIn(page, scripts);
  expect(afterRun.has('openai')).toBe(true);
  expect(afterRun.has('monaco-editor')).toBe(false);
  expect(afterRun.has('@webcontainer/api')).toBe(false);
  // The mock's model is not an OpenAI model: its tokens are estimated, so the tokenizer never loads.
  expect(afterRun.has('gpt-tokenizer')).toBe(false);

  // The first file opened loads Monaco; its diff runs in the editor worker, Monaco's only worker here.
  const workersBefore = workers.length;
  await fileItem(page, 'src/freq.js').click();
  const viewer = page.getByTestId('file-viewer');
  await expect(viewer.locator('.monaco-editor').first()).toBeVisible();
  await page.getByRole('button', { name: 'Diff with previous version' }).click();
  await expect(viewer.locator('.monaco-diff-editor .char-insert, .monaco-diff-editor .line-insert').first()).toBeAttached();
  expect((await packagesIn(page, scripts)).has('monaco-editor')).toBe(true);
  await expect.poll(() => workers.slice(workersBefore).length).toBeGreaterThan(0);
  for (const url of workers.slice(workersBefore)) expect(url).toMatch(/\/editor\.worker[^/]*\.js$/);
  expect(workers.filter((url) => /(ts|json|css|html)\.worker/.test(url))).toEqual([]);
  await expectRunStatus(page, 'completed');
  expect(app.errors).toEqual([]);
});
