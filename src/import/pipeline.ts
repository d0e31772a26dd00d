/**
 * The one import pipeline every source (a chosen folder, a folder's file list, a zip) feeds: candidates in
 * path order go through the rules (ignored folders, metadata, path rules, duplicates, the file and size
 * limits), then are read and judged text or binary by content. Works in slices, yielding to the event loop,
 * so thousands of files do not freeze the page.
 */
import { throwIfAborted } from '../errors.ts';
import { checkPath } from '../l2mac/paths.ts';
import type { ImportLimits } from './limits.ts';
import { IGNORED_FOLDERS, ignoredFolderOf, isMetadataFile } from './rules.ts';
import { formatBytes, SummaryBuilder, type ImportSummary } from './summary.ts';
import { createSlicer } from './yield.ts';

export interface ReadRequest {
  /** Read no more than this many bytes: past it the outcome is `too-large`. */
  maxBytes: number;
  signal?: AbortSignal;
}

export type ReadOutcome =
  | { ok: true; text: string; bytes: number }
  /** `bytes` is the size, or with `atLeast` what was read before the limit stopped it. */
  | { ok: false; reason: 'too-large'; bytes: number; atLeast?: boolean }
  | { ok: false; reason: 'binary' | 'unreadable' | 'link'; detail: string };

export interface ImportCandidate {
  /** The path inside the project ('/'-separated, the source's root folder already removed). */
  path: string;
  read(request: ReadRequest): Promise<ReadOutcome>;
}

export interface ImportProgress {
  phase: 'listing' | 'reading';
  /** Entries listed, or candidates read so far. */
  done: number;
  /** Candidates to read (reading only). */
  total: number | null;
  /** The path being looked at. */
  path?: string;
}

export interface ImportOptions {
  signal?: AbortSignal;
  onProgress?: (progress: ImportProgress) => void;
  limits?: Partial<ImportLimits>;
}

export interface ImportResult {
  /** Path → content, in path order. A null-prototype object, so a file named `__proto__` is an ordinary key. */
  files: Record<string, string>;
  summary: ImportSummary;
}

export interface CandidateSet {
  source: ImportSummary['source'];
  root: string | null;
  candidates: ImportCandidate[];
  /** Skips found while listing (folders never opened, zip entries refused by the directory). */
  builder: SummaryBuilder;
  startedAt: number;
}

function byPath(a: ImportCandidate, b: ImportCandidate): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

/** Every folder that some candidate lies in ("a/", "a/b/"), to find a file that is also a folder. */
function folderPrefixes(paths: Iterable<string>): Set<string> {
  const folders = new Set<string>();
  for (const path of paths) {
    for (let i = path.indexOf('/'); i !== -1; i = path.indexOf('/', i + 1)) folders.add(path.slice(0, i));
  }
  return folders;
}

export async function runImport(set: CandidateSet, limits: ImportLimits, options: ImportOptions = {}): Promise<ImportResult> {
  const { builder } = set;
  const slicer = createSlicer(options.signal);
  const files: Record<string, string> = Object.create(null) as Record<string, string>;
  const candidates = [...set.candidates].sort(byPath);
  const folders = folderPrefixes(candidates.filter((c) => !ignoredFolderOf(c.path) && checkPath(c.path).ok).map((c) => c.path));
  const seen = new Set<string>();
  let kept = 0;
  let totalBytes = 0;

  for (let i = 0; i < candidates.length; i++) {
    const candidate = candidates[i] as ImportCandidate;
    const { path } = candidate;
    if (await slicer.tick()) options.onProgress?.({ phase: 'reading', done: i, total: candidates.length, path });

    const ignored = ignoredFolderOf(path);
    if (ignored) {
      builder.skipInIgnoredFolder(ignored, IGNORED_FOLDERS.get(ignored.slice(0, -1).split('/').pop() ?? ''));
      continue;
    }
    if (isMetadataFile(path)) {
      builder.skip('metadata', path);
      continue;
    }
    const check = checkPath(path);
    if (!check.ok) {
      builder.skip('bad-path', path, check.reason);
      continue;
    }
    if (seen.has(path)) {
      builder.skip('duplicate', path);
      continue;
    }
    seen.add(path);
    if (folders.has(path)) {
      builder.skip('bad-path', path, 'a file and a folder have this same path; the folder was kept');
      continue;
    }
    if (kept >= limits.maxFiles) {
      builder.skip('over-file-limit', path);
      continue;
    }
    const remaining = limits.maxTotalBytes - totalBytes;
    const outcome = await candidate.read({ maxBytes: Math.min(limits.maxFileBytes, remaining), ...(options.signal ? { signal: options.signal } : {}) });
    throwIfAborted(options.signal);
    if (outcome.ok) {
      files[path] = outcome.text;
      totalBytes += outcome.bytes;
      kept++;
    } else if (outcome.reason === 'too-large') {
      const size = `${outcome.atLeast ? 'over ' : ''}${formatBytes(outcome.bytes)}`;
      builder.skip(outcome.bytes > limits.maxFileBytes ? 'too-large' : 'over-total-size', path, size);
    } else {
      builder.skip(outcome.reason, path, outcome.detail);
    }
  }
  options.onProgress?.({ phase: 'reading', done: candidates.length, total: candidates.length });
  const summary = builder.build(set.source, set.root, { files: kept, bytes: totalBytes }, limits, Date.now() - set.startedAt);
  return { files, summary };
}
