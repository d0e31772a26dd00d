#!/usr/bin/env node
/**
 * Takes the README screenshot (`docs/screenshot.png`): builds the app (unless SKIP_BUILD=1), serves it
 * with `vite preview`, starts the mock OpenAI-compatible server playing a scripted scenario, drives a run
 * to completion in headless Chromium by the app's accessible names, and captures the completed run: by
 * default its transcript where a failing test is fixed. Its own script, not a test:
 * `node scripts/screenshot.mjs [--out docs/screenshot.png] [--dark] [--width 1440] [--view fix|diff|transcript|report|new]`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { createServer as createViteServer } from 'vite';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const out = resolve(root, args.includes('--out') ? args[args.indexOf('--out') + 1] : 'docs/screenshot.png');
const dark = args.includes('--dark');
/** What the capture shows: the fix in the transcript (default), the diff of the fixed file, the transcript's end, the report, or the New run form. */
const view = args.includes('--view') ? args[args.indexOf('--view') + 1] : 'fix';
if (!['fix', 'diff', 'transcript', 'report', 'new'].includes(view)) throw new Error(`Unknown --view ${view}: use fix, diff, transcript, report or new.`);
const width = args.includes('--width') ? Number(args[args.indexOf('--width') + 1]) : 1440;
const port = Number(process.env.PREVIEW_PORT ?? 4299);
const distDir = process.env.DIST_DIR ?? 'dist-screenshot';
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const scenarioName = process.env.SCENARIO ?? 'three-step-fix';

function run(command, commandArgs, env) {
  const result = spawnSync(command, commandArgs, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (result.status !== 0) throw new Error(`${command} ${commandArgs.join(' ')} failed`);
}

async function waitForHttp(url, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // Not up yet.
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

/** Loads the TypeScript mock server through Vite's module loader (Node 20 does not run TypeScript). */
async function loadMockServer() {
  const vite = await createViteServer({ root, configFile: false, logLevel: 'error', server: { middlewareMode: true, hmr: false }, appType: 'custom', optimizeDeps: { noDiscovery: true, include: [] } });
  const module = await vite.ssrLoadModule('/tests/support/mock-server.ts');
  return { module, vite };
}

async function capture(page) {
  mkdirSync(dirname(out), { recursive: true });
  await page.screenshot({ path: out });
  console.log(`Wrote ${out}`);
}

async function main() {
  if (process.env.SKIP_BUILD !== '1') run('npx', ['vite', 'build', '--logLevel', 'warn'], { DIST_DIR: distDir });

  const preview = spawn('npx', ['vite', 'preview', '--port', String(port), '--strictPort'], {
    cwd: root,
    env: { ...process.env, DIST_DIR: distDir, PREVIEW_PORT: String(port) },
    stdio: 'ignore',
    detached: true,
  });
  const { module, vite } = await loadMockServer();
  const scenario = JSON.parse(readFileSync(resolve(root, `tests/support/scenarios/${scenarioName}.json`), 'utf8'));
  const mock = await module.createMockServer({ scenario });
  const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
  try {
    await waitForHttp(`http://127.0.0.1:${port}/`, 30_000);
    const context = await browser.newContext({
      viewport: { width, height: 900 },
      deviceScaleFactor: 1,
      colorScheme: dark ? 'dark' : 'light',
      serviceWorkers: 'block',
    });
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${port}/?wcBootMs=1000`);
    await page.getByRole('textbox', { name: 'Task', exact: true }).waitFor();

    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Settings' });
    await dialog.getByRole('textbox', { name: 'Base URL', exact: true }).fill(mock.url);
    await dialog.getByLabel('API key', { exact: true }).fill('sk-screenshot-not-a-real-key');
    await dialog.getByRole('textbox', { name: 'Model', exact: true }).fill('gpt-5.4-mini');
    await dialog.getByRole('button', { name: 'Save', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });

    if (view === 'new') {
      await page.getByRole('textbox', { name: 'Task', exact: true }).fill(scenario.task);
      await capture(page);
      return;
    }
    await page.getByRole('textbox', { name: 'Task', exact: true }).fill(scenario.task);
    await page.getByRole('spinbutton', { name: 'Step cap', exact: true }).fill(String(scenario.settings?.maxSteps ?? 3));
    await page.getByRole('combobox', { name: 'Sandbox', exact: true }).selectOption({ label: 'Worker only' });
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.getByTestId('run-status').filter({ hasText: /^completed$/ }).waitFor({ timeout: 120_000 });

    if (view === 'transcript' || view === 'report') {
      await page.getByRole('tab', { name: view === 'report' ? 'Report' : 'Transcript' }).click();
    } else if (view === 'fix') {
      // The transcript where step 2's first attempt fails its test and the agent fixes it.
      await page.getByRole('tab', { name: 'Transcript' }).click();
      const failed = page.locator('.check.bad').first();
      await failed.waitFor();
      await failed.evaluate((element) => element.closest('article')?.parentElement?.previousElementSibling?.scrollIntoView({ block: 'start' }));
      await page.waitForTimeout(300); // let the virtual list settle after the jump
    } else if (view === 'diff') {
      await page.getByRole('treeitem', { name: 'src/freq.js', exact: true }).click();
      await page.getByTestId('file-viewer').locator('.monaco-editor').first().waitFor();
      await page.getByRole('button', { name: 'Diff with previous version' }).click();
      await page.getByTestId('file-viewer').locator('.monaco-diff-editor').waitFor();
      await page.waitForTimeout(600); // let Monaco finish colouring the diff before the capture
    }
    await capture(page);
  } finally {
    await browser.close();
    await mock.close();
    await vite.close();
    try {
      process.kill(-preview.pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
