/**
 * The store port on IndexedDB (DESIGN.md §6), through idb. Every operation is one transaction. A write
 * transaction awaits nothing but its own requests (it would auto-commit half done otherwise): contents are
 * hashed before it opens, every rule is checked inside it before the first write, and any failure aborts
 * it, so a turn is stored whole or not at all.
 *
 * One file past the usual size on purpose: it is the whole port on one database, each method a single
 * transaction; the shared rules live in `rules.ts`, the schema in `schema.ts`, the commit/abort in `idb-tx.ts`.
 */
import { openDB, type IDBPTransaction, type StoreNames } from 'idb';
import type { CheckpointState } from '../l2mac/checkpoint.ts';
import type { DurableEvent } from '../l2mac/events.ts';
import { InvalidCommitError, RunNotFoundError } from './errors.ts';
import { defaultLocks, type LockProvider } from './locks.ts';
import {
  applyPatch,
  byNewest,
  byPathThenVersion,
  checkCommitShape,
  checkDeletable,
  checkEventsFollow,
  checkSettingValue,
  checkStartingFiles,
  fileEntry,
  fileRecord,
  hashesAtStep,
  latestVersions,
  newRunRecord,
  prepareChanges,
  sizeOfText,
  summarize,
} from './rules.ts';
import {
  DEFAULT_DB_NAME,
  eventRange,
  pathRange,
  runRange,
  SCHEMA_VERSION,
  upgradeSchema,
  type FileRow,
  type L2macDatabase,
  type L2macDB,
} from './schema.ts';
import { settle, type WriteQueue } from './idb-tx.ts';
import type { AppStore, FileEntry, NewRun, RunLock, RunPatch, RunRecord, RunSnapshot, RunSummary, TurnCommit, VersionRecord } from './types.ts';

export { SCHEMA_VERSION } from './schema.ts';

export interface IdbStoreOptions {
  /** Database name (tests use one per case). */
  name?: string;
  now?: () => number;
  newId?: () => string;
  locks?: LockProvider;
  /**
   * Another tab opened a newer schema: this connection closed so that it can upgrade, and every later call
   * fails. The app should ask the user to reload.
   */
  onVersionChange?: () => void;
  /** A run's record or log changed in this tab (a turn committed, a status written): tell other tabs. */
  onRunChanged?: (runId: string) => void;
}

type Tx<Mode extends IDBTransactionMode> = IDBPTransaction<L2macDB, StoreNames<L2macDB>[], Mode>;

function toEntry({ runId: _runId, ...entry }: FileRow): FileEntry {
  return entry;
}

export class IdbStore implements AppStore {
  private constructor(
    private readonly db: L2macDatabase,
    readonly name: string,
    private readonly now: () => number,
    private readonly newId: () => string,
    private readonly locks: LockProvider,
    private readonly onRunChanged: (runId: string) => void = () => {},
  ) {}

  static async open(options: IdbStoreOptions = {}): Promise<IdbStore> {
    const name = options.name ?? DEFAULT_DB_NAME;
    let opened: L2macDatabase | undefined;
    const db = await openDB<L2macDB>(name, SCHEMA_VERSION, {
      upgrade: (database, oldVersion, _newVersion, tx) => upgradeSchema(database, oldVersion, tx),
      // A newer version of the app in another tab wants to upgrade: step aside (this tab must reload).
      blocking: () => {
        opened?.close();
        options.onVersionChange?.();
      },
    });
    opened = db;
    return new IdbStore(db, name, options.now ?? Date.now, options.newId ?? (() => crypto.randomUUID()), options.locks ?? defaultLocks(`idb:${name}`), options.onRunChanged);
  }

  close(): void {
    this.db.close();
  }

