/**
 * Existing code and follow-ups in Chromium (DESIGN.md §4; issue 11): a small project with passing tests
 * (tests/support/projects/thermo, plus a node_modules, a .git and a binary as on a user's disk) is chosen
 * as a folder in the ImportFiles component; a run on it and then a follow-up task that changes one module
 * and its test run through the real control unit, IndexedDB, the worker sandbox and the real OpenAiLlm
 * against the mock server; the final files, the untouched original run and the downloaded patch (applied
 * with git) are checked. The app's New run form does not mount ImportFiles yet, so the runs start through
 * `window.harness.import` (tests/harness/expose-import.ts).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { parseScenario, type Scenario } from '../../src/llm/scenario.ts';
import { createMockServer, type MockServer } from '../support/mock-server.ts';
import type { LlmTarget, RunOutcome, RunSnapshot } from '../harness/expose-import.ts';

interface ImportApi {
  mountImport(options?: { directoryPicker?: 'auto' | 'never' }): void;
  lastImport(): { count: number; result: { files: Record<string, string>; summary: { imported: { files: number } } } | null };
  runImported(target: LlmTarget, task: string, maxSteps?: number): Promise<RunOutcome>;
  followUp(parentRunId: string, target: LlmTarget, task: string, maxSteps?: number): Promise<RunOutcome>;
  snapshot(runId: string): Promise<RunSnapshot>;
  mountDiff(runId: string): Promise<void>;
}

const FIXTURE = fileURLToPath(new URL('../support/projects/thermo', import.meta.url));

function scenario(name: string): Scenario {
  return parseScenario(JSON.parse(readFileSync(fileURLToPath(new URL(`../support/scenarios/${name}.json`, import.meta.url)), 'utf8')));
}

function readTree(root: string, dir = root): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) {
    if (name === '.git') continue;
    const full = join(dir, name);
    if (statSync(full).isDirectory()) Object.assign(out, readTree(root, full));
    else out[relative(root, full)] = readFileSync(full, 'utf8');
  }
  return out;
}

const temp: string[] = [];
let mock: MockServer;

test.beforeEach(async () => {
  mock = await createMockServer({ scenario: scenario('thermo-kelvin') });
});

test.afterEach(async () => {
  await mock.close();
  for (const dir of temp.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The fixture as it sits on a user's disk: with installed dependencies, a repository and a binary. */
function projectOnDisk(): string {
  const dir = mkdtempSync(join(tmpdir(), 'l2mac-e2e-'));
  temp.push(dir);
  const project = join(dir, 'thermo');
  cpSync(FIXTURE, project, { recursive: true });
  const extra: Record<string, string | Uint8Array> = {
    'node_modules/left-pad/index.js': 'module.exports = () => {};\n',
    'node_modules/left-pad/package.json': '{"name":"left-pad"}\n',
    '.git/HEAD': 'ref: refs/heads/main\n',
    'docs/logo.png': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
  };
  for (const [path, content] of Object.entries(extra)) {
    mkdirSync(dirname(join(project, path)), { recursive: true });
    writeFileSync(join(project, path), content);
  }
  return project;
}

