/**
 * The store in the browser test page (`harness.store`): the store contract against IdbStore on Chromium's
 * real IndexedDB, a bulk write and read-back across a reload, and Web Locks held by one page and seen by
 * another. Results come back as plain objects.
 */
import { initialCheckpoint } from '../../src/l2mac/checkpoint.ts';
import { IdbStore } from '../../src/store/indexeddb.ts';
import { sampleRun, statusEvent, storeContractCases } from '../support/store-contract.ts';
import type { RunLock } from '../../src/store/types.ts';

export interface CaseResult {
  name: string;
  ok: boolean;
  error?: string;
}

let dbCounter = 0;

async function runContract(): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  for (const c of storeContractCases) {
    const opened: IdbStore[] = [];
    const make = async () => {
      const store = await IdbStore.open({ name: `contract-${Date.now()}-${dbCounter++}` });
      opened.push(store);
      return store;
    };
    try {
      await c.run(make);
      results.push({ name: c.name, ok: true });
    } catch (error) {
      results.push({ name: c.name, ok: false, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
    } finally {
      for (const store of opened) {
        store.close();
        indexedDB.deleteDatabase(store.name);
      }
    }
  }
  return results;
}

/** Deterministic, varied content of file `i` (`bytes` long, ASCII). */
function contentOf(i: number, bytes: number): string {
  let seed = (i + 1) * 2654435761;
  const chars: string[] = [`// file ${i}\n`];
  let length = chars[0]!.length;
  while (length < bytes) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    const c = seed % 17 === 0 ? '\n' : String.fromCharCode(32 + (seed % 95));
    chars.push(c);
    length++;
  }
  return chars.join('').slice(0, bytes);
}

async function writeMany(dbName: string, count: number, bytes: number): Promise<{ runId: string; commitMs: number }> {
  const store = await IdbStore.open({ name: dbName });
  const run = await store.createRun(sampleRun({ title: 'bulk' }));
  const changes = Array.from({ length: count }, (_, i) => ({ path: `src/part-${Math.floor(i / 100)}/file-${i}.js`, content: contentOf(i, bytes) }));
  const started = performance.now();
  await store.commitTurn(run.id, { step: 1, turn: 1, changes, events: [statusEvent(run.id, 1)], checkpoint: initialCheckpoint() });
  const commitMs = performance.now() - started;
  store.close();
  return { runId: run.id, commitMs };
}

async function verifyMany(dbName: string, runId: string, count: number, bytes: number): Promise<{ listed: number; read: number; mismatches: string[] }> {
  const store = await IdbStore.open({ name: dbName });
  const listed = await store.listFiles(runId);
  const files = await store.readAllFiles(runId);
  const mismatches: string[] = [];
  for (let i = 0; i < count; i++) {
    const path = `src/part-${Math.floor(i / 100)}/file-${i}.js`;
    if (files[path] !== contentOf(i, bytes)) mismatches.push(path);
  }
  store.close();
  return { listed: listed.length, read: Object.keys(files).length, mismatches };
}

const held = new Map<string, RunLock>();

async function lockRun(dbName: string, runId: string): Promise<boolean> {
  const store = await IdbStore.open({ name: dbName });
  const lock = await store.lockRun(runId);
  store.close();
  if (lock) held.set(`${dbName}/${runId}`, lock);
  return lock !== null;
}

async function isLocked(dbName: string, runId: string): Promise<boolean> {
  const store = await IdbStore.open({ name: dbName });
  const locked = await store.isLocked(runId);
  store.close();
  return locked;
}

function release(dbName: string, runId: string): void {
  held.get(`${dbName}/${runId}`)?.release();
  held.delete(`${dbName}/${runId}`);
}

export const storeHarness = { runContract, writeMany, verifyMany, lockRun, isLocked, release, hasWebLocks: () => 'locks' in navigator };
export type StoreHarness = typeof storeHarness;

window.harness.store = storeHarness;