  async createRun(init: NewRun): Promise<RunRecord> {
    const starting = checkStartingFiles(init.files);
    const prepared = await prepareChanges(starting);
    const now = this.now();
    const id = init.id ?? this.newId();
    const record = newRunRecord(init, id, now);

    return this.write(['runs', 'blobs', 'files', 'versions'], async (tx, writes) => {
      const [taken, sourceRun, sourceFiles] = await Promise.all([
        tx.objectStore('runs').getKey(id),
        init.filesFromRun === undefined ? undefined : tx.objectStore('runs').getKey(init.filesFromRun),
        init.filesFromRun === undefined ? [] : tx.objectStore('files').getAll(runRange(init.filesFromRun)),
      ]);
      if (taken !== undefined) throw new InvalidCommitError(`A run with id ${id} exists already.`);
      if (init.filesFromRun !== undefined && sourceRun === undefined) throw new RunNotFoundError(init.filesFromRun);

      const files = new Map<string, FileEntry>(sourceFiles.map((row) => [row.path, { ...toEntry(row), version: 1 }]));
      for (const change of prepared) {
        if (change.hash === null || change.content === null) continue;
        writes.push(tx.objectStore('blobs').put({ hash: change.hash, content: change.content }));
        files.set(change.path, fileEntry({ ...change, hash: change.hash }, 1));
      }
      writes.push(tx.objectStore('runs').add(record));
      for (const entry of files.values()) {
        writes.push(tx.objectStore('files').put({ ...entry, runId: id }));
        writes.push(
          tx.objectStore('versions').add({ runId: id, path: entry.path, version: 1, step: 0, turn: 0, hash: entry.hash, at: now, cause: 'start' }),
        );
      }
      return record;
    });
  }

  async getRun(runId: string): Promise<RunRecord | undefined> {
    return this.db.get('runs', runId);
  }

  async listRuns(): Promise<RunSummary[]> {
    return (await this.db.getAll('runs')).map(summarize).sort(byNewest);
  }

  async updateRun(runId: string, patch: RunPatch): Promise<RunRecord> {
    const now = this.now();
    const updated = await this.write(['runs'], async (tx, writes) => {
      const run = await tx.objectStore('runs').get(runId);
      if (!run) throw new RunNotFoundError(runId);
      applyPatch(run, patch, now);
      writes.push(tx.objectStore('runs').put(run));
      return run;
    });
    this.onRunChanged(runId);
    return updated;
  }

  async deleteRun(runId: string): Promise<void> {
    await this.write(['runs', 'blobs', 'files', 'versions', 'events', 'checkpoints'], async (tx, writes) => {
      const versions = tx.objectStore('versions');
      const hashes = new Set<string>();
      for (const v of await versions.getAll(runRange(runId))) if (v.hash !== null) hashes.add(v.hash);
      writes.push(
        tx.objectStore('runs').delete(runId),
        tx.objectStore('files').delete(runRange(runId)),
        versions.delete(runRange(runId)),
        tx.objectStore('events').delete(runRange(runId)),
        tx.objectStore('checkpoints').delete(runId),
      );
      // Requests run in order, so these counts see the run's versions gone.
      const users = await Promise.all([...hashes].map(async (hash) => [hash, await versions.index('byHash').count(hash)] as const));
      for (const [hash, count] of users) if (count === 0) writes.push(tx.objectStore('blobs').delete(hash));
    });
  }

  async listFiles(runId: string): Promise<FileEntry[]> {
    const tx = this.db.transaction(['runs', 'files'], 'readonly');
    const [run, rows] = await Promise.all([tx.objectStore('runs').getKey(runId), tx.objectStore('files').getAll(runRange(runId))]);
    if (run === undefined) throw new RunNotFoundError(runId);
    return rows.map(toEntry);
  }

  async readFiles(runId: string, paths: string[]): Promise<Record<string, string>> {
    const tx = this.db.transaction(['runs', 'files', 'blobs'], 'readonly');
    const [run, rows] = await Promise.all([
      tx.objectStore('runs').getKey(runId),
      Promise.all(paths.map((path) => tx.objectStore('files').get([runId, path]))),
    ]);
    if (run === undefined) throw new RunNotFoundError(runId);
    return this.contents(tx, rows.filter((row): row is FileRow => row !== undefined).map((row) => [row.path, row.hash]));
  }

  async readAllFiles(runId: string): Promise<Record<string, string>> {
    const tx = this.db.transaction(['runs', 'files', 'blobs'], 'readonly');
    const [run, rows] = await Promise.all([tx.objectStore('runs').getKey(runId), tx.objectStore('files').getAll(runRange(runId))]);
    if (run === undefined) throw new RunNotFoundError(runId);
    return this.contents(tx, rows.map((row) => [row.path, row.hash]));
  }

