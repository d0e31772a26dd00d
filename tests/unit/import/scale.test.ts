/**
 * 5,000 imported files (the store's limit) through the import, both stores, a follow-up that shares them,
 * the listing given to the model and the tree's rows. Asserts correctness only: timing never gates a test.
 */
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { importFromFileList, importFromZip } from '../../../src/import/index.ts';
import { MAX_FILES } from '../../../src/l2mac/paths.ts';
import { fileListing, Workspace } from '../../../src/l2mac/workspace.ts';
import { IdbStore } from '../../../src/store/indexeddb.ts';
import { MemoryStore } from '../../../src/store/memory.ts';
import type { FileStore, RunSettings } from '../../../src/store/types.ts';
import { visibleRows } from '../../../src/ui/model/file-tree.ts';
import { settings } from '../l2mac/harness.ts';
import { zipOf } from './zip-bytes.ts';

/** A project of `count` files in nested folders (packages/pN/src/moduleM/…), each a few lines. */
function project(count: number): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < count; i++) {
    const path = `packages/p${i % 25}/src/module${Math.floor(i / 25) % 20}/file${i}.js`;
    files[path] = `// file ${i}\nexport const value${i} = ${i};\n`;
  }
  return files;
}

function pickedFile(relativePath: string, content: string): File {
  const file = new File([content], relativePath.split('/').pop() ?? relativePath);
  Object.defineProperty(file, 'webkitRelativePath', { value: relativePath });
  return file;
}

const runSettings: RunSettings = settings();

async function checkStore(store: FileStore, files: Record<string, string>): Promise<void> {
  const run = await store.createRun({ task: 'Change the project', domain: 'codebase', settings: runSettings, files });
  const listed = await store.listFiles(run.id);
  expect(listed).toHaveLength(MAX_FILES);
  expect(listed.every((f) => f.version === 1)).toBe(true);
  expect(await store.filesAtStep(run.id, 0)).toEqual(files);
  expect(await store.readAllFiles(run.id)).toEqual(files);
  const versions = await store.listVersions(run.id);
  expect(versions).toHaveLength(MAX_FILES);
  expect(versions.every((v) => v.cause === 'start' && v.step === 0 && v.turn === 0)).toBe(true);

  // A follow-up starts from the same files, sharing their blobs.
  const follow = await store.createRun({ task: 'Follow up', domain: 'codebase', settings: runSettings, filesFromRun: run.id, parentRunId: run.id });
  const followListed = await store.listFiles(follow.id);
  expect(followListed.map((f) => [f.path, f.hash])).toEqual(listed.map((f) => [f.path, f.hash]));
  expect(await store.filesAtStep(follow.id, 0)).toEqual(files);
}

describe('5,000 imported files', () => {
  const files = project(MAX_FILES);

  it('a zip of 5,000 files imports whole; one more file is past the limit', async () => {
    const zipped = zipOf(Object.fromEntries(Object.entries(files).map(([p, c]) => [`repo/${p}`, c])), 0);
    const result = await importFromZip(zipped, 'repo.zip');
    expect(result.summary.imported.files).toBe(MAX_FILES);
    expect({ ...result.files }).toEqual(files);

    const over = await importFromZip(zipOf({ ...files, 'zzz.js': 'one too many' }, 0), 'over.zip');
    expect(over.summary.imported.files).toBe(MAX_FILES);
    expect(over.summary.skipped).toEqual([{ reason: 'over-file-limit', count: 1, unit: 'file', examples: [{ path: 'zzz.js' }], unshown: 0 }]);
  });

  it('a folder of 5,000 files (and a node_modules beside them) imports whole', async () => {
    const list = Object.entries(files).map(([p, c]) => pickedFile(`repo/${p}`, c));
    for (let i = 0; i < 2000; i++) list.push(pickedFile(`repo/node_modules/dep${i}/index.js`, 'x'));
    const result = await importFromFileList(list);
    expect(result.summary.imported.files).toBe(MAX_FILES);
    expect(result.summary.skipped).toEqual([
      { reason: 'ignored-folder', count: 2000, unit: 'file', examples: [{ path: 'node_modules/', detail: 'dependencies, 2,000 files' }], unshown: 0 },
    ]);
  });

  it('MemoryStore holds them as one run and a follow-up of it', async () => {
    await checkStore(new MemoryStore(), files);
  });

  it('IdbStore (fake-indexeddb) holds them as one run and a follow-up of it', async () => {
    globalThis.indexedDB = new IDBFactory();
    const store = await IdbStore.open({ name: 'scale' });
    try {
      await checkStore(store, files);
    } finally {
      store.close();
    }
  });

  it('the listing given to the model stays bounded; the tree has a row per file and folder', () => {
    const listing = fileListing(new Workspace(files));
    const lines = listing.split('\n');
    expect(lines[0]).toBe('5000 files; some folders are collapsed:');
    expect(lines.length).toBeLessThanOrEqual(201);
    expect(listing).toContain('packages/p0/src/ (200 files, 400 lines; use list_files to see them)');

    const rows = visibleRows(Object.keys(files));
    expect(rows.filter((r) => !r.folder)).toHaveLength(MAX_FILES);
    expect(rows.filter((r) => r.folder)).toHaveLength(1 + 25 + 25 + 25 * 20);
  });
});
