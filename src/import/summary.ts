/**
 * What an import kept and what it left out, with counts and a few examples per reason, so the user can see
 * at a glance whether the right project came in (and why a file is missing).
 */
import type { ImportLimits } from './limits.ts';
import type { IgnoredKind } from './rules.ts';

export type SkipReason =
  /** Inside a dependency, version-control, build-output or cache folder (`rules.ts`). */
  | 'ignored-folder'
  /** Finder/Explorer metadata (`.DS_Store`, `._name`, `Thumbs.db`). */
  | 'metadata'
  /** A path the project cannot hold (DESIGN.md §5 path rules), or a file that is also a folder. */
  | 'bad-path'
  /** NUL bytes or not valid UTF-8. */
  | 'binary'
  /** Over the 1 MB file limit. */
  | 'too-large'
  /** Past the 5,000-file limit (in path order). */
  | 'over-file-limit'
  /** Would take the import past its total size. */
  | 'over-total-size'
  /** A zip entry whose path came earlier in the archive. */
  | 'duplicate'
  /** A symbolic link (its target is not part of the archive). */
  | 'link'
  /** Damaged, encrypted, compressed with an unsupported method, or the archive expands too far. */
  | 'unreadable';

/** The order reasons are shown in: the ones a user most often wonders about first. */
export const SKIP_REASONS: readonly SkipReason[] = [
  'ignored-folder',
  'binary',
  'too-large',
  'over-file-limit',
  'over-total-size',
  'bad-path',
  'unreadable',
  'link',
  'duplicate',
  'metadata',
];

export interface SkipExample {
  /** The path as it was in the source (a folder ends with "/"). */
  path: string;
  /** Why, for this example (a size, the path rule it breaks, "1,234 files"). */
  detail?: string;
}

export interface SkipGroup {
  reason: SkipReason;
  /** How many were skipped for this reason. */
  count: number;
  /** What `count` counts: files, or (ignored folders that were never opened) folders. */
  unit: 'file' | 'folder';
  /** The first few, in path order. */
  examples: SkipExample[];
  /** How many more there are than `examples` shows (in the examples' terms: files, or folders for ignored folders). */
  unshown: number;
}

export interface ImportSummary {
  source: { kind: 'folder' | 'zip'; name: string };
  /** The top folder removed from every path: the chosen folder, or a zip's single wrapping folder. */
  root: string | null;
  imported: { files: number; bytes: number };
  /** Non-empty groups, in `SKIP_REASONS` order. */
  skipped: SkipGroup[];
  /** Sum of the file counts of `skipped` (folders never opened are not counted as files). */
  skippedFiles: number;
  /** The source has more entries than were looked at (the entry limit); `unlisted` says how many when known. */
  truncated: boolean;
  unlisted: number | null;
  /** The limits the import applied (the texts quote them). */
  limits: Pick<ImportLimits, 'maxFiles' | 'maxFileBytes' | 'maxTotalBytes'>;
  durationMs: number;
}

const MAX_EXAMPLES = 5;

/** Collects skips while an import runs, then freezes into an `ImportSummary`. */
export class SummaryBuilder {
  private readonly groups = new Map<SkipReason, SkipGroup>();
  /** Files per ignored folder, for folders whose contents were listed (a file list, a zip). */
  private readonly ignoredFiles = new Map<string, { files: number; kind: IgnoredKind | undefined }>();
  private readonly ignoredUnopened = new Map<string, IgnoredKind | undefined>();
  truncated = false;
  unlisted: number | null = null;

  skip(reason: SkipReason, path: string, detail?: string): void {
    const group = this.group(reason, 'file');
    group.count++;
    if (group.examples.length < MAX_EXAMPLES) group.examples.push(detail === undefined ? { path } : { path, detail });
  }

  /** A file inside an ignored folder (the folder's files are counted and shown as one example). */
  skipInIgnoredFolder(folder: string, kind: IgnoredKind | undefined): void {
    const entry = this.ignoredFiles.get(folder);
    if (entry) entry.files++;
    else this.ignoredFiles.set(folder, { files: 1, kind });
  }

  /** An ignored folder left unopened (a folder walk never descends into it). */
  skipIgnoredFolder(folder: string, kind: IgnoredKind | undefined): void {
    this.ignoredUnopened.set(folder, kind);
  }

  build(
    source: ImportSummary['source'],
    root: string | null,
    imported: ImportSummary['imported'],
    limits: ImportSummary['limits'],
    durationMs: number,
  ): ImportSummary {
    this.foldIgnoredFolders();
    const skipped = SKIP_REASONS.flatMap((reason) => {
      const group = this.groups.get(reason);
      if (!group || group.count === 0) return [];
      const unshown = reason === 'ignored-folder' ? group.unshown : group.count - group.examples.length;
      return [{ ...group, examples: [...group.examples], unshown }];
    });
    const skippedFiles = skipped.reduce((n, g) => n + (g.unit === 'file' ? g.count : 0), 0);
    const { maxFiles, maxFileBytes, maxTotalBytes } = limits;
    return {
      source,
      root,
      imported,
      skipped,
      skippedFiles,
      truncated: this.truncated,
      unlisted: this.unlisted,
      limits: { maxFiles, maxFileBytes, maxTotalBytes },
      durationMs,
    };
  }

