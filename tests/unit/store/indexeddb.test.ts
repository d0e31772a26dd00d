import 'fake-indexeddb/auto';
import { IDBFactory, IDBObjectStore as FakeObjectStore } from 'fake-indexeddb';
import { openDB } from 'idb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { initialCheckpoint } from '../../../src/l2mac/checkpoint.ts';
import type { DurableEvent } from '../../../src/l2mac/events.ts';
import { StorageQuotaError } from '../../../src/errors.ts';
import { IdbStore, SCHEMA_VERSION } from '../../../src/store/indexeddb.ts';
import { registerStoreContract, sampleRun, statusEvent } from '../../support/store-contract.ts';

let opened: IdbStore[] = [];

beforeEach(() => {
  // A fresh, empty IndexedDB per test: nothing leaks between cases.
  globalThis.indexedDB = new IDBFactory();
});

afterEach(() => {
  for (const store of opened) store.close();
  opened = [];
});

async function openStore(name = 'l2mac-test'): Promise<IdbStore> {
  const store = await IdbStore.open({ name });
  opened.push(store);
  return store;
}

describe('IdbStore (fake-indexeddb): the store contract', () => {
  registerStoreContract(() => openStore(), it);
});

describe('IdbStore schema', () => {
  it('creates every object store of DESIGN.md §6 at the exported schema version', async () => {
    const store = await openStore('schema-test');
    store.close();
    const db = await openDB('schema-test');
    expect(db.version).toBe(SCHEMA_VERSION);
    expect([...db.objectStoreNames].sort()).toEqual(['blobs', 'checkpoints', 'events', 'files', 'runs', 'settings', 'versions']);
    const tx = db.transaction(['versions', 'files', 'events'], 'readonly');
    expect([...tx.objectStore('versions').indexNames]).toEqual(['byHash']);
    expect(tx.objectStore('files').keyPath).toEqual(['runId', 'path']);
    expect(tx.objectStore('events').keyPath).toEqual(['runId', 'seq']);
    db.close();
  });

  it('keeps everything across closing and reopening the database', async () => {
    const first = await openStore('reopen-test');
    const run = await first.createRun(sampleRun({ files: { 'a.js': 'a' } }));
    await first.commitTurn(run.id, { step: 1, turn: 1, changes: [{ path: 'b.js', content: 'b' }], events: [statusEvent(run.id, 1)], checkpoint: initialCheckpoint() });
    await first.putSetting('defaults', { model: 'm' });
    first.close();
    const second = await openStore('reopen-test');
    expect(await second.readAllFiles(run.id)).toEqual({ 'a.js': 'a', 'b.js': 'b' });
    expect((await second.getRun(run.id))?.lastSeq).toBe(1);
    expect(await second.getSetting('defaults')).toEqual({ model: 'm' });
  });
});

describe('IdbStore commits', () => {
  it('listFiles reads only the file entries, never the blobs', async () => {
    const store = await openStore('no-blob-reads');
    const run = await store.createRun(sampleRun({ files: { 'a.js': 'one\ntwo\n', 'b.js': 'x' } }));
    store.close();
    const db = await openDB('no-blob-reads');
    await db.clear('blobs');
    db.close();
    const reopened = await openStore('no-blob-reads');
    expect((await reopened.listFiles(run.id)).map((f) => [f.path, f.bytes, f.lines])).toEqual([
      ['a.js', 8, 2],
      ['b.js', 1, 1],
    ]);
  });

  it('a write that fails inside the transaction (an event that cannot be stored) leaves nothing of the turn', async () => {
    const store = await openStore();
    const run = await store.createRun(sampleRun({ files: { 'a.js': 'a' } }));
    const unstorable = { ...statusEvent(run.id, 2), extra: () => 'functions cannot be cloned' } as unknown as DurableEvent;
    await expect(
      store.commitTurn(run.id, {
        step: 1,
        turn: 1,
        changes: [{ path: 'a.js', content: 'changed' }, { path: 'new.js', content: 'new' }],
        events: [statusEvent(run.id, 1), unstorable],
        checkpoint: initialCheckpoint(),
        run: { status: 'running' },
      }),
    ).rejects.toThrow();
    expect(await store.readAllFiles(run.id)).toEqual({ 'a.js': 'a' });
    expect(await store.listVersions(run.id)).toHaveLength(1);
    expect(await store.listEvents(run.id)).toEqual([]);
    expect(await store.getCheckpoint(run.id)).toBeUndefined();
    expect((await store.getRun(run.id))?.status).toBe('planning');
  });

  it('a quota refusal becomes StorageQuotaError with a clear message, and nothing of the turn is stored', async () => {
    const store = await openStore();
    const run = await store.createRun(sampleRun({ files: { 'a.js': 'a' } }));
    const realPut = FakeObjectStore.prototype.put;
    // The browser refuses the request asynchronously (the request errors, then the transaction aborts).
    FakeObjectStore.prototype.put = function (this: IDBObjectStore, value: unknown, key?: IDBValidKey) {
      if (this.name === 'blobs' && (value as { content: string }).content.length > 1000) {
        const tx = this.transaction as unknown as { _execRequestAsync(o: { operation: () => never; source: unknown }): unknown };
        return tx._execRequestAsync({
          source: this,
          operation: () => {
            throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
          },
        }) as ReturnType<typeof realPut>;
      }
      return realPut.call(this, value, key);
    };
    try {
      const error = await store
        .commitTurn(run.id, {
          step: 1,
          turn: 1,
          changes: [{ path: 'small.js', content: 'small' }, { path: 'big.js', content: 'x'.repeat(2000) }],
          events: [statusEvent(run.id, 1)],
          checkpoint: initialCheckpoint(),
        })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StorageQuotaError);
      expect((error as Error).message).toMatch(/storage .* is full.*nothing of it was stored/);
    } finally {
      FakeObjectStore.prototype.put = realPut;
    }
    expect(await store.readAllFiles(run.id)).toEqual({ 'a.js': 'a' });
    expect(await store.listEvents(run.id)).toEqual([]);
    expect((await store.getRun(run.id))?.lastSeq).toBe(0);
    await store.commitTurn(run.id, { step: 1, turn: 1, changes: [{ path: 'small.js', content: 'small' }], events: [statusEvent(run.id, 1)], checkpoint: initialCheckpoint() });
    expect(await store.readFiles(run.id, ['small.js'])).toEqual({ 'small.js': 'small' });
  });

  it('concurrent commits to one run are serialized: the second sees the first', async () => {
    const store = await openStore();
    const run = await store.createRun(sampleRun());
    const commit = (seq: number, content: string) =>
      store.commitTurn(run.id, { step: 1, turn: seq, changes: [{ path: 'a.js', content }], events: [statusEvent(run.id, seq)], checkpoint: initialCheckpoint() });
    const results = await Promise.allSettled([commit(1, 'first'), commit(2, 'second')]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
    expect((await store.listVersions(run.id, 'a.js')).map((v) => v.version)).toEqual([1, 2]);
    expect(await store.readAllFiles(run.id)).toEqual({ 'a.js': 'second' });
  });

  it('two stores on one database in one process share the run locks', async () => {
    const a = await openStore('shared-locks');
    const b = await openStore('shared-locks');
    const run = await a.createRun(sampleRun());
    const lock = await a.lockRun(run.id);
    expect(lock).not.toBeNull();
    expect(await b.isLocked(run.id)).toBe(true);
    expect(await b.lockRun(run.id)).toBeNull();
    lock?.release();
    const second = await b.lockRun(run.id);
    expect(second).not.toBeNull();
    second?.release();
  });
});
