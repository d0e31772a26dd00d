/**
 * The run's files as the tools see them: the committed files plus an overlay of the current turn's writes
 * and deletes (DESIGN.md §6: tools write to an in-memory overlay; the turn's changes are committed at its
 * end, or dropped whole when the turn does not complete).
 */
import type { FileChange } from '../sandbox/types.ts';
import { lineCount } from './paths.ts';

export class Workspace {
  private readonly base: Map<string, string>;
  /** The turn's changes: content, or null for a delete. */
  private readonly overlay = new Map<string, string | null>();
  /** Paths changed since the sandbox last received them (survives commits; cleared by `takeUnsynced`). */
  private readonly unsynced = new Set<string>();

  constructor(files: Record<string, string> = {}) {
    this.base = new Map(Object.entries(files));
  }

  read(path: string): string | undefined {
    if (this.overlay.has(path)) return this.overlay.get(path) ?? undefined;
    return this.base.get(path);
  }

  has(path: string): boolean {
    return this.read(path) !== undefined;
  }

  /** Every current path, sorted. */
  paths(): string[] {
    const all = new Set(this.base.keys());
    for (const [path, content] of this.overlay) {
      if (content === null) all.delete(path);
      else all.add(path);
    }
    return [...all].sort();
  }

  get size(): number {
    return this.paths().length;
  }

  write(path: string, content: string): void {
    if (this.base.get(path) === content) this.overlay.delete(path);
    else this.overlay.set(path, content);
    this.unsynced.add(path);
  }

  delete(path: string): void {
    if (this.base.has(path)) this.overlay.set(path, null);
    else this.overlay.delete(path);
    this.unsynced.add(path);
  }

  /** The turn's changes, in path order; a rewrite with identical content is no change. */
  changes(): FileChange[] {
    return [...this.overlay.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([path, content]) => ({ path, content }));
  }

  /** Whether `path` existed before this turn (to tell an added file from a modified one). */
  existedBefore(path: string): boolean {
    return this.base.has(path);
  }

  /** The turn was committed: its changes become the base. */
  commit(): void {
    for (const [path, content] of this.overlay) {
      if (content === null) this.base.delete(path);
      else this.base.set(path, content);
    }
    this.overlay.clear();
  }

  /** The turn was not committed: forget its changes. The sandbox must hear of the paths again. */
  discard(): void {
    for (const path of this.overlay.keys()) this.unsynced.add(path);
    this.overlay.clear();
  }

  /** The changes the sandbox has not seen yet, as they stand now. */
  takeUnsynced(): FileChange[] {
    const changes = [...this.unsynced].sort().map((path) => ({ path, content: this.read(path) ?? null }));
    this.unsynced.clear();
    return changes;
  }

  /** Every current file with its content. */
  snapshot(): Record<string, string> {
    const files: Record<string, string> = {};
    for (const path of this.paths()) files[path] = this.read(path) ?? '';
    return files;
  }
}

export interface ListingOptions {
  /** Entries shown before the listing collapses folders (DESIGN.md §4: 200). */
  maxEntries?: number;
  /** Characters the listing may take (long names could otherwise make 200 entries huge); default 8,000. */
  maxChars?: number;
}

interface Entry {
  label: string;
  files: number;
  lines: number;
}

function folderAt(path: string, depth: number): string | null {
  const parts = path.split('/');
  return parts.length - 1 > depth ? `${parts.slice(0, depth + 1).join('/')}/` : null;
}

/** Entries when every folder at `depth` (0 = top level) or deeper is shown collapsed. */
function collapsedEntries(files: [string, number][], depth: number): Entry[] {
  const entries: Entry[] = [];
  const folders = new Map<string, Entry>();
  for (const [path, lines] of files) {
    const folder = folderAt(path, depth);
    if (folder === null) {
      entries.push({ label: path, files: 1, lines });
      continue;
    }
    let entry = folders.get(folder);
    if (!entry) {
      entry = { label: folder, files: 0, lines: 0 };
      folders.set(folder, entry);
      entries.push(entry);
    }
    entry.files++;
    entry.lines += lines;
  }
  return entries;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function renderEntry(entry: Entry): string {
  return entry.label.endsWith('/')
    ? `${entry.label} (${plural(entry.files, 'file')}, ${plural(entry.lines, 'line')}; use list_files to see them)`
    : `${entry.label} (${plural(entry.lines, 'line')})`;
}

/**
 * The compact file list given to the model: every file with its size in lines, or, past `maxEntries`
 * files, a tree whose deepest folders are collapsed into a count until it fits (and, if even the top level
 * does not fit, the first entries and a count of the rest).
 */
export function fileListing(workspace: Pick<Workspace, 'paths' | 'read'>, options: ListingOptions = {}): string {
  const max = options.maxEntries ?? 200;
  const files: [string, number][] = workspace.paths().map((p) => [p, lineCount(workspace.read(p) ?? '')]);
  if (files.length === 0) return '(no files yet)';
  return capListing(entryLines(files, max), options.maxChars ?? 8000);
}

function entryLines(files: [string, number][], max: number): string[] {
  if (files.length <= max) return files.map(([p, lines]) => renderEntry({ label: p, files: 1, lines }));

  const deepest = Math.max(...files.map(([p]) => p.split('/').length - 1));
  for (let depth = deepest - 1; depth >= 0; depth--) {
    const entries = collapsedEntries(files, depth);
    if (entries.length <= max) {
      return [`${files.length} files; some folders are collapsed:`, ...entries.map(renderEntry)];
    }
  }
  const top = collapsedEntries(files, 0);
  const shown = top.slice(0, max);
  const hidden = top.slice(max).reduce((n, e) => n + e.files, 0);
  return [
    `${files.length} files; folders are collapsed:`,
    ...shown.map(renderEntry),
    `… and ${top.length - max} more entries holding ${plural(hidden, 'file')} (use list_files to see them).`,
  ];
}

/** Whole lines up to `maxChars`, then a line saying how many were left out. */
function capListing(lines: string[], maxChars: number): string {
  const text = lines.join('\n');
  if (text.length <= maxChars) return text;
  const kept: string[] = [];
  let used = 0;
  const reserve = 120;
  for (const line of lines) {
    if (used + line.length + 1 > maxChars - reserve) break;
    kept.push(line);
    used += line.length + 1;
  }
  kept.push(`… ${lines.length - kept.length} more lines of this listing left out to keep it short (use list_files to see them).`);
  return kept.join('\n');
}