test('import a project, run a follow-up task, and download its patch; the original run stays as it was', async ({ page }) => {
  test.setTimeout(120_000);
  const kelvin = scenario('thermo-kelvin');
  const decimals = scenario('thermo-decimals');
  const target: LlmTarget = { baseURL: mock.url, apiKey: 'sk-test-e2e-0123456789abcdef', model: 'mock-coder-1', contextWindow: 128_000 };
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));

  await page.goto('/tests/harness/index.html');
  await page.evaluate(() => window.harnessReady);
  await page.evaluate(() => (window.harness.import as ImportApi).mountImport({ directoryPicker: 'never' }));

  // Choose the folder as a user does (the browser's folder input; the picker API is switched off).
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Choose a folder', exact: true }).click();
  await (await chooser).setFiles(projectOnDisk());
  const summary = page.getByTestId('import-summary');
  await expect(summary).toContainText('Imported 6 files');
  await expect(summary).toContainText('left out 4 files');
  const leftOut = page.getByRole('list', { name: 'Left out' });
  await expect(leftOut.getByRole('listitem').filter({ hasText: 'dependency, version-control' })).toContainText('3 files in dependency');
  await leftOut.getByText('1 binary file left out').click();
  await expect(leftOut.getByText('docs/logo.png — contains NUL bytes (binary)', { exact: true })).toBeVisible();
  await leftOut.getByText('3 files in dependency').click();
  await expect(leftOut.getByText('node_modules/ — dependencies, 2 files', { exact: true })).toBeVisible();
  await expect(leftOut.getByText('.git/ — version control, 1 file', { exact: true })).toBeVisible();
  await expect(leftOut.getByText(/and \d+ more/)).toHaveCount(0);
  const imported = await page.evaluate(() => (window.harness.import as ImportApi).lastImport());
  expect(imported.count).toBe(1);
  expect(imported.result?.files).toEqual(kelvin.startingFiles);

  // The run on the imported project (scenario thermo-kelvin), then the follow-up (thermo-decimals).
  const original = await page.evaluate(({ t, task }) => (window.harness.import as ImportApi).runImported(t, task), { t: target, task: kelvin.task });
  expect(original.run.status, original.run.statusReason).toBe('completed');
  expect(original.run.origin).toEqual({ kind: 'import', label: 'Imported from folder thermo', files: 6 });
  expect(original.files).toEqual(kelvin.expectedFiles);
  const before = await page.evaluate((id) => (window.harness.import as ImportApi).snapshot(id), original.run.id);

  mock.setScenario(decimals);
  const follow = await page.evaluate(({ id, t, task }) => (window.harness.import as ImportApi).followUp(id, t, task), { id: original.run.id, t: target, task: decimals.task });
  expect(follow.run.status, follow.run.statusReason).toBe('completed');
  expect(follow.run.parentRunId).toBe(original.run.id);
  expect(follow.files).toEqual(decimals.expectedFiles);
  expect(follow.run.report?.check).toMatchObject({ passed: 5, failed: 0 });

  // The original run is exactly as it was: record, files, starting files and every version.
  const after = await page.evaluate((id) => (window.harness.import as ImportApi).snapshot(id), original.run.id);
  expect(after).toEqual(before);
  const followSnapshot = await page.evaluate((id) => (window.harness.import as ImportApi).snapshot(id), follow.run.id);
  expect(followSnapshot.startingFiles).toEqual(kelvin.expectedFiles);

  // The follow-up's changes, per file, and the downloaded patch.
  await page.evaluate((id) => (window.harness.import as ImportApi).mountDiff(id), follow.run.id);
  await expect(page.getByText('2 files changed, +7 −2 (4 unchanged)')).toBeVisible();
  const changed = page.getByRole('list', { name: 'Changed files' }).getByRole('listitem');
  await expect(changed).toHaveCount(2);
  await expect(changed.nth(0)).toContainText('modified');
  await expect(changed.nth(0)).toContainText('src/format.js');
  await expect(changed.nth(0)).toContainText('+2 −2');
  await expect(changed.nth(1)).toContainText('src/format.test.js');
  await changed.nth(0).getByText('src/format.js').click();
  await expect(page.getByLabel('Diff of src/format.js')).toContainText('+export function formatTemperature(value, unit, decimals = 1) {');

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download patch', exact: true }).click();
  const saved = await download;
  expect(saved.suggestedFilename()).toMatch(/^give-formattemperature.*\.patch$/);
  const patch = readFileSync(await saved.path(), 'utf8');
  expect(patch).toContain('diff --git a/src/format.js b/src/format.js');
  expect(patch).toContain('--- a/src/format.test.js\n+++ b/src/format.test.js');

  // The patch applies with git to the original run's files and gives the follow-up's.
  const checkout = mkdtempSync(join(tmpdir(), 'l2mac-apply-'));
  temp.push(checkout);
  execFileSync('git', ['init', '-q'], { cwd: checkout });
  for (const [path, content] of Object.entries(original.files)) {
    mkdirSync(dirname(join(checkout, path)), { recursive: true });
    writeFileSync(join(checkout, path), content);
  }
  const applied = spawnSync('git', ['apply', '--whitespace=nowarn', '-'], { cwd: checkout, input: patch, encoding: 'utf8' });
  expect(applied.stderr).toBe('');
  expect(applied.status).toBe(0);
  expect(readTree(checkout)).toEqual(decimals.expectedFiles);

  // Every request reached the mock with the key, and none was unexpected.
  expect(mock.chatRequests.length).toBeGreaterThanOrEqual(10);
  for (const request of mock.chatRequests) expect(request.headers.authorization).toBe(`Bearer ${target.apiKey}`);
  expect(errors).toEqual([]);
});

test('a zip is imported the same, without its top folder', async ({ page }) => {
  const kelvin = scenario('thermo-kelvin');
  const project = projectOnDisk();
  execFileSync('zip', ['-q', '-r', '-y', 'thermo.zip', 'thermo'], { cwd: dirname(project) });
  await page.goto('/tests/harness/index.html');
  await page.evaluate(() => window.harnessReady);
  await page.evaluate(() => (window.harness.import as ImportApi).mountImport());

  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Choose a zip', exact: true }).click();
  await (await chooser).setFiles(join(dirname(project), 'thermo.zip'));
  const summary = page.getByTestId('import-summary');
  await expect(summary).toContainText('Imported 6 files');
  await expect(summary).toContainText('From the zip “thermo.zip”, without its top folder “thermo/”.');
  const imported = await page.evaluate(() => (window.harness.import as ImportApi).lastImport());
  expect(imported.result?.files).toEqual(kelvin.startingFiles);

  await page.getByRole('button', { name: 'Remove imported files', exact: true }).click();
  await expect(summary).toBeHidden();
  expect((await page.evaluate(() => (window.harness.import as ImportApi).lastImport())).result).toBeNull();
});
