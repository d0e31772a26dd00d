/** Words and numbers the import component shows, kept out of the component so they can be tested. */
import type { ImportProgress } from '../../import/index.ts';

const numberFormat = new Intl.NumberFormat('en');

/** "Looking through the folder… 1,234 files found", "Reading 120 of 5,000 files". */
export function progressText(progress: ImportProgress | null): string {
  if (!progress) return 'Starting…';
  if (progress.phase === 'listing') return `Looking through the files… ${numberFormat.format(progress.done)} found`;
  return progress.total === null ? `Reading… ${numberFormat.format(progress.done)} read` : `Reading ${numberFormat.format(progress.done)} of ${numberFormat.format(progress.total)} files`;
}

/** The `<progress>` value and maximum; an indeterminate bar (no value) while listing. */
export function progressBar(progress: ImportProgress | null): { value: number | null; max: number } {
  if (!progress || progress.phase === 'listing' || !progress.total) return { value: null, max: 1 };
  return { value: progress.done, max: progress.total };
}

/** Whether a chosen file looks like a zip (by name or type; the reader checks the content). */
export function looksLikeZip(file: { name: string; type: string }): boolean {
  return /\.zip$/i.test(file.name) || file.type === 'application/zip' || file.type === 'application/x-zip-compressed';
}
