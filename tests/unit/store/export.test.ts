import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { beforeEach, describe, expect, it } from 'vitest';
import { initialCheckpoint } from '../../../src/l2mac/checkpoint.ts';
import { InvalidBundleError } from '../../../src/store/errors.ts';
import { exportRunBundle, IMPORTED_WHILE_RUNNING_REASON, importRunBundle, zipFiles } from '../../../src/store/export.ts';
import { IdbStore } from '../../../src/store/indexeddb.ts';
import { MemoryStore } from '../../../src/store/memory.ts';
import type { AppStore } from '../../../src/store/types.ts';
import { sampleRun, SAMPLE_SETTINGS, statusEvent } from '../../support/store-contract.ts';

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
});

/** A run with starting files, three turns over two steps (a delete, a re-creation), events and a checkpoint. */
async function richRun(store: AppStore, status: 'running' | 'completed' = 'completed'): Promise<string> {
  const run = await store.createRun(sampleRun({ title: 'Rich', files: { 'README.md': '# start\n' } }));
  const checkpoint = { ...initialCheckpoint(), phase: 'executing' as const, stepIndex: 1 };
  const commit = (step: number, turn: number, seq: number, changes: Record<string, string | null>) =>
    store.commitTurn(run.id, {
      step,
      turn,
      changes: Object.entries(changes).map(([path, content]) => ({ path, content })),
      events: [statusEvent(run.id, seq)],
      checkpoint,
      run: { status, plan: [{ instruction: 'write it', state: 'completed' }] },
    });
  await commit(1, 1, 1, { 'src/a.js': 'export const a = 1;\n', 'src/b.js': 'b' });
  await commit(1, 2, 2, { 'src/b.js': null, 'src/a.js': 'export const a = 2;\n' });
  await commit(2, 1, 3, { 'src/b.js': 'b again', 'src/ünïcode.md': 'π ≈ 3.14 — ✓\n' });
  return run.id;
}

async function everything(store: AppStore, runId: string) {
  return {
    files: await store.readAllFiles(runId),
    entries: await store.listFiles(runId),
    versions: (await store.listVersions(runId)).map(({ runId: _r, ...v }) => v),
    events: (await store.listEvents(runId)).map(({ runId: _r, ...e }) => e),
    checkpoint: await store.getCheckpoint(runId),
    atStep1: await store.filesAtStep(runId, 1),
  };
}

function rezip(bundle: Uint8Array, edit: (entries: Record<string, Uint8Array>) => void): Uint8Array {
  const entries = unzipSync(bundle);
  edit(entries);
  return zipSync(entries);
}

function editManifest(bundle: Uint8Array, edit: (manifest: Record<string, unknown>) => void): Uint8Array {
  return rezip(bundle, (entries) => {
    const manifest = JSON.parse(strFromU8(entries['manifest.json']!)) as Record<string, unknown>;
    edit(manifest);
    entries['manifest.json'] = strToU8(JSON.stringify(manifest));
  });
}

describe('zipFiles', () => {
  it('zips the current files with their folders', () => {
    const files = { 'package.json': '{}', 'src/lib/a.js': 'a', 'docs/ü.md': 'ü' };
    const unzipped = unzipSync(zipFiles(files));
    expect(Object.fromEntries(Object.entries(unzipped).map(([p, d]) => [p, strFromU8(d)]))).toEqual(files);
  });

  it('zips a file named __proto__ like any other', () => {
    const files = Object.create(null) as Record<string, string>;
    files['__proto__'] = 'p';
    files['a.js'] = 'a';
    // unzipSync's result is a plain object too, so read the entry names through its filter.
    const names: string[] = [];
    unzipSync(zipFiles(files), { filter: (file) => (names.push(file.name), false) });
    expect(names.sort()).toEqual(['__proto__', 'a.js']);
  });
});

