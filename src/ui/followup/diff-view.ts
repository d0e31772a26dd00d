/** The follow-up diff as the component shows it: patch lines classified, long diffs cut for display. */
import type { FileDiff, RunDiff } from '../../followup/index.ts';

export type DiffLineKind = 'header' | 'hunk' | 'added' | 'removed' | 'context' | 'note';

export interface DiffLine {
  kind: DiffLineKind;
  text: string;
}

/** Lines shown per file before the rest is left to the downloaded patch. */
export const SHOWN_LINES_PER_FILE = 1500;

/** A file's patch as classified lines (without git's header lines), at most `max` of them. */
export function diffLinesOf(file: Pick<FileDiff, 'patch'>, max = SHOWN_LINES_PER_FILE): { lines: DiffLine[]; hidden: number } {
  const all = file.patch.split('\n');
  if (all.at(-1) === '') all.pop();
  const firstHunk = all.findIndex((l) => l.startsWith('@@'));
  const body = firstHunk === -1 ? [] : all.slice(firstHunk);
  const lines = body.slice(0, max).map((text): DiffLine => {
    if (text.startsWith('@@')) return { kind: 'hunk', text };
    if (text.startsWith('+')) return { kind: 'added', text };
    if (text.startsWith('-')) return { kind: 'removed', text };
    if (text.startsWith('\\')) return { kind: 'note', text };
    return { kind: 'context', text };
  });
  return { lines, hidden: Math.max(0, body.length - max) };
}

const numberFormat = new Intl.NumberFormat('en');

/** "3 files changed, +12 −4 (40 unchanged)". */
export function diffSummaryText(diff: Pick<RunDiff, 'files' | 'additions' | 'deletions' | 'unchanged'>): string {
  if (!diff.files.length) return `No changes to the starting files (${numberFormat.format(diff.unchanged)} unchanged).`;
  const files = `${numberFormat.format(diff.files.length)} file${diff.files.length === 1 ? '' : 's'} changed`;
  return `${files}, +${numberFormat.format(diff.additions)} −${numberFormat.format(diff.deletions)} (${numberFormat.format(diff.unchanged)} unchanged)`;
}

export const CHANGE_LABEL: Record<FileDiff['change'], string> = { added: 'added', modified: 'modified', deleted: 'deleted' };
