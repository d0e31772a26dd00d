/**
 * "Restore the files to the end of step N" (issue 6): nothing is erased; the restore is a new commit whose
 * changes turn the current files into the files at that step (cause `restore`), so every version before it
 * stays viewable and the restore itself can be undone the same way.
 */
import type { FileChange } from '../sandbox/types.ts';
import type { FileStore } from './types.ts';

/** The changes that turn `current` into `target`, in path order (unchanged files are left out). */
export function changesBetween(current: Record<string, string>, target: Record<string, string>): FileChange[] {
  const changes: FileChange[] = [];
  for (const [path, content] of Object.entries(target)) if (current[path] !== content) changes.push({ path, content });
  for (const path of Object.keys(current)) if (!(path in target)) changes.push({ path, content: null });
  return changes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The changes a restore to the end of `step` commits (with `cause: 'restore'`). */
export async function changesToRestoreStep(store: FileStore, runId: string, step: number): Promise<FileChange[]> {
  const [current, target] = await Promise.all([store.readAllFiles(runId), store.filesAtStep(runId, step)]);
  return changesBetween(current, target);
}
