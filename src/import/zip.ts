/**
 * Importing a `.zip`. The central directory is read first (`zip-directory.ts`); each entry is then read
 * alone and decompressed with fflate's streaming `Inflate` in small pieces, stopping as soon as it is known
 * to be too large or binary. So an archive that expands enormously (a zip bomb) costs at most the limits:
 * per entry the file limit, in all `maxInflatedBytes`; overlapping entries are refused unread. A zip whose
 * files all sit in one folder (`my-app/…`, as GitHub and most archivers make them) is unwrapped.
 */
import { Inflate, inflateSync } from 'fflate';
import { errorMessage, throwIfAborted } from '../errors.ts';
import { crc32 } from './crc32.ts';
import { importLimits, type ImportLimits } from './limits.ts';
import { runImport, type ImportCandidate, type ImportOptions, type ImportResult, type ReadOutcome, type ReadRequest } from './pipeline.ts';
import { commonRootFolder } from './rules.ts';
import { formatBytes, SummaryBuilder } from './summary.ts';
import { TextAccumulator } from './text.ts';
import { createSlicer } from './yield.ts';
import { blobSource, bytesSource, entryDataOffset, overlappingEntries, readZipDirectory, ZipFormatError, type ByteSource, type ZipEntry } from './zip-directory.ts';

export { ZipFormatError } from './zip-directory.ts';

/** Compressed bytes given to the inflater at a time: one piece expands to at most ~1032 times this. */
const PIECE = 4096;
/**
 * Entries with at most this much compressed data are inflated in one call into a buffer of their declared
 * size (the streaming inflater costs two 32 KB copies per call, which dominates for thousands of small
 * files). The output cannot outgrow the buffer; a larger real size shows as a checksum mismatch.
 */
const ONE_CALL_LIMIT = PIECE;
/** Archives up to this size are read into memory once; larger ones are read entry by entry. */
const IN_MEMORY_LIMIT = 256 * 1024 * 1024;

/** Counts decompressed bytes across an archive, so the whole import's work is bounded too. */
class InflateBudget {
  used = 0;
  constructor(readonly limit: number) {}
  get exhausted(): boolean {
    return this.used >= this.limit;
  }
}

async function readEntry(source: ByteSource, entry: ZipEntry, request: ReadRequest, budget: InflateBudget): Promise<ReadOutcome> {
  if (entry.size > request.maxBytes) return { ok: false, reason: 'too-large', bytes: entry.size };
  if (budget.exhausted) {
    return { ok: false, reason: 'unreadable', detail: `not read: the archive already expanded to ${formatBytes(budget.limit)} (a zip bomb?)` };
  }
  // Deflate grows incompressible data by 5 bytes per 64 KB block at most: a larger compressed size is a
  // damaged (or hostile) directory, and refusing it keeps every read within the file limit.
  const largestCompressed = entry.method === 0 ? entry.size : entry.size + 5 * Math.ceil(entry.size / 65535) + 64;
  if (entry.compressedSize > largestCompressed) {
    return { ok: false, reason: 'unreadable', detail: `damaged: ${formatBytes(entry.compressedSize)} of compressed data for ${formatBytes(entry.size)} of content` };
  }
  let compressed: Uint8Array;
  try {
    const start = await entryDataOffset(source, entry);
    compressed = await source.read(start, entry.compressedSize);
    if (compressed.length !== entry.compressedSize) return { ok: false, reason: 'unreadable', detail: 'damaged: its data runs past the end of the archive' };
  } catch (error) {
    return { ok: false, reason: 'unreadable', detail: error instanceof ZipFormatError ? `damaged: ${error.message}` : `could not be read (${errorMessage(error)})` };
  }

  const text = new TextAccumulator();
  // Set by the inflater's callback when reading should stop (too large, binary).
  const state: { produced: number; crc: number; stop: ReadOutcome | null; ended: boolean } = { produced: 0, crc: 0, stop: null, ended: false };
  const take = (chunk: Uint8Array): void => {
    if (state.stop) return;
    state.produced += chunk.length;
    budget.used += chunk.length;
    if (state.produced > request.maxBytes) {
      state.stop = { ok: false, reason: 'too-large', bytes: state.produced, atLeast: true };
      return;
    }
    state.crc = crc32(chunk, state.crc);
    if (!text.push(chunk)) {
      const verdict = text.verdict();
      state.stop = { ok: false, reason: 'binary', detail: verdict.ok ? 'binary' : verdict.detail };
    }
  };

  if (entry.method === 0) {
    take(compressed);
  } else if (compressed.length <= ONE_CALL_LIMIT) {
    try {
      take(inflateSync(compressed, { out: new Uint8Array(entry.size) }));
    } catch (error) {
      return { ok: false, reason: 'unreadable', detail: `damaged: its compressed data is invalid (${errorMessage(error)})` };
    }
  } else {
    const inflater = new Inflate((chunk, final) => {
      take(chunk);
      if (final) state.ended = true;
    });
    try {
      for (let at = 0; at < compressed.length && !state.stop; at += PIECE) {
        inflater.push(compressed.subarray(at, at + PIECE), at + PIECE >= compressed.length);
      }
    } catch (error) {
      return { ok: false, reason: 'unreadable', detail: `damaged: its compressed data is invalid (${errorMessage(error)})` };
    }
    if (!state.stop && !state.ended && compressed.length > 0) return { ok: false, reason: 'unreadable', detail: 'damaged: its compressed data ends early' };
  }
  if (state.stop) return state.stop;
  text.push(new Uint8Array(0), true);
  const produced = state.produced;
  if (produced !== entry.size) {
    return { ok: false, reason: 'unreadable', detail: `damaged: it holds ${produced} bytes, the archive's directory says ${entry.size}` };
  }
  if (state.crc !== entry.crc) return { ok: false, reason: 'unreadable', detail: 'damaged: its checksum does not match' };
  const verdict = text.verdict();
  return verdict.ok ? { ok: true, text: verdict.text, bytes: produced } : { ok: false, reason: 'binary', detail: verdict.detail };
}

