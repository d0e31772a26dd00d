/**
 * Existing code and follow-ups in the built app (issue 11, DESIGN.md §4), by accessible names, against the
 * mock server: a small project with passing tests (tests/support/projects/thermo, plus a node_modules, a
 * .git and a binary as on a user's disk) is imported as a folder in New run's "Starting files", run
 * (scenario thermo-kelvin), then continued with "Follow-up task" (scenario thermo-decimals, which changes
 * one module and its test). The Changes view lists what changed, the patch from Export applies with git to
 * the follow-up's starting files and gives its final files, and the original run is exactly as it was.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import type { RunRecord, VersionRecord } from '../../src/store/types.ts';
import { gitApply, removeTempFolders, tempFolder, writeTree } from '../unit/followup/git.ts';
import { expect, expectRunStatus, fileItem, fillSettings, loadScenario, MOCK_API_KEY, startRun, test } from './fixtures.ts';

test.use({ scenario: 'thermo-kelvin' });

const FIXTURE = fileURLToPath(new URL('../support/projects/thermo', import.meta.url));

test.afterEach(() => removeTempFolders());

/** The fixture as it sits on a user's disk: with installed dependencies, a repository and a binary. */
function projectOnDisk(): string {
  const project = join(tempFolder('l2mac-e2e-'), 'thermo');
  cpSync(FIXTURE, project, { recursive: true });
  writeTree(project, {
    'node_modules/left-pad/index.js': 'module.exports = () => {};\n',
    'node_modules/left-pad/package.json': '{"name":"left-pad"}\n',
    '.git/HEAD': 'ref: refs/heads/main\n',
    'docs/logo.png': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
  });
  return project;
}

interface RunSnapshot {
  run: RunRecord;
  files: Record<string, string>;
  /** Path → content hash of the current files. */
  hashes: Record<string, string>;
  versions: VersionRecord[];
  events: number;
  checkpoint: unknown;
}

