/**
 * The manifest of a run bundle (an export of a whole run) and its validation. A bundle comes from outside
 * (another browser, a download, a hand edit), so every field the store relies on is checked before
 * anything is stored, and each refusal says what is wrong.
 */
import type { CheckpointState } from '../l2mac/checkpoint.ts';
import type { DurableEvent } from '../l2mac/events.ts';
import { RUN_STATUSES } from '../l2mac/run-state.ts';
import { InvalidBundleError } from './errors.ts';
import { HASH_PATTERN } from './hash.ts';
import { findCredentialProperty } from './rules.ts';
import type { RunRecord, VersionRecord } from './types.ts';

export const BUNDLE_FORMAT = 'l2mac-run-bundle';
export const BUNDLE_FORMAT_VERSION = 1;
export const MANIFEST_PATH = 'manifest.json';

export function blobPath(hash: string): string {
  return `blobs/${hash}`;
}

export interface BundleManifest {
  format: typeof BUNDLE_FORMAT;
  formatVersion: number;
  exportedAt: number;
  run: RunRecord;
  checkpoint: CheckpointState | null;
  /** Every version of every path, in (path, version) order. */
  versions: VersionRecord[];
  /** The whole log, seq 1 to `run.lastSeq`. */
  events: DurableEvent[];
  /** Every blob the versions reference, each stored at `blobs/<hash>`. */
  blobs: { hash: string; bytes: number }[];
}

type Obj = Record<string, unknown>;

function fail(message: string): never {
  throw new InvalidBundleError(`This bundle cannot be imported: ${message}`);
}

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0;
}

function checkRun(run: unknown): asserts run is RunRecord {
  if (!isObj(run)) fail('it has no run record.');
  if (typeof run.id !== 'string' || run.id === '') fail('the run has no id.');
  if (typeof run.task !== 'string' || typeof run.title !== 'string') fail('the run has no task or title.');
  if (run.domain !== 'codebase' && run.domain !== 'book') fail(`the run's kind "${String(run.domain)}" is unknown.`);
  if (!(RUN_STATUSES as readonly unknown[]).includes(run.status)) fail(`the run's status "${String(run.status)}" is unknown.`);
  if (!isObj(run.settings) || !isObj(run.usage)) fail('the run has no settings or usage.');
  if (!isCount(run.lastSeq) || typeof run.createdAt !== 'number' || typeof run.updatedAt !== 'number') fail('the run record is incomplete.');
  if (run.plan !== null && !Array.isArray(run.plan)) fail('the run plan is not a list.');
}

const CAUSES: readonly unknown[] = ['tool', 'start', 'restore'];

function checkVersions(versions: unknown, runId: string): asserts versions is VersionRecord[] {
  if (!Array.isArray(versions)) fail('it has no version list.');
  const lastByPath = new Map<string, number>();
  for (const v of versions as unknown[]) {
    if (!isObj(v) || typeof v.path !== 'string' || v.path === '') fail('a version has no path.');
    const where = `version ${String(v.version)} of ${v.path}`;
    if (v.runId !== runId) fail(`${where} belongs to another run.`);
    if (!isCount(v.version) || v.version === 0 || !isCount(v.step) || !isCount(v.turn) || typeof v.at !== 'number') fail(`${where} is incomplete.`);
    if (v.hash !== null && (typeof v.hash !== 'string' || !HASH_PATTERN.test(v.hash))) fail(`${where} has no valid content hash.`);
    if (!CAUSES.includes(v.cause)) fail(`${where} has an unknown cause.`);
    const expected = (lastByPath.get(v.path) ?? 0) + 1;
    if (v.version !== expected) fail(`the versions of ${v.path} are not numbered 1, 2, 3… in order.`);
    lastByPath.set(v.path, v.version);
  }
}

function checkEvents(events: unknown, run: RunRecord): asserts events is DurableEvent[] {
  if (!Array.isArray(events)) fail('it has no event log.');
  (events as unknown[]).forEach((e, i) => {
    if (!isObj(e) || typeof e.type !== 'string') fail(`event ${i + 1} is not an event.`);
    if (e.runId !== run.id) fail(`event ${i + 1} belongs to another run.`);
    if (e.seq !== i + 1) fail(`the event log is not in order (seq ${String(e.seq)} at position ${i + 1}).`);
  });
  if (events.length !== run.lastSeq) fail(`the event log has ${events.length} events but the run says ${run.lastSeq}.`);
}

/** Parses and checks a manifest; every referenced blob must be listed. */
export function parseManifest(text: string): BundleManifest {
  let manifest: unknown;
  try {
    manifest = JSON.parse(text);
  } catch {
    fail('its manifest is not valid JSON.');
  }
  if (!isObj(manifest) || manifest.format !== BUNDLE_FORMAT) fail('it is not an L2MAC run bundle.');
  if (typeof manifest.formatVersion !== 'number') fail('its format version is missing.');
  if (manifest.formatVersion > BUNDLE_FORMAT_VERSION) {
    fail(`it was written by a newer version of the app (bundle format ${manifest.formatVersion}; this app reads up to ${BUNDLE_FORMAT_VERSION}).`);
  }
  if (manifest.formatVersion !== BUNDLE_FORMAT_VERSION) fail(`bundle format ${manifest.formatVersion} is not supported.`);
  checkRun(manifest.run);
  if (manifest.checkpoint !== null && !isObj(manifest.checkpoint)) fail('its checkpoint is not an object.');
  checkVersions(manifest.versions, manifest.run.id);
  checkEvents(manifest.events, manifest.run);
  if (!Array.isArray(manifest.blobs)) fail('it has no blob list.');
  const listed = new Set<string>();
  for (const b of manifest.blobs as unknown[]) {
    if (!isObj(b) || typeof b.hash !== 'string' || !HASH_PATTERN.test(b.hash) || !isCount(b.bytes)) fail('an entry of its blob list is invalid.');
    listed.add(b.hash);
  }
  for (const v of manifest.versions) {
    if (v.hash !== null && !listed.has(v.hash)) fail(`the content of version ${v.version} of ${v.path} is not in the bundle.`);
  }
  const credential = findCredentialProperty(manifest);
  if (credential) fail(`it holds a "${credential}" field; credentials are never imported.`);
  return manifest as unknown as BundleManifest;
}