  async filesAtStep(runId: string, step: number): Promise<Record<string, string>> {
    const tx = this.db.transaction(['runs', 'versions', 'blobs'], 'readonly');
    const [run, versions] = await Promise.all([tx.objectStore('runs').getKey(runId), tx.objectStore('versions').getAll(runRange(runId))]);
    if (run === undefined) throw new RunNotFoundError(runId);
    return this.contents(tx, [...hashesAtStep(versions, step)]);
  }

  async listVersions(runId: string, path?: string): Promise<VersionRecord[]> {
    const tx = this.db.transaction(['runs', 'versions'], 'readonly');
    const [run, versions] = await Promise.all([
      tx.objectStore('runs').getKey(runId),
      tx.objectStore('versions').getAll(path === undefined ? runRange(runId) : pathRange(runId, path)),
    ]);
    if (run === undefined) throw new RunNotFoundError(runId);
    return versions;
  }

  async readBlob(hash: string): Promise<string | undefined> {
    return (await this.db.get('blobs', hash))?.content;
  }

  async commitTurn(runId: string, commit: TurnCommit): Promise<void> {
    checkCommitShape(runId, commit);
    const prepared = await prepareChanges(commit.changes);
    const now = this.now();
    const cause = commit.cause ?? 'tool';

    await this.write(['runs', 'blobs', 'files', 'versions', 'events', 'checkpoints'], async (tx, writes) => {
      const files = tx.objectStore('files');
      const versions = tx.objectStore('versions');
      const [run, current] = await Promise.all([
        tx.objectStore('runs').get(runId),
        Promise.all(prepared.map((change) => files.get([runId, change.path]))),
      ]);
      if (!run) throw new RunNotFoundError(runId);
      checkEventsFollow(run.lastSeq, commit.events);
      prepared.forEach((change, i) => {
        if (change.hash === null) checkDeletable(change.path, current[i] !== undefined);
      });
      // A path without a current file may have been deleted earlier: its numbering continues.
      const nextVersion = await Promise.all(
        prepared.map(async (change, i) => {
          const file = current[i];
          if (file) return file.version + 1;
          const last = await versions.openKeyCursor(pathRange(runId, change.path), 'prev');
          return last ? last.primaryKey[2] + 1 : 1;
        }),
      );

      const blobsWritten = new Set<string>();
      prepared.forEach((change, i) => {
        const version = nextVersion[i] ?? 1;
        if (change.hash === null || change.content === null) {
          writes.push(files.delete([runId, change.path]));
        } else {
          if (!blobsWritten.has(change.hash)) {
            blobsWritten.add(change.hash);
            writes.push(tx.objectStore('blobs').put({ hash: change.hash, content: change.content }));
          }
          writes.push(files.put({ ...fileEntry({ ...change, hash: change.hash }, version), runId }));
        }
        writes.push(versions.add({ runId, path: change.path, version, step: commit.step, turn: commit.turn, hash: change.hash, at: now, cause }));
      });
      for (const event of commit.events) writes.push(tx.objectStore('events').add(event));
      writes.push(tx.objectStore('checkpoints').put({ runId, checkpoint: commit.checkpoint }));
      const last = commit.events.at(-1);
      if (last) run.lastSeq = last.seq;
      writes.push(tx.objectStore('runs').put(applyPatch(run, commit.run ?? {}, now)));
    });
    this.onRunChanged(runId);
  }

  async getCheckpoint(runId: string): Promise<CheckpointState | undefined> {
    return (await this.db.get('checkpoints', runId))?.checkpoint;
  }

  async listEvents(runId: string, fromSeq = 0): Promise<DurableEvent[]> {
    const tx = this.db.transaction(['runs', 'events'], 'readonly');
    const [run, events] = await Promise.all([tx.objectStore('runs').getKey(runId), tx.objectStore('events').getAll(eventRange(runId, fromSeq))]);
    if (run === undefined) throw new RunNotFoundError(runId);
    return events;
  }

  lockRun(runId: string): Promise<RunLock | null> {
    return this.locks.tryLock(this.lockName(runId));
  }