/** Everything the app's IndexedDB holds of one run, with its files' contents. */
function snapshot(page: Page, runId: string): Promise<RunSnapshot> {
  return page.evaluate(async (id) => {
    const request = <T,>(r: IDBRequest<T>) =>
      new Promise<T>((resolve, reject) => {
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
    const db = await request(indexedDB.open('l2mac-web'));
    const tx = db.transaction(['runs', 'files', 'blobs', 'versions', 'events', 'checkpoints']);
    const ofRun = IDBKeyRange.bound([id], [id, []]);
    const run = await request(tx.objectStore('runs').get(id));
    const rows = (await request(tx.objectStore('files').getAll(ofRun))) as { path: string; hash: string }[];
    const files: Record<string, string> = {};
    const hashes: Record<string, string> = {};
    for (const row of rows) {
      files[row.path] = ((await request(tx.objectStore('blobs').get(row.hash))) as { content: string }).content;
      hashes[row.path] = row.hash;
    }
    const versions = await request(tx.objectStore('versions').getAll(ofRun));
    const events = await request(tx.objectStore('events').count(ofRun));
    const checkpoint = await request(tx.objectStore('checkpoints').get(id));
    db.close();
    return { run, files, hashes, versions, events, checkpoint } as RunSnapshot;
  }, runId);
}

async function storedRunIds(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open('l2mac-web');
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const keys = await new Promise<IDBValidKey[]>((resolve, reject) => {
      const r = db.transaction('runs').objectStore('runs').getAllKeys();
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    db.close();
    return keys.map(String);
  });
}

async function download(page: Page, click: () => Promise<void>): Promise<{ name: string; text: string }> {
  const saved = page.waitForEvent('download');
  await click();
  const file = await saved;
  return { name: file.suggestedFilename(), text: readFileSync(await file.path(), 'utf8') };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function startingFiles(page: Page) {
  return page.getByRole('group', { name: /Starting files/ });
}

test('import a folder, run, follow up; the Changes view and the patch show the change, and the original run stays as it was', async ({ page, mock, app }) => {
  test.setTimeout(150_000);
  const kelvin = app.scenario!;
  const decimals = loadScenario('thermo-decimals');
  await app.open();
  await fillSettings(page, { baseURL: mock.url });

  // New run → Starting files: the folder as the browser's folder input gives it.
  await page.getByLabel('Folder to import', { exact: true }).setInputFiles(projectOnDisk());
  const summary = startingFiles(page).getByRole('status');
  await expect(summary).toContainText('Imported 6 files');
  await expect(summary).toContainText('left out 4 files');
  await expect(summary).toContainText('from folder thermo');
  await expect(summary.getByRole('listitem').filter({ hasText: '3 files in dependency, version-control' })).toBeVisible();
  await expect(summary.getByRole('listitem').filter({ hasText: '1 binary file left out' })).toBeVisible();

  await startRun(page, kelvin.task, { sandbox: 'Worker only', stepCap: kelvin.settings?.maxSteps ?? 2 });
  await expectRunStatus(page, 'completed');
  await expect(page.getByText('Imported from folder thermo', { exact: true })).toBeVisible();
  const [originalId] = await storedRunIds(page);
  const before = await snapshot(page, originalId!);
  expect(before.run.origin).toEqual({ kind: 'import', label: 'Imported from folder thermo', files: 6 });
  expect(before.files).toEqual(kelvin.expectedFiles);
  // The imported files are version 1 of each, at step 0: exactly the project without what was left out.
  const atStart = before.versions.filter((v) => v.step === 0).map((v) => v.path).sort();
  expect(atStart).toEqual(Object.keys(kelvin.startingFiles!).sort());

  // Follow-up task → the New run form starts from this run's files.
  mock.setScenario(decimals);
  await page.getByRole('button', { name: 'Follow-up task', exact: true }).click();
  await expect(startingFiles(page)).toContainText(`From the run “${before.run.title}”.`);
  await startRun(page, decimals.task, { sandbox: 'Worker only', stepCap: decimals.settings?.maxSteps ?? 2 });
  await expectRunStatus(page, 'completed');
  const followId = (await storedRunIds(page)).find((id) => id !== originalId)!;
  const follow = await snapshot(page, followId);
  expect(follow.run.parentRunId).toBe(originalId);
  expect(follow.run.origin?.kind).toBe('follow-up');
  expect(follow.files).toEqual(decimals.expectedFiles);
  expect(follow.run.report?.check).toMatchObject({ passed: 5, failed: 0 });
  // It started from the original's final files, sharing their blobs (the same hashes, no copies).
  const followStart = Object.fromEntries(follow.versions.filter((v) => v.step === 0).map((v) => [v.path, v.hash]));
  expect(followStart).toEqual(before.hashes);
  for (const path of Object.keys(decimals.expectedFiles!)) await expect(fileItem(page, path)).toBeVisible();

  // The Changes view: the one module and its test, nothing else.
  await page.getByRole('tab', { name: 'Changes', exact: true }).click();
  const panel = page.getByRole('tabpanel');
  await expect(panel).toContainText('2 files changed');
  await expect(panel).toContainText('4 unchanged since the start');
  const changed = panel.locator('details');
  await expect(changed).toHaveCount(2);
  await expect(changed.nth(0).locator('summary')).toContainText('changed');
  await expect(changed.nth(0).locator('summary')).toContainText('src/format.js');
  await expect(changed.nth(1).locator('summary')).toContainText('src/format.test.js');
  await expect(changed.nth(0)).toContainText('+export function formatTemperature(value, unit, decimals = 1) {');

  // Export → the patch; it is the Changes view's patch, and git applies it to the starting files.
  await page.getByText('Export', { exact: true }).click();
  const patch = await download(page, () => page.getByRole('button', { name: 'Patch against the starting files', exact: true }).click());
  expect(patch.name).toMatch(/\.patch$/);
  expect(patch.text).toContain('diff --git a/src/format.js b/src/format.js');
  expect(patch.text).toContain('--- a/src/format.test.js\n+++ b/src/format.test.js');
  expect(patch.text).not.toContain('convert.js');
  const fromPanel = await download(page, () => panel.getByRole('button', { name: 'Download patch', exact: true }).click());
  expect(fromPanel.text).toBe(patch.text);
  const applied = gitApply(before.files, patch.text);
  expect(applied.stderr).toBe('');
  expect(applied.ok).toBe(true);
  expect(applied.files).toEqual(decimals.expectedFiles);

  // The original run: record, files, versions, events and checkpoint exactly as before the follow-up.
  expect(await snapshot(page, originalId!)).toEqual(before);
  await page.getByRole('navigation', { name: 'Runs' }).getByRole('button', { name: new RegExp(`^${escapeRegExp(before.run.title)}`) }).click();
  await expectRunStatus(page, 'completed');
  await page.getByRole('tab', { name: 'Changes', exact: true }).click();
  const own = page.getByRole('tabpanel').locator('details summary');
  await expect(own).toHaveCount(2);
  await expect(own.nth(0)).toContainText('src/convert.js');
  await expect(own.nth(1)).toContainText('src/convert.test.js');

  for (const request of mock.chatRequests) expect(request.headers.authorization).toBe(`Bearer ${MOCK_API_KEY}`);
  expect(app.errors).toEqual([]);
});

test('a zip is imported the same, without its top folder, and can be removed again', async ({ page, app }) => {
  const kelvin = app.scenario!;
  const project = projectOnDisk();
  execFileSync('zip', ['-q', '-r', '-y', 'thermo.zip', 'thermo'], { cwd: dirname(project) });
  await app.open();

  await page.getByLabel('Zip to import', { exact: true }).setInputFiles(join(dirname(project), 'thermo.zip'));
  const summary = startingFiles(page).getByRole('status');
  await expect(summary).toContainText('Imported 6 files');
  await expect(summary).toContainText('from zip thermo.zip');
  await expect(summary.getByRole('listitem').filter({ hasText: '1 binary file left out' })).toBeVisible();

  await startingFiles(page).getByRole('button', { name: 'Remove the imported files', exact: true }).click();
  await expect(summary).toBeHidden();
  await expect(startingFiles(page).getByRole('button', { name: 'Import a folder', exact: true })).toBeVisible();
  expect(Object.keys(kelvin.startingFiles!)).toHaveLength(6);
  expect(app.errors).toEqual([]);
});
