/**
 * Bounds of an import. The per-file and file-count limits are the store's (DESIGN.md §5); the others keep a
 * hostile or oversized source (a zip bomb, a home folder chosen by mistake) from exhausting the tab.
 */
import { MAX_FILE_BYTES, MAX_FILES } from '../l2mac/paths.ts';

export interface ImportLimits {
  /** Files kept at most (the store's limit); later ones, in path order, are skipped. */
  maxFiles: number;
  /** UTF-8 bytes of one file at most (the store's 1 MB). */
  maxFileBytes: number;
  /**
   * UTF-8 bytes of all kept files together. 5,000 files of 1 MB would be 5 GB held as strings in the tab
   * and written to IndexedDB; 100 MB is far above any source tree a model can work on.
   */
  maxTotalBytes: number;
  /** Entries looked at (files found while walking a folder, entries of a zip's directory). */
  maxEntries: number;
  /**
   * Bytes a zip may expand to while being read, counting what is decompressed and then skipped (binaries,
   * oversized entries): bounds the work an archive of overlapping or highly compressed entries can cause.
   */
  maxInflatedBytes: number;
}

export const DEFAULT_IMPORT_LIMITS: ImportLimits = {
  maxFiles: MAX_FILES,
  maxFileBytes: MAX_FILE_BYTES,
  maxTotalBytes: 100 * 1024 * 1024,
  maxEntries: 200_000,
  maxInflatedBytes: 512 * 1024 * 1024,
};

export function importLimits(overrides: Partial<ImportLimits> = {}): ImportLimits {
  return { ...DEFAULT_IMPORT_LIMITS, ...overrides };
}