  private group(reason: SkipReason, unit: SkipGroup['unit']): SkipGroup {
    let group = this.groups.get(reason);
    if (!group) {
      group = { reason, count: 0, unit, examples: [], unshown: 0 };
      this.groups.set(reason, group);
    }
    return group;
  }

  private foldIgnoredFolders(): void {
    if (this.groups.has('ignored-folder')) return;
    const listed = [...this.ignoredFiles].sort(([a], [b]) => (a < b ? -1 : 1));
    const unopened = [...this.ignoredUnopened].sort(([a], [b]) => (a < b ? -1 : 1));
    if (!listed.length && !unopened.length) return;
    // Counted in files when every skipped folder was listed; a walk that never opened them counts folders.
    const unit: SkipGroup['unit'] = unopened.length ? 'folder' : 'file';
    const group = this.group('ignored-folder', unit);
    group.count = unit === 'file' ? listed.reduce((n, [, e]) => n + e.files, 0) : listed.length + unopened.length;
    const examples: SkipExample[] = [
      ...listed.map(([path, e]) => ({ path, detail: `${kindText(e.kind)}, ${plural(e.files, 'file')}` })),
      ...unopened.map(([path, kind]) => ({ path, detail: `${kindText(kind)}, not opened` })),
    ].sort((a, b) => (a.path < b.path ? -1 : 1));
    group.examples = examples.slice(0, MAX_EXAMPLES);
    group.unshown = examples.length - group.examples.length;
  }
}

function kindText(kind: IgnoredKind | undefined): string {
  return kind ?? 'left out';
}

const numberFormat = new Intl.NumberFormat('en');

export function plural(n: number, word: string, words = `${word}s`): string {
  return `${numberFormat.format(n)} ${n === 1 ? word : words}`;
}

/** 1024-based, as the limits are: the 1 MB file limit reads "1 MB", not "1.0 MB" or "1.05 MB". */
export function formatBytes(bytes: number): string {
  const trim = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${trim(Math.round((bytes / 1024) * 10) / 10)} KB`;
  return `${trim(Math.round((bytes / 1024 / 1024) * 10) / 10)} MB`;
}

/** One sentence per reason, for the summary's headings. */
export function describeSkipGroup(group: SkipGroup, limits: ImportSummary['limits']): string {
  const n = group.count;
  switch (group.reason) {
    case 'ignored-folder':
      return group.unit === 'folder'
        ? `${plural(n, 'folder')} left out: dependencies, version control, build output and caches are not source (npm reinstalls dependencies from package.json).`
        : `${plural(n, 'file')} in dependency, version-control, build-output or cache folders left out (npm reinstalls dependencies from package.json).`;
    case 'metadata':
      return `${plural(n, 'system metadata file')} (.DS_Store, ._ files, Thumbs.db) left out.`;
    case 'bad-path':
      return `${plural(n, 'file')} with a path the project cannot hold.`;
    case 'binary':
      return `${plural(n, 'binary file')} left out: only UTF-8 text is imported.`;
    case 'too-large':
      return `${plural(n, 'file')} over the ${formatBytes(limits.maxFileBytes)} file limit.`;
    case 'over-file-limit':
      return `${plural(n, 'file')} past the limit of ${plural(limits.maxFiles, 'file')} per project (the first ones in path order were kept).`;
    case 'over-total-size':
      return `${plural(n, 'file')} that would take the import past its ${formatBytes(limits.maxTotalBytes)} limit.`;
    case 'duplicate':
      return `${plural(n, 'duplicate entry', 'duplicate entries')} (the first copy was kept).`;
    case 'link':
      return `${plural(n, 'symbolic link')} left out.`;
    case 'unreadable':
      return `${plural(n, 'entry', 'entries')} could not be read.`;
  }
}

/** The headline: "Imported 42 files (180.2 KB); left out 1,234 files." */
export function describeSummary(summary: ImportSummary): string {
  const kept = `Imported ${plural(summary.imported.files, 'file')} (${formatBytes(summary.imported.bytes)})`;
  const folders = summary.skipped.find((g) => g.reason === 'ignored-folder' && g.unit === 'folder');
  const parts: string[] = [];
  if (summary.skippedFiles) parts.push(plural(summary.skippedFiles, 'file'));
  if (folders) parts.push(plural(folders.count, 'folder'));
  const left = parts.length ? `; left out ${parts.join(' and ')}` : '';
  const more = summary.truncated ? `; stopped looking after the entry limit${summary.unlisted ? ` (${plural(summary.unlisted, 'entry', 'entries')} not looked at)` : ''}` : '';
  return `${kept}${left}${more}.`;
}