  isLocked(runId: string): Promise<boolean> {
    return this.locks.isHeld(this.lockName(runId));
  }

  /** Waits until no tab holds the run's lock, then takes it (a tab following another tab's drive). */
  waitForLock(runId: string, signal: AbortSignal): Promise<RunLock> {
    return this.locks.waitFor(this.lockName(runId), signal);
  }

  private lockName(runId: string): string {
    return `l2mac:${this.name}:run:${runId}`;
  }

  async getSetting<T = unknown>(key: string): Promise<T | undefined> {
    return (await this.db.get('settings', key))?.value as T | undefined;
  }

  async putSetting(key: string, value: unknown): Promise<void> {
    checkSettingValue(key, value);
    await this.write(['settings'], async (tx, writes) => {
      writes.push(tx.objectStore('settings').put({ key, value }));
    });
  }

  async deleteSetting(key: string): Promise<void> {
    await this.write(['settings'], async (tx, writes) => {
      writes.push(tx.objectStore('settings').delete(key));
    });
  }

  async importRun(snapshot: RunSnapshot, blobs: Record<string, string>): Promise<RunRecord> {
    const sizes = new Map(Object.entries(blobs).map(([hash, content]) => [hash, sizeOfText(content)]));
    return this.write(['runs', 'blobs', 'files', 'versions', 'events', 'checkpoints'], async (tx, writes) => {
      const blobStore = tx.objectStore('blobs');
      const [taken, storedBlobs] = await Promise.all([
        tx.objectStore('runs').getKey(snapshot.run.id),
        // Blobs the bundle does not carry must be here already (their sizes come from them).
        Promise.all(
          [...new Set(snapshot.versions.flatMap((v) => (v.hash !== null && !sizes.has(v.hash) ? [v.hash] : [])))].map((hash) => blobStore.get(hash)),
        ),
      ]);
      for (const row of storedBlobs) if (row) sizes.set(row.hash, sizeOfText(row.content));
      for (const v of snapshot.versions) {
        if (v.hash !== null && !sizes.has(v.hash)) throw new InvalidCommitError(`The content of ${v.path} version ${v.version} is missing.`);
      }
      const id = taken === undefined ? snapshot.run.id : this.newId();
      const run: RunRecord = { ...snapshot.run, id };
      for (const [hash, content] of Object.entries(blobs)) writes.push(blobStore.put({ hash, content }));
      for (const v of [...snapshot.versions].sort(byPathThenVersion)) writes.push(tx.objectStore('versions').add({ ...v, runId: id }));
      for (const v of latestVersions(snapshot.versions).values()) {
        const size = v.hash === null ? undefined : sizes.get(v.hash);
        if (v.hash !== null && size) writes.push(tx.objectStore('files').put({ runId: id, path: v.path, hash: v.hash, version: v.version, ...size }));
      }
      for (const event of snapshot.events) writes.push(tx.objectStore('events').add({ ...event, runId: id }));
      if (snapshot.checkpoint) writes.push(tx.objectStore('checkpoints').put({ runId: id, checkpoint: snapshot.checkpoint }));
      writes.push(tx.objectStore('runs').add(run));
      return run;
    });
  }

  /** Contents for [path, hash] pairs, read in the caller's transaction. */
  private async contents(tx: Tx<'readonly'>, pairs: [string, string][]): Promise<Record<string, string>> {
    const blobs = await Promise.all(pairs.map(([, hash]) => tx.objectStore('blobs').get(hash)));
    const out = fileRecord();
    pairs
      .map(([path], i) => [path, blobs[i]] as const)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .forEach(([path, blob]) => {
        if (!blob) throw new Error(`The store lost the content of ${path}.`);
        out[path] = blob.content;
      });
    return out;
  }

  /** One readwrite transaction: `body` reads, checks, then queues its writes; see `settle`. */
  private async write<T>(
    stores: StoreNames<L2macDB>[],
    body: (tx: Tx<'readwrite'>, writes: WriteQueue) => Promise<T>,
  ): Promise<T> {
    const tx = this.db.transaction(stores, 'readwrite');
    return settle(tx, body);
  }
}
