/**
 * The store's rules, shared by every implementation so that they agree: what a valid commit is, how a run
 * record starts and changes, what a summary and a file entry hold, what the files were at a step.
 */
import { isDurable, type DurableEvent } from '../l2mac/events.ts';
import { checkFileContent, checkPath, lineCount, MAX_FILES } from '../l2mac/paths.ts';
import { InvalidCommitError } from './errors.ts';
import { hashContent } from './hash.ts';
import type { FileEntry, NewRun, RunPatch, RunRecord, RunSummary, TurnCommit, VersionRecord } from './types.ts';

const CAUSES: ReadonlySet<VersionRecord['cause']> = new Set(['tool', 'start', 'restore']);

function isCount(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 0;
}

/** Rules that need nothing stored: checked before any work is done. */
export function checkCommitShape(runId: string, commit: TurnCommit): void {
  if (!isCount(commit.step) || !isCount(commit.turn)) {
    throw new InvalidCommitError(`A commit needs a whole step and turn number (got step ${commit.step}, turn ${commit.turn}).`);
  }
  if (commit.cause !== undefined && !CAUSES.has(commit.cause)) {
    throw new InvalidCommitError(`Unknown version cause "${String(commit.cause)}".`);
  }
  if (commit.checkpoint === null || typeof commit.checkpoint !== 'object') {
    throw new InvalidCommitError('A commit needs the checkpoint to continue from.');
  }
  checkChanges(commit.changes);
  checkEventOrder(runId, commit.events);
}

export function checkChanges(changes: readonly { path: string; content: string | null }[]): void {
  const seen = new Set<string>();
  for (const change of changes) {
    if (typeof change.path !== 'string' || change.path === '') throw new InvalidCommitError('A file change has no path.');
    // The control unit and the importer check paths and sizes already; the store refuses them too, so no
    // caller can put a file where an export or a sandbox would write outside the project.
    const path = checkPath(change.path);
    if (!path.ok) throw new InvalidCommitError(`Refused: ${path.reason}.`);
    if (seen.has(change.path)) throw new InvalidCommitError(`The file ${change.path} is changed twice in one commit.`);
    if (change.content !== null && typeof change.content !== 'string') {
      throw new InvalidCommitError(`The content of ${change.path} is neither text nor null (a delete).`);
    }
    const tooLarge = change.content === null ? null : checkFileContent(change.path, change.content);
    if (tooLarge) throw new InvalidCommitError(`Refused: ${tooLarge}.`);
    seen.add(change.path);
  }
}

/** A run's starting files: the change rules, and at most MAX_FILES of them. */
export function checkStartingFiles(files: Record<string, string> | undefined): { path: string; content: string }[] {
  const starting = files ? Object.entries(files).map(([path, content]) => ({ path, content })) : [];
  if (starting.length > MAX_FILES) {
    throw new InvalidCommitError(`A run starts with at most ${MAX_FILES} files (got ${starting.length}).`);
  }
  checkChanges(starting);
  return starting;
}

/** A path → content object without a prototype, so a file named `__proto__` is an ordinary key. */
export function fileRecord(): Record<string, string> {
  return Object.create(null) as Record<string, string>;
}

/** Events belong to the run and their seqs go up by one each. */
function checkEventOrder(runId: string, events: readonly DurableEvent[]): void {
  events.forEach((event, i) => {
    if (event.runId !== runId) {
      throw new InvalidCommitError(`Event seq ${event.seq} belongs to run ${event.runId}, not ${runId}.`);
    }
    if (!isDurable(event)) throw new InvalidCommitError(`A "${String((event as { type: unknown }).type)}" event is transient and is never stored.`);
    if (!isCount(event.seq) || event.seq === 0) throw new InvalidCommitError(`Event seq ${String(event.seq)} is not a positive whole number.`);
    const before = events[i - 1];
    if (before && event.seq !== before.seq + 1) {
      throw new InvalidCommitError(
        `Events must come in seq order without gaps or repeats: seq ${event.seq} follows seq ${before.seq}.`,
      );
    }
  });
}

/** The first event continues the stored log (no repeat of a stored seq, no gap). */
export function checkEventsFollow(lastSeq: number, events: readonly DurableEvent[]): void {
  const first = events[0];
  if (first && first.seq !== lastSeq + 1) {
    throw new InvalidCommitError(`The run's log ends at seq ${lastSeq}; the commit's first event has seq ${first.seq}, expected ${lastSeq + 1}.`);
  }
}

export function checkDeletable(path: string, exists: boolean): void {
  if (!exists) throw new InvalidCommitError(`Cannot delete ${path}: the run has no such file.`);
}

/** A change with its blob address and sizes, computed before any transaction opens. */
export interface PreparedChange {
  path: string;
  /** null: a delete. */
  content: string | null;
  hash: string | null;
  bytes: number;
  lines: number;
}

