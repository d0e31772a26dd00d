/**
 * The IndexedDB schema (DESIGN.md §6) and its upgrade steps. Each schema version adds one step to
 * `UPGRADES`; opening a database runs the steps from its stored version up to `SCHEMA_VERSION`, so a
 * browser that skipped versions still ends at the current schema.
 *
 * Keys start with the run id, so everything of one run is one key range (no index, no scan of other runs).
 */
import type { DBSchema, IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';
import type { CheckpointState } from '../l2mac/checkpoint.ts';
import type { DurableEvent } from '../l2mac/events.ts';
import type { FileEntry, RunRecord, VersionRecord } from './types.ts';

export const SCHEMA_VERSION = 1;
export const DEFAULT_DB_NAME = 'l2mac-web';

export interface BlobRow {
  hash: string;
  content: string;
}

export interface FileRow extends FileEntry {
  runId: string;
}

export interface CheckpointRow {
  runId: string;
  checkpoint: CheckpointState;
}

export interface SettingRow {
  key: string;
  value: unknown;
}

export interface L2macDB extends DBSchema {
  runs: { key: string; value: RunRecord };
  blobs: { key: string; value: BlobRow };
  /** Key [runId, path]. */
  files: { key: [string, string]; value: FileRow };
  /** Key [runId, path, version]; `byHash` finds whether any run still uses a blob (deletes have no hash and are not indexed). */
  versions: { key: [string, string, number]; value: VersionRecord; indexes: { byHash: string } };
  /** Key [runId, seq]. */
  events: { key: [string, number]; value: DurableEvent };
  checkpoints: { key: string; value: CheckpointRow };
  settings: { key: string; value: SettingRow };
}

export type L2macDatabase = IDBPDatabase<L2macDB>;
type UpgradeTx = IDBPTransaction<L2macDB, StoreNames<L2macDB>[], 'versionchange'>;

/** UPGRADES[n] takes a database from version n to n + 1. */
const UPGRADES: ((db: L2macDatabase, tx: UpgradeTx) => void)[] = [
  (db) => {
    db.createObjectStore('runs', { keyPath: 'id' });
    db.createObjectStore('blobs', { keyPath: 'hash' });
    db.createObjectStore('files', { keyPath: ['runId', 'path'] });
    const versions = db.createObjectStore('versions', { keyPath: ['runId', 'path', 'version'] });
    versions.createIndex('byHash', 'hash');
    db.createObjectStore('events', { keyPath: ['runId', 'seq'] });
    db.createObjectStore('checkpoints', { keyPath: 'runId' });
    db.createObjectStore('settings', { keyPath: 'key' });
  },
];

export function upgradeSchema(db: L2macDatabase, oldVersion: number, tx: UpgradeTx): void {
  for (let version = oldVersion; version < SCHEMA_VERSION; version++) {
    const step = UPGRADES[version];
    if (!step) throw new Error(`No upgrade from schema version ${version}.`);
    step(db, tx);
  }
}

/** Every key of one run in `files`, `versions` (arrays sort after strings and numbers). */
export function runRange(runId: string): IDBKeyRange {
  return IDBKeyRange.bound([runId], [runId, []]);
}

/** Every version of one path. */
export function pathRange(runId: string, path: string): IDBKeyRange {
  return IDBKeyRange.bound([runId, path], [runId, path, []]);
}

/** A run's events from `fromSeq` on. */
export function eventRange(runId: string, fromSeq: number): IDBKeyRange {
  return IDBKeyRange.bound([runId, fromSeq], [runId, Infinity]);
}
