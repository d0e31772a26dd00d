/** Helpers shared by the file tools: limits on output and messages about missing files. */
import { checkPath } from '../paths.ts';
import type { Workspace } from '../workspace.ts';

/** `list_files`, `search_files` and test/run output stop at this many characters (DESIGN.md §5). */
export const LIST_OUTPUT_LIMIT = 8000;
/** `view_files` returns up to this many characters per call (DESIGN.md §5). */
export const VIEW_OUTPUT_LIMIT = 40_000;

/** Up to `max` existing paths, for messages that say what exists. */
export function existingPathsHint(workspace: Workspace, max = 50): string {
  const paths = workspace.paths();
  if (paths.length === 0) return 'The project has no files yet.';
  const shown = paths.slice(0, max).join(', ');
  return paths.length > max
    ? `The project has ${paths.length} files, among them: ${shown}, … (use list_files to see all).`
    : `The project's files are: ${shown}.`;
}

/** Normalises a folder argument ("src/" or "src"), or gives the reason it is not a valid folder path. */
export function folderArgument(value: string | undefined): { ok: true; folder: string | null } | { ok: false; reason: string } {
  if (value === undefined || value === '' || value === '.' || value === './') return { ok: true, folder: null };
  const trimmed = value.endsWith('/') ? value.slice(0, -1) : value;
  const check = checkPath(trimmed);
  return check.ok ? { ok: true, folder: check.path } : { ok: false, reason: check.reason };
}

export function isUnder(path: string, folder: string | null): boolean {
  return folder === null || path === folder || path.startsWith(`${folder}/`);
}

/**
 * Joins lines until the next would pass `limit` characters; returns the text and how many lines were left
 * out.
 */
export function joinWithin(lines: string[], limit: number): { text: string; omitted: number } {
  let length = 0;
  let count = 0;
  for (const line of lines) {
    const next = length + line.length + (count ? 1 : 0);
    if (next > limit) break;
    length = next;
    count++;
  }
  return { text: lines.slice(0, count).join('\n'), omitted: lines.length - count };
}
