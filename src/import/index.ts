/**
 * Starting a run from existing code (DESIGN.md §4 "Existing code and follow-ups"): a folder or a zip read
 * into `Record<path, content>` for `createRun({ files })` / `runL2MAC({ files })`, with a summary of what
 * was imported and what was left out and why.
 */
export { importFromDirectoryHandle, importFromFileList, pickDirectory, supportsDirectoryPicker } from './folder.ts';
export type { DirectoryHandleLike, FileHandleLike } from './folder.ts';
export { DEFAULT_IMPORT_LIMITS, importLimits, type ImportLimits } from './limits.ts';
export type { ImportCandidate, ImportOptions, ImportProgress, ImportResult } from './pipeline.ts';
export { IGNORED_FOLDERS, ignoredFolderOf, isMetadataFile } from './rules.ts';
export { describeSkipGroup, describeSummary, formatBytes, SKIP_REASONS } from './summary.ts';
export type { ImportSummary, SkipExample, SkipGroup, SkipReason } from './summary.ts';
export { importFromZip, ZipFormatError } from './zip.ts';
export { importOrigin } from './origin.ts';
