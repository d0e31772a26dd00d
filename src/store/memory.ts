/**
 * The store port kept in memory: for Node, unit tests and benchmarks. Same rules as the IndexedDB store
 * (both pass `tests/support/store-contract.ts`). Values are copied in and out, so a caller never shares
 * an object with the store.
 */
import type { CheckpointState } from '../l2mac/checkpoint.ts';
import type { DurableEvent } from '../l2mac/events.ts';
import { InvalidCommitError, RunNotFoundError } from './errors.ts';
import { InProcessLocks, type LockProvider } from './locks.ts';
import {
  applyPatch,
  byNewest,
  byPath,
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
import type {
  AppStore,
  FileEntry,
  NewRun,
  RunLock,
  RunPatch,
  RunRecord,
  RunSnapshot,
  RunSummary,
  TurnCommit,
  VersionRecord,
} from './types.ts';

interface RunState {
  record: RunRecord;
  files: Map<string, FileEntry>;
  /** Versions of each path, oldest first. */
  versions: Map<string, VersionRecord[]>;
  events: DurableEvent[];
  checkpoint: CheckpointState | undefined;
}

interface Blob {
  content: string;
  /** Versions (of any run) that point at this blob; the blob goes when none do. */
  refs: number;
}

export interface MemoryStoreOptions {
  now?: () => number;
  newId?: () => string;
  locks?: LockProvider;
}

export class MemoryStore implements AppStore {
  private readonly runs = new Map<string, RunState>();
  private readonly blobs = new Map<string, Blob>();
  private readonly settings = new Map<string, unknown>();
  private readonly now: () => number;
  private readonly newId: () => string;
  private readonly locks: LockProvider;

  constructor(options: MemoryStoreOptions = {}) {
    this.now = options.now ?? Date.now;
    this.newId = options.newId ?? (() => crypto.randomUUID());
    this.locks = options.locks ?? new InProcessLocks();
  }

  async createRun(init: NewRun): Promise<RunRecord> {
    const starting = checkStartingFiles(init.files);
    const prepared = await prepareChanges(starting);
    if (init.id !== undefined && this.runs.has(init.id)) throw new InvalidCommitError(`A run with id ${init.id} exists already.`);
    const source = init.filesFromRun === undefined ? undefined : this.state(init.filesFromRun);

    const now = this.now();
    const id = init.id ?? this.newId();
    const state: RunState = { record: newRunRecord(structuredClone(init), id, now), files: new Map(), versions: new Map(), events: [], checkpoint: undefined };
    const startFile = (entry: FileEntry, content?: string): void => {
      if (content !== undefined) this.addBlob(entry.hash, content);
      this.addRef(entry.hash);
      // A starting file given in `files` replaces the one taken from `filesFromRun`.
      const replaced = state.files.get(entry.path);
      if (replaced) this.dropRef(replaced.hash);
      state.files.set(entry.path, { ...entry, version: 1 });
      state.versions.set(entry.path, [{ runId: id, path: entry.path, version: 1, step: 0, turn: 0, hash: entry.hash, at: now, cause: 'start' }]);
    };
    for (const entry of source?.files.values() ?? []) startFile(entry);
    for (const change of prepared) if (change.hash !== null) startFile(fileEntry({ ...change, hash: change.hash }, 1), change.content ?? '');
    this.runs.set(id, state);
    return structuredClone(state.record);
  }

  async getRun(runId: string): Promise<RunRecord | undefined> {
    const state = this.runs.get(runId);
    return state ? structuredClone(state.record) : undefined;
  }

  async listRuns(): Promise<RunSummary[]> {
    return [...this.runs.values()].map((s) => summarize(s.record)).sort(byNewest);
  }

  async updateRun(runId: string, patch: RunPatch): Promise<RunRecord> {
    const state = this.state(runId);
    applyPatch(state.record, structuredClone(patch), this.now());
    return structuredClone(state.record);
  }

  async deleteRun(runId: string): Promise<void> {
    const state = this.runs.get(runId);
    if (!state) return;
    for (const versions of state.versions.values()) for (const v of versions) if (v.hash !== null) this.dropRef(v.hash);
    this.runs.delete(runId);
  }

  async listFiles(runId: string): Promise<FileEntry[]> {
    return [...this.state(runId).files.values()].map((f) => ({ ...f })).sort(byPath);
  }

  async readFiles(runId: string, paths: string[]): Promise<Record<string, string>> {
    const files = this.state(runId).files;
    const out = fileRecord();
    for (const path of paths) {
      const entry = files.get(path);
      if (entry) out[path] = this.blobContent(entry.hash);
    }
    return out;
  }

  async readAllFiles(runId: string): Promise<Record<string, string>> {
    const out = fileRecord();
    for (const entry of [...this.state(runId).files.values()].sort(byPath)) out[entry.path] = this.blobContent(entry.hash);
    return out;
  }

  async filesAtStep(runId: string, step: number): Promise<Record<string, string>> {
    const all = [...this.state(runId).versions.values()].flat();
    const out = fileRecord();
    for (const [path, hash] of [...hashesAtStep(all, step)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      out[path] = this.blobContent(hash);
    }
    return out;
  }

  async listVersions(runId: string, path?: string): Promise<VersionRecord[]> {
    const versions = this.state(runId).versions;
    const chosen = path === undefined ? [...versions.values()].flat() : (versions.get(path) ?? []);
    return chosen.map((v) => ({ ...v })).sort(byPathThenVersion);
  }

  async readBlob(hash: string): Promise<string | undefined> {
    return this.blobs.get(hash)?.content;
  }

  async commitTurn(runId: string, commit: TurnCommit): Promise<void> {
    checkCommitShape(runId, commit);
    const prepared = await prepareChanges(commit.changes);
    // From here to the end nothing awaits: the checks see the state the writes apply to.
    const state = this.state(runId);
    checkEventsFollow(state.record.lastSeq, commit.events);
    for (const change of prepared) if (change.hash === null) checkDeletable(change.path, state.files.has(change.path));

    const now = this.now();
    const cause = commit.cause ?? 'tool';
    for (const change of prepared) {
      const history = state.versions.get(change.path) ?? [];
      const version = (history.at(-1)?.version ?? 0) + 1;
      if (change.hash === null) {
        state.files.delete(change.path);
      } else {
        this.addBlob(change.hash, change.content ?? '');
        this.addRef(change.hash);
        state.files.set(change.path, fileEntry({ ...change, hash: change.hash }, version));
      }
      history.push({ runId, path: change.path, version, step: commit.step, turn: commit.turn, hash: change.hash, at: now, cause });
      state.versions.set(change.path, history);
    }
    for (const event of commit.events) state.events.push(structuredClone(event));
    const last = commit.events.at(-1);
    if (last) state.record.lastSeq = last.seq;
    state.checkpoint = structuredClone(commit.checkpoint);
    applyPatch(state.record, structuredClone(commit.run ?? {}), now);
  }

  async getCheckpoint(runId: string): Promise<CheckpointState | undefined> {
    const checkpoint = this.runs.get(runId)?.checkpoint;
    return checkpoint ? structuredClone(checkpoint) : undefined;
  }

  async listEvents(runId: string, fromSeq = 0): Promise<DurableEvent[]> {
    return this.state(runId)
      .events.filter((e) => e.seq >= fromSeq)
      .map((e) => structuredClone(e));
  }

  lockRun(runId: string): Promise<RunLock | null> {
    return this.locks.tryLock(lockName(runId));
  }

  isLocked(runId: string): Promise<boolean> {
    return this.locks.isHeld(lockName(runId));
  }

  /** Waits until no tab holds the run's lock, then takes it (a tab following another tab's drive). */
  waitForLock(runId: string, signal: AbortSignal): Promise<RunLock> {
    return this.locks.waitFor(lockName(runId), signal);
  }

  async getSetting<T = unknown>(key: string): Promise<T | undefined> {
    return this.settings.has(key) ? (structuredClone(this.settings.get(key)) as T) : undefined;
  }

  async putSetting(key: string, value: unknown): Promise<void> {
    checkSettingValue(key, value);
    this.settings.set(key, structuredClone(value));
  }

  async deleteSetting(key: string): Promise<void> {
    this.settings.delete(key);
  }

  async importRun(snapshot: RunSnapshot, blobs: Record<string, string>): Promise<RunRecord> {
    for (const v of snapshot.versions) {
      if (v.hash !== null && blobs[v.hash] === undefined && !this.blobs.has(v.hash)) {
        throw new InvalidCommitError(`The content of ${v.path} version ${v.version} is missing.`);
      }
    }
    const sizes = new Map<string, { bytes: number; lines: number }>();
    for (const [hash, content] of Object.entries(blobs)) sizes.set(hash, sizeOfText(content));

    const id = this.runs.has(snapshot.run.id) ? this.newId() : snapshot.run.id;
    const state: RunState = {
      record: { ...structuredClone(snapshot.run), id },
      files: new Map(),
      versions: new Map(),
      events: snapshot.events.map((e) => ({ ...structuredClone(e), runId: id })),
      checkpoint: snapshot.checkpoint ? structuredClone(snapshot.checkpoint) : undefined,
    };
    for (const v of [...snapshot.versions].sort(byPathThenVersion)) {
      const history = state.versions.get(v.path) ?? [];
      history.push({ ...v, runId: id });
      state.versions.set(v.path, history);
      if (v.hash !== null) {
        this.addBlob(v.hash, blobs[v.hash] ?? this.blobContent(v.hash));
        this.addRef(v.hash);
      }
    }
    for (const v of latestVersions(snapshot.versions).values()) {
      if (v.hash === null) continue;
      const size = sizes.get(v.hash) ?? this.sizeOf(v.hash);
      state.files.set(v.path, { path: v.path, hash: v.hash, version: v.version, ...size });
    }
    this.runs.set(id, state);
    return structuredClone(state.record);
  }

  private sizeOf(hash: string): { bytes: number; lines: number } {
    return sizeOfText(this.blobContent(hash));
  }

  private state(runId: string): RunState {
    const state = this.runs.get(runId);
    if (!state) throw new RunNotFoundError(runId);
    return state;
  }

  private blobContent(hash: string): string {
    const blob = this.blobs.get(hash);
    if (!blob) throw new Error(`The store lost the blob ${hash}.`);
    return blob.content;
  }

  private addBlob(hash: string, content: string): void {
    if (!this.blobs.has(hash)) this.blobs.set(hash, { content, refs: 0 });
  }

  private addRef(hash: string): void {
    const blob = this.blobs.get(hash);
    if (blob) blob.refs++;
  }

  private dropRef(hash: string): void {
    const blob = this.blobs.get(hash);
    if (!blob) return;
    blob.refs--;
    if (blob.refs <= 0) this.blobs.delete(hash);
  }
}

export function lockName(runId: string): string {
  return `l2mac-run:${runId}`;
}