describe('run bundles', () => {
  it('round trip into another browser (MemoryStore → IdbStore) gives the same run, files, versions and events', async () => {
    const source = new MemoryStore();
    const id = await richRun(source);
    const bundle = await exportRunBundle(source, id);
    const target = await IdbStore.open({ name: 'import-target' });
    const imported = await importRunBundle(target, bundle);
    expect(imported.id).toBe(id);
    expect(imported).toEqual(await source.getRun(id));
    expect(await target.getRun(id)).toEqual(await source.getRun(id));
    expect(await everything(target, id)).toEqual(await everything(source, id));
    // The imported run goes on like the original.
    await target.commitTurn(id, { step: 3, turn: 1, changes: [{ path: 'src/b.js', content: 'b3' }], events: [statusEvent(id, 4)], checkpoint: initialCheckpoint() });
    expect((await target.listVersions(id, 'src/b.js')).map((v) => v.version)).toEqual([1, 2, 3, 4]);
    target.close();
  });

  it('IdbStore → MemoryStore round trip, too', async () => {
    const source = await IdbStore.open({ name: 'export-source' });
    const id = await richRun(source);
    const target = new MemoryStore();
    await importRunBundle(target, await exportRunBundle(source, id));
    expect(await everything(target, id)).toEqual(await everything(source, id));
    source.close();
  });

  it('importing where the id exists takes a new id and leaves the existing run alone', async () => {
    const store = new MemoryStore();
    const id = await richRun(store);
    const before = await everything(store, id);
    const copy = await importRunBundle(store, await exportRunBundle(store, id));
    expect(copy.id).not.toBe(id);
    expect(await everything(store, copy.id)).toEqual(before);
    expect((await store.listEvents(copy.id)).every((e) => e.runId === copy.id)).toBe(true);
    expect((await store.listVersions(copy.id)).every((v) => v.runId === copy.id)).toBe(true);
    expect(await everything(store, id)).toEqual(before);
    await store.deleteRun(id);
    expect(await store.readAllFiles(copy.id)).toEqual(before.files);
  });

  it('a run exported while running comes in interrupted, to be resumed', async () => {
    const source = new MemoryStore();
    const id = await richRun(source, 'running');
    const imported = await importRunBundle(new MemoryStore(), await exportRunBundle(source, id));
    expect([imported.status, imported.statusReason]).toEqual(['interrupted', IMPORTED_WHILE_RUNNING_REASON]);
  });

  it('holds a format version and every blob once, by hash', async () => {
    const source = new MemoryStore();
    const id = await richRun(source);
    const entries = unzipSync(await exportRunBundle(source, id));
    const manifest = JSON.parse(strFromU8(entries['manifest.json']!)) as { format: string; formatVersion: number; blobs: { hash: string }[] };
    expect([manifest.format, manifest.formatVersion]).toEqual(['l2mac-run-bundle', 1]);
    const hashes = new Set((await source.listVersions(id)).flatMap((v) => (v.hash ? [v.hash] : [])));
    expect(manifest.blobs.map((b) => b.hash).sort()).toEqual([...hashes].sort());
    expect(Object.keys(entries).filter((p) => p.startsWith('blobs/'))).toHaveLength(hashes.size);
  });

  describe('a damaged or changed bundle is refused whole, with a message that says why', () => {
    let bundle: Uint8Array;
    beforeEach(async () => {
      const source = new MemoryStore();
      bundle = await exportRunBundle(source, await richRun(source));
    });

    const cases: [string, () => Uint8Array, RegExp][] = [
      ['not a zip', () => strToU8('just text'), /not a zip archive/],
      ['a truncated zip', () => bundle.slice(0, Math.floor(bundle.length / 2)), /not a zip archive|damaged|no manifest/],
      ['a zip without a manifest', () => zipFiles({ 'a.js': 'a' }), /no manifest\.json/],
      ['a manifest that is not JSON', () => rezip(bundle, (e) => void (e['manifest.json'] = strToU8('{oops'))), /not valid JSON/],
      ['another kind of file', () => editManifest(bundle, (m) => void (m.format = 'something-else')), /not an L2MAC run bundle/],
      ['a newer format', () => editManifest(bundle, (m) => void (m.formatVersion = 2)), /newer version of the app/],
      [
        'a blob changed after export',
        () =>
          rezip(bundle, (e) => {
            const blob = Object.keys(e).find((p) => p.startsWith('blobs/'))!;
            e[blob] = strToU8('tampered content');
          }),
        /does not match its hash/,
      ],
      [
        'a blob removed',
        () =>
          rezip(bundle, (e) => {
            delete e[Object.keys(e).find((p) => p.startsWith('blobs/'))!];
          }),
        /is missing from it/,
      ],
      ['events out of order', () => editManifest(bundle, (m) => void (m.events as unknown[]).reverse()), /not in order/],
      ['an event dropped', () => editManifest(bundle, (m) => void (m.events as unknown[]).pop()), /has 2 events but the run says 3/],
      ['a version dropped', () => editManifest(bundle, (m) => void (m.versions as unknown[]).splice(1, 1)), /not numbered 1, 2, 3/],
      ['a version of another run', () => editManifest(bundle, (m) => void ((m.versions as Record<string, unknown>[])[0]!.runId = 'x')), /belongs to another run/],
      ['an unknown status', () => editManifest(bundle, (m) => void ((m.run as Record<string, unknown>).status = 'weird')), /status "weird" is unknown/],
      [
        'an API key slipped in',
        () =>
          editManifest(bundle, (m) => {
            const run = m.run as { settings: { llm: Record<string, unknown> } };
            run.settings.llm.apiKey = 'sk-secret';
          }),
        /credentials are never imported/,
      ],
    ];
    for (const [label, make, message] of cases) {
      it(label, async () => {
        const store = new MemoryStore();
        const error = await importRunBundle(store, make()).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(InvalidBundleError);
        expect((error as Error).message).toMatch(message);
        expect(await store.listRuns()).toEqual([]);
      });
    }
  });

  it('refuses to export a run that somehow holds a credential field', async () => {
    const store = new MemoryStore();
    const settings = { ...SAMPLE_SETTINGS, llm: { ...SAMPLE_SETTINGS.llm, apiKey: 'sk-secret' } };
    const run = await store.createRun(sampleRun({ settings }));
    await expect(exportRunBundle(store, run.id)).rejects.toThrow(/never carries credentials/);
  });
});
