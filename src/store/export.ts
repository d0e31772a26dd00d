/**
 * Zips out of the store (DESIGN.md §6): "Download zip" of a run's current files, and a bundle of a whole
 * run (plan, files, versions, events, checkpoint) that another browser imports as the same run. Nothing
 * of the API key is in either: the run record has no field for it, and a bundle holding a credential-like
 * field is refused both ways.
 */
import { strFromU8, strToU8, unzipSync, Zip, ZipDeflate, zipSync } from 'fflate';
import { InvalidBundleError, RunNotFoundError } from './errors.ts';
import { sha256HexOfBytes } from './hash.ts';
import { blobPath, BUNDLE_FORMAT, BUNDLE_FORMAT_VERSION, MANIFEST_PATH, parseManifest, type BundleManifest } from './bundle-manifest.ts';
import { findCredentialProperty } from './rules.ts';
import type { FileStore, RunImporter, RunRecord } from './types.ts';

export { BUNDLE_FORMAT, BUNDLE_FORMAT_VERSION } from './bundle-manifest.ts';

export const IMPORTED_WHILE_RUNNING_REASON =
  'This run was exported while it was still running. Resume continues it from its last saved turn.';

/** A zip of the given files (path → content), folders as in the paths. */
export function zipFiles(files: Record<string, string>): Uint8Array {
  // fflate's zipSync keys an internal plain object by path, which a file named `__proto__` corrupts; the
  // streaming Zip takes each name as a string and, with ZipDeflate, produces its output synchronously.
  const chunks: Uint8Array[] = [];
  let failure: Error | null = null;
  const zip = new Zip((error, chunk) => {
    if (error) failure = error;
    else chunks.push(chunk);
  });
  for (const [path, content] of Object.entries(files)) {
    const entry = new ZipDeflate(path, { level: 6 });
    zip.add(entry);
    entry.push(strToU8(content), true);
  }
  zip.end();
  if (failure) throw failure;
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

/** One zip holding `manifest.json` and every blob the run's versions reference (`blobs/<sha256>`). */
export async function exportRunBundle(store: FileStore, runId: string): Promise<Uint8Array> {
  const run = await store.getRun(runId);
  if (!run) throw new RunNotFoundError(runId);
  const [versions, events, checkpoint] = await Promise.all([store.listVersions(runId), store.listEvents(runId), store.getCheckpoint(runId)]);
  const hashes = [...new Set(versions.flatMap((v) => (v.hash === null ? [] : [v.hash])))].sort();
  const entries: Record<string, Uint8Array> = {};
  const blobs: BundleManifest['blobs'] = [];
  for (const hash of hashes) {
    const content = await store.readBlob(hash);
    if (content === undefined) throw new Error(`The store lost the content ${hash} of run ${runId}.`);
    const bytes = strToU8(content);
    entries[blobPath(hash)] = bytes;
    blobs.push({ hash, bytes: bytes.byteLength });
  }
  const manifest: BundleManifest = {
    format: BUNDLE_FORMAT,
    formatVersion: BUNDLE_FORMAT_VERSION,
    exportedAt: Date.now(),
    run,
    checkpoint: checkpoint ?? null,
    versions,
    events,
    blobs,
  };
  const credential = findCredentialProperty(manifest);
  if (credential) throw new Error(`The run holds a "${credential}" field; a bundle never carries credentials.`);
  entries[MANIFEST_PATH] = strToU8(JSON.stringify(manifest));
  return zipSync(entries, { level: 6 });
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Checks a bundle whole (manifest, every blob against its hash) and stores it as a new run: the same id
 * unless that id is taken here, identical files, versions and events. A run exported while `planning` or
 * `running` comes in `interrupted`, to be resumed by the user.
 */
export async function importRunBundle(store: FileStore & RunImporter, bytes: Uint8Array): Promise<RunRecord> {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes);
  } catch {
    throw new InvalidBundleError('This file cannot be imported: it is not a zip archive, or it is damaged.');
  }
  const manifestBytes = entries[MANIFEST_PATH];
  if (!manifestBytes) throw new InvalidBundleError('This zip cannot be imported: it has no manifest.json, so it is not a run bundle.');
  const manifest = parseManifest(strFromU8(manifestBytes));

  const blobs: Record<string, string> = {};
  for (const { hash } of manifest.blobs) {
    const data = entries[blobPath(hash)];
    if (!data) throw new InvalidBundleError(`This bundle cannot be imported: the content ${hash.slice(0, 12)}… is missing from it.`);
    if ((await sha256HexOfBytes(new Uint8Array(data))) !== hash) {
      throw new InvalidBundleError(`This bundle cannot be imported: the content ${hash.slice(0, 12)}… does not match its hash (the bundle was changed or damaged).`);
    }
    try {
      blobs[hash] = strictUtf8.decode(data);
    } catch {
      throw new InvalidBundleError(`This bundle cannot be imported: the content ${hash.slice(0, 12)}… is not UTF-8 text.`);
    }
  }

  const run: RunRecord = { ...manifest.run };
  if (run.status === 'running' || run.status === 'planning') {
    run.status = 'interrupted';
    run.statusReason = IMPORTED_WHILE_RUNNING_REASON;
    delete run.pauseReason;
  }
  return store.importRun({ run, checkpoint: manifest.checkpoint, versions: manifest.versions, events: manifest.events }, blobs);
}