export async function prepareChanges(changes: readonly { path: string; content: string | null }[]): Promise<PreparedChange[]> {
  return Promise.all(
    changes.map(async ({ path, content }) => {
      if (content === null) return { path, content, hash: null, bytes: 0, lines: 0 };
      const { hash, bytes } = await hashContent(content);
      return { path, content, hash, bytes, lines: lineCount(content) };
    }),
  );
}

export function sizeOfText(content: string): { bytes: number; lines: number } {
  return { bytes: new TextEncoder().encode(content).byteLength, lines: lineCount(content) };
}

export function fileEntry(change: PreparedChange & { hash: string }, version: number): FileEntry {
  return { path: change.path, hash: change.hash, version, bytes: change.bytes, lines: change.lines };
}

export function newUsage(): RunRecord['usage'] {
  return { inputTokens: 0, cachedInputTokens: 0, outputTokens: 0, costUsd: 0, calls: 0 };
}

export function defaultTitle(task: string): string {
  const firstLine = task.trim().split('\n', 1)[0] ?? '';
  return firstLine.length > 80 ? `${firstLine.slice(0, 79)}…` : firstLine || 'Untitled run';
}

export function newRunRecord(init: NewRun, id: string, now: number): RunRecord {
  const record: RunRecord = {
    id,
    title: init.title ?? defaultTitle(init.task),
    task: init.task,
    domain: init.domain,
    status: 'planning',
    settings: init.settings,
    plan: null,
    usage: newUsage(),
    lastSeq: 0,
    createdAt: now,
    updatedAt: now,
    activeMs: 0,
  };
  if (init.parentRunId !== undefined) record.parentRunId = init.parentRunId;
  if (init.origin !== undefined) record.origin = init.origin;
  return record;
}

/** Applies a patch in place; a key given as `undefined` removes the field (e.g. clearing a reason). */
export function applyPatch(record: RunRecord, patch: RunPatch, now: number): RunRecord {
  const target = record as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) delete target[key];
    else target[key] = value;
  }
  record.updatedAt = now;
  return record;
}

export function summarize(run: RunRecord): RunSummary {
  const summary: RunSummary = {
    id: run.id,
    title: run.title,
    task: run.task,
    domain: run.domain,
    status: run.status,
    createdAt: run.createdAt,
    updatedAt: run.updatedAt,
    costUsd: run.usage.costUsd,
    steps: run.plan?.length ?? 0,
    stepsDone: run.plan?.filter((s) => s.state === 'completed' || s.state === 'skipped').length ?? 0,
  };
  if (run.statusReason !== undefined) summary.statusReason = run.statusReason;
  if (run.parentRunId !== undefined) summary.parentRunId = run.parentRunId;
  return summary;
}

/** Newest first. */
export function byNewest(a: RunSummary, b: RunSummary): number {
  return b.createdAt - a.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * Path → blob hash of the files at the end of `step`: for each path, its highest version written at a step
 * up to `step`, unless that version is a delete.
 */
export function hashesAtStep(versions: Iterable<VersionRecord>, step: number): Map<string, string> {
  const latest = new Map<string, VersionRecord>();
  for (const v of versions) {
    if (v.step > step) continue;
    const seen = latest.get(v.path);
    if (!seen || v.version > seen.version) latest.set(v.path, v);
  }
  const hashes = new Map<string, string>();
  for (const [path, v] of latest) if (v.hash !== null) hashes.set(path, v.hash);
  return hashes;
}

/** The latest version of every path (current files and deletes alike). */
export function latestVersions(versions: Iterable<VersionRecord>): Map<string, VersionRecord> {
  const latest = new Map<string, VersionRecord>();
  for (const v of versions) {
    const seen = latest.get(v.path);
    if (!seen || v.version > seen.version) latest.set(v.path, v);
  }
  return latest;
}

export function byPath(a: { path: string }, b: { path: string }): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

export function byPathThenVersion(a: VersionRecord, b: VersionRecord): number {
  return byPath(a, b) || a.version - b.version;
}

const KEY_LIKE = /^(api[-_]?key|apikey|authorization|bearer|secret)$/i;

/** The first property name anywhere in `value` that looks like a credential, or null. */
export function findCredentialProperty(value: unknown): string | null {
  const seen = new Set<unknown>();
  const visit = (v: unknown): string | null => {
    if (v === null || typeof v !== 'object' || seen.has(v)) return null;
    seen.add(v);
    for (const [k, inner] of Object.entries(v)) {
      if (KEY_LIKE.test(k)) return k;
      const found = visit(inner);
      if (found) return found;
    }
    return null;
  };
  return visit(value);
}

/** Settings never hold the API key: a key-like name, or a value with a key-like property anywhere, is refused. */
export function checkSettingValue(key: string, value: unknown): void {
  if (KEY_LIKE.test(key)) throw new InvalidCommitError(`The setting "${key}" looks like a credential; the API key is never stored here.`);
  const found = findCredentialProperty(value);
  if (found) throw new InvalidCommitError(`The setting "${key}" holds "${found}"; the API key is never stored here.`);
}