/** Why an entry is not read at all, judged from the directory alone. */
function refusalOf(entry: ZipEntry, overlapping: ReadonlySet<ZipEntry>): { reason: 'unreadable'; detail: string } | null {
  if (overlapping.has(entry)) return { reason: 'unreadable', detail: 'its data overlaps another entry (a zip bomb pattern)' };
  if (entry.encrypted) return { reason: 'unreadable', detail: 'encrypted (password-protected archives cannot be imported)' };
  if (entry.method !== 0 && entry.method !== 8) {
    return { reason: 'unreadable', detail: `compressed with method ${entry.method}, which cannot be read (only stored and deflate)` };
  }
  return null;
}

async function openSource(zip: Blob | Uint8Array): Promise<ByteSource> {
  if (zip instanceof Uint8Array) return bytesSource(zip);
  return zip.size <= IN_MEMORY_LIMIT ? bytesSource(new Uint8Array(await zip.arrayBuffer())) : blobSource(zip);
}

/**
 * Imports a zip archive. `name` is what the summary calls it (the file's name). Throws `ZipFormatError`
 * when the file is not a readable zip at all; every problem with single entries is a skip in the summary.
 */
export async function importFromZip(zip: Blob | Uint8Array, name: string, options: ImportOptions = {}): Promise<ImportResult> {
  const startedAt = Date.now();
  const limits: ImportLimits = importLimits(options.limits);
  throwIfAborted(options.signal);
  const source = await openSource(zip);
  const directory = await readZipDirectory(source, limits.maxEntries);
  throwIfAborted(options.signal);
  options.onProgress?.({ phase: 'listing', done: directory.entries.length, total: null });

  const builder = new SummaryBuilder();
  if (directory.declared > directory.entries.length) {
    builder.truncated = true;
    builder.unlisted = directory.declared - directory.entries.length;
  }
  const files = directory.entries.filter((e) => !e.isDirectory);
  const root = commonRootFolder(files.map((e) => e.name));
  const strip = (path: string) => (root !== null && path.startsWith(`${root}/`) ? path.slice(root.length + 1) : path);
  const overlapping = overlappingEntries(directory.entries, directory.directoryOffset);
  const budget = new InflateBudget(limits.maxInflatedBytes);
  const slicer = createSlicer(options.signal);

  const candidates: ImportCandidate[] = [];
  for (const entry of files) {
    await slicer.tick();
    const refusal = entry.isSymlink ? { reason: 'link' as const, detail: 'a symbolic link' } : refusalOf(entry, overlapping);
    candidates.push({
      path: strip(entry.name),
      read: refusal ? async () => ({ ok: false, ...refusal }) : (request) => readEntry(source, entry, request, budget),
    });
  }
  return runImport({ source: { kind: 'zip', name }, root, candidates, builder, startedAt }, limits, options);
}
