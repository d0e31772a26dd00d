/**
 * Schema versions (DESIGN.md §6): a tab whose database another tab wants to upgrade steps aside and says so,
 * and a database newer than this app's schema is refused rather than misread.
 */
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { openDB } from 'idb';
import { beforeEach, describe, expect, it } from 'vitest';
import { IdbStore, SCHEMA_VERSION } from '../../../src/store/indexeddb.ts';
import { sampleRun } from '../../support/store-contract.ts';

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
});

describe('IdbStore schema versions', () => {
  it('a newer version opened in another tab closes this connection, tells the app, and upgrades without waiting', async () => {
    let told = 0;
    const store = await IdbStore.open({ name: 'versions', onVersionChange: () => told++ });
    const run = await store.createRun(sampleRun({ files: { 'a.js': 'export const a = 1;\n' } }));
    const newer = await openDB('versions', SCHEMA_VERSION + 1, {
      upgrade: (db) => {
        db.createObjectStore('added-by-a-newer-app');
      },
      blocked: () => {
        throw new Error('the newer tab was blocked: the old connection did not step aside');
      },
    });
    expect(told).toBe(1);
    expect([...newer.objectStoreNames]).toContain('added-by-a-newer-app');
    expect(await newer.get('runs', run.id)).toMatchObject({ id: run.id });
    await expect(store.getRun(run.id)).rejects.toThrow();
    newer.close();
  });

  it('a database of a newer schema than this app knows is refused when opened', async () => {
    const newer = await openDB('future', SCHEMA_VERSION + 1, { upgrade: (db) => void db.createObjectStore('runs', { keyPath: 'id' }) });
    newer.close();
    await expect(IdbStore.open({ name: 'future' })).rejects.toMatchObject({ name: 'VersionError' });
  });
});
