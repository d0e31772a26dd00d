/**
 * The diff of a run against its starting files (DESIGN.md §4 "Existing code and follow-ups"): for a
 * follow-up or an imported project, what the run added, changed and deleted, per file with line counts,
 * and the whole as ONE patch that `git apply` takes in a checkout of the original. The starting files are
 * `filesAtStep(runId, 0)`; the run's own earlier versions do not matter.
 */
import { createSlicer } from '../import/yield.ts';
import type { FileStore } from '../store/types.ts';
import { filePatch, type FileChangeKind, type PatchOptions } from './patch.ts';

export type { FileChangeKind } from './patch.ts';

export interface FileDiff {
  path: string;
  change: FileChangeKind;
  additions: number;
  deletions: number;
  /** This file's part of the patch. */
  patch: string;
  /** The line diff was too costly: the patch replaces the whole file. */
  wholeFile: boolean;
}

export interface RunDiff {
  /** Changed files only, in path order. */
  files: FileDiff[];
  additions: number;
  deletions: number;
  /** Files present before and after with the same content. */
  unchanged: number;
  /** Every file's patch, in path order; '' when nothing changed. */
  patch: string;
}

export interface DiffOptions extends PatchOptions {
  signal?: AbortSignal;
}

function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The diff from `before` to `after` (path → content). Yields to the event loop between files. */
export async function diffFileSets(before: Record<string, string>, after: Record<string, string>, options: DiffOptions = {}): Promise<RunDiff> {
  const slicer = createSlicer(options.signal);
  const has = (files: Record<string, string>, path: string) => Object.prototype.hasOwnProperty.call(files, path);
  const paths = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort(byCodeUnit);
  const files: FileDiff[] = [];
  let unchanged = 0;
  for (const path of paths) {
    await slicer.tick();
    const patch = filePatch(path, has(before, path) ? before[path] : undefined, has(after, path) ? after[path] : undefined, options);
    if (!patch) {
      unchanged++;
      continue;
    }
    files.push({ path, change: patch.change, additions: patch.additions, deletions: patch.deletions, patch: patch.text, wholeFile: patch.wholeFile });
  }
  return {
    files,
    additions: files.reduce((n, f) => n + f.additions, 0),
    deletions: files.reduce((n, f) => n + f.deletions, 0),
    unchanged,
    patch: files.map((f) => f.patch).join(''),
  };
}

/** A run's current files against its starting files (an import, or the run it follows up). */
export async function diffRunAgainstStart(store: Pick<FileStore, 'filesAtStep' | 'readAllFiles'>, runId: string, options: DiffOptions = {}): Promise<RunDiff> {
  const [start, current] = await Promise.all([store.filesAtStep(runId, 0), store.readAllFiles(runId)]);
  return diffFileSets(start, current, options);
}
