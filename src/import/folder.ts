/**
 * Importing a folder: through the File System Access API where the browser has it (`showDirectoryPicker`;
 * the walk never opens `node_modules`, `.git` and the like, so a big project lists in a moment), or from
 * the file list of an `<input type="file" webkitdirectory>` (every browser; the browser lists everything,
 * the pipeline leaves out what it must without reading it).
 */
import { errorMessage, isAbortError, throwIfAborted } from '../errors.ts';
import { importLimits } from './limits.ts';
import { runImport, type ImportCandidate, type ImportOptions, type ImportResult, type ReadOutcome, type ReadRequest } from './pipeline.ts';
import { IGNORED_FOLDERS } from './rules.ts';
import { SummaryBuilder } from './summary.ts';
import { decodeText } from './text.ts';
import { createSlicer } from './yield.ts';

/** The part of `FileSystemFileHandle` an import uses. */
export interface FileHandleLike {
  readonly kind: 'file';
  readonly name: string;
  getFile(): Promise<File>;
}

/** The part of `FileSystemDirectoryHandle` an import uses (its async iteration of entries). */
export interface DirectoryHandleLike {
  readonly kind: 'directory';
  readonly name: string;
  values(): AsyncIterable<FileHandleLike | DirectoryHandleLike>;
}

interface DirectoryPickerWindow {
  showDirectoryPicker?: (options?: { id?: string; mode?: 'read' | 'readwrite' }) => Promise<DirectoryHandleLike>;
}

/** Whether this page can open the folder picker (Chromium browsers, top-level page). */
export function supportsDirectoryPicker(): boolean {
  if (typeof window === 'undefined') return false;
  const picker = (window as unknown as DirectoryPickerWindow).showDirectoryPicker;
  return typeof picker === 'function' && window.self === window.top;
}

/** Opens the browser's folder picker; null when the user closes it without choosing. */
export async function pickDirectory(): Promise<DirectoryHandleLike | null> {
  const picker = (window as unknown as DirectoryPickerWindow).showDirectoryPicker;
  if (typeof picker !== 'function') throw new Error('This browser cannot open a folder picker; choose the folder with the file input instead.');
  try {
    return await picker.call(window, { id: 'l2mac-import', mode: 'read' });
  } catch (error) {
    if (isAbortError(error)) return null;
    throw error;
  }
}

async function readFile(file: File, request: ReadRequest): Promise<ReadOutcome> {
  if (file.size > request.maxBytes) return { ok: false, reason: 'too-large', bytes: file.size };
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await file.arrayBuffer());
  } catch (error) {
    return { ok: false, reason: 'unreadable', detail: `could not be read (${errorMessage(error)})` };
  }
  // The file may have grown since it was listed.
  if (bytes.byteLength > request.maxBytes) return { ok: false, reason: 'too-large', bytes: bytes.byteLength };
  const verdict = decodeText(bytes);
  return verdict.ok ? { ok: true, text: verdict.text, bytes: bytes.byteLength } : { ok: false, reason: 'binary', detail: verdict.detail };
}

/** A file's path relative to the chosen folder: `webkitRelativePath` without its first segment. */
function relativePath(file: File): { root: string | null; path: string } {
  const full = file.webkitRelativePath || file.name;
  const slash = full.indexOf('/');
  return file.webkitRelativePath && slash !== -1 ? { root: full.slice(0, slash), path: full.slice(slash + 1) } : { root: null, path: full };
}

/** Imports the files of an `<input type="file" webkitdirectory>` (or any list of files). */
export async function importFromFileList(list: Iterable<File> | ArrayLike<File>, options: ImportOptions = {}): Promise<ImportResult> {
  const startedAt = Date.now();
  const limits = importLimits(options.limits);
  throwIfAborted(options.signal);
  let root: string | null = null;
  const candidates: ImportCandidate[] = Array.from(list, (file) => {
    const relative = relativePath(file);
    root ??= relative.root;
    return { path: relative.path, read: (request) => readFile(file, request) };
  });
  return runImport({ source: { kind: 'folder', name: root ?? 'files' }, root, candidates, builder: new SummaryBuilder(), startedAt }, limits, options);
}

/**
 * Imports a folder chosen with `pickDirectory()`. Ignored folders are recorded and never opened; the walk
 * stops after `limits.maxEntries` files.
 */
export async function importFromDirectoryHandle(directory: DirectoryHandleLike, options: ImportOptions = {}): Promise<ImportResult> {
  const startedAt = Date.now();
  const limits = importLimits(options.limits);
  const builder = new SummaryBuilder();
  const slicer = createSlicer(options.signal);
  const candidates: ImportCandidate[] = [];
  const pending: { handle: DirectoryHandleLike; prefix: string }[] = [{ handle: directory, prefix: '' }];
  let listed = 0;

  walk: while (pending.length) {
    const { handle, prefix } = pending.pop() as { handle: DirectoryHandleLike; prefix: string };
    for await (const entry of handle.values()) {
      if (await slicer.tick()) options.onProgress?.({ phase: 'listing', done: listed, total: null, path: `${prefix}${entry.name}` });
      if (entry.kind === 'directory') {
        const kind = IGNORED_FOLDERS.get(entry.name);
        if (kind) builder.skipIgnoredFolder(`${prefix}${entry.name}/`, kind);
        else pending.push({ handle: entry, prefix: `${prefix}${entry.name}/` });
        continue;
      }
      if (listed >= limits.maxEntries) {
        builder.truncated = true;
        break walk;
      }
      listed++;
      candidates.push({
        path: `${prefix}${entry.name}`,
        read: async (request) => {
          let file: File;
          try {
            file = await entry.getFile();
          } catch (error) {
            return { ok: false, reason: 'unreadable', detail: `could not be opened (${errorMessage(error)})` };
          }
          return readFile(file, request);
        },
      });
    }
  }
  options.onProgress?.({ phase: 'listing', done: listed, total: null });
  return runImport({ source: { kind: 'folder', name: directory.name }, root: directory.name, candidates, builder, startedAt }, limits, options);
}
