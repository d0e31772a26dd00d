/**
 * One file's change as a git-style unified diff (`diff --git a/… b/…`, `new file mode` / `deleted file
 * mode`, `/dev/null` for the missing side), made with the `diff` package so that `git apply` and `patch -p1`
 * accept it. Contents are compared exactly: a CR before a line feed and a missing final newline show.
 */
import { formatPatch, structuredPatch, type StructuredPatch, type StructuredPatchHunk } from 'diff';

export type FileChangeKind = 'added' | 'modified' | 'deleted';

export interface FilePatch {
  change: FileChangeKind;
  additions: number;
  deletions: number;
  /** The file's part of the patch, ending with a newline. */
  text: string;
  /** The line diff was too costly; the patch replaces the whole file (still exact, just larger). */
  wholeFile: boolean;
}

export interface PatchOptions {
  /** Lines of context around each change (git's default, 3). */
  context?: number;
  /**
   * Edit distance (in lines) past which the line diff gives up and the whole file is replaced: Myers' diff
   * is O(N·D), and a rewritten 20,000-line file should not freeze the page.
   */
  maxEditLength?: number;
}

/** The lines of a text as a hunk lists them, plus whether the last one lacks its newline. */
function linesOf(text: string): { lines: string[]; noFinalNewline: boolean } {
  if (text === '') return { lines: [], noFinalNewline: false };
  const lines = text.split('\n');
  const noFinalNewline = !text.endsWith('\n');
  if (!noFinalNewline) lines.pop();
  return { lines, noFinalNewline };
}

/** One hunk that deletes every old line and adds every new one. */
function wholeFileHunk(before: string, after: string): StructuredPatchHunk[] {
  const old = linesOf(before);
  const next = linesOf(after);
  const lines: string[] = old.lines.map((l) => `-${l}`);
  if (old.noFinalNewline) lines.push('\\ No newline at end of file');
  lines.push(...next.lines.map((l) => `+${l}`));
  if (next.noFinalNewline) lines.push('\\ No newline at end of file');
  if (!old.lines.length && !next.lines.length) return [];
  return [{ oldStart: 1, oldLines: old.lines.length, newStart: 1, newLines: next.lines.length, lines }];
}

function counts(hunks: readonly StructuredPatchHunk[]): { additions: number; deletions: number } {
  let additions = 0;
  let deletions = 0;
  for (const hunk of hunks) {
    for (const line of hunk.lines) {
      if (line.startsWith('+')) additions++;
      else if (line.startsWith('-')) deletions++;
    }
  }
  return { additions, deletions };
}

/** The patch of one path, from `before` (undefined: added) to `after` (undefined: deleted); null if equal. */
export function filePatch(path: string, before: string | undefined, after: string | undefined, options: PatchOptions = {}): FilePatch | null {
  if (before === after) return null;
  const change: FileChangeKind = before === undefined ? 'added' : after === undefined ? 'deleted' : 'modified';
  const oldName = change === 'added' ? '/dev/null' : `a/${path}`;
  const newName = change === 'deleted' ? '/dev/null' : `b/${path}`;
  const oldText = before ?? '';
  const newText = after ?? '';
  let wholeFile = false;
  let hunks: StructuredPatchHunk[];
  if (change === 'modified') {
    const computed = structuredPatch(oldName, newName, oldText, newText, undefined, undefined, {
      context: options.context ?? 3,
      maxEditLength: options.maxEditLength ?? 2_000,
    });
    wholeFile = computed === undefined;
    hunks = computed?.hunks ?? wholeFileHunk(oldText, newText);
  } else {
    hunks = wholeFileHunk(oldText, newText);
  }
  const structured: StructuredPatch = { oldFileName: oldName, newFileName: newName, oldHeader: undefined, newHeader: undefined, hunks, isGit: true };
  if (change === 'added') structured.isCreate = true;
  if (change === 'deleted') structured.isDelete = true;
  return { change, ...counts(hunks), text: formatPatch(structured), wholeFile };
}
