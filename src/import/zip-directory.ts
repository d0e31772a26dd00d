/**
 * Reading a zip's central directory (PKWARE APPNOTE 4.3.12–4.3.16, with ZIP64): the authoritative list of
 * entries, read from the end of the archive without touching the entries themselves. fflate decompresses;
 * this part decides what is worth decompressing (names, declared sizes, methods, encryption, links) and
 * where each entry's data lies, so that an entry can be read alone and with a bound.
 */

export class ZipFormatError extends Error {
  override name = 'ZipFormatError';
}

/** Random access to the archive's bytes: all in memory, or slices of a Blob read on demand. */
export interface ByteSource {
  readonly size: number;
  read(offset: number, length: number): Promise<Uint8Array>;
}

export function bytesSource(bytes: Uint8Array): ByteSource {
  return { size: bytes.byteLength, read: async (offset, length) => bytes.subarray(offset, Math.min(bytes.byteLength, offset + length)) };
}

export function blobSource(blob: Blob): ByteSource {
  return { size: blob.size, read: async (offset, length) => new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer()) };
}

export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflate; anything else is unsupported. */
  method: number;
  encrypted: boolean;
  isDirectory: boolean;
  isSymlink: boolean;
  crc: number;
  compressedSize: number;
  /** As declared; reading checks it. */
  size: number;
  localHeaderOffset: number;
}

export interface ZipDirectory {
  entries: ZipEntry[];
  /** Entries the archive declares in all (may exceed `entries.length` when the listing was capped). */
  declared: number;
  /** Where the central directory starts: every entry's data lies before it. */
  directoryOffset: number;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
/** The central directory is read whole; past this the archive is refused rather than held in memory. */
const MAX_DIRECTORY_BYTES = 64 * 1024 * 1024;

const utf8 = new TextDecoder('utf-8', { fatal: true });
const latin1 = new TextDecoder('latin1');

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function u64(data: DataView, offset: number): number {
  const value = data.getUint32(offset, true) + data.getUint32(offset + 4, true) * 2 ** 32;
  if (!Number.isSafeInteger(value)) throw new ZipFormatError('The zip declares a size beyond what can be read.');
  return value;
}

/** Names are UTF-8 when flag bit 11 says so or when they decode as UTF-8; older tools wrote a code page. */
function decodeName(bytes: Uint8Array, flags: number): string {
  if (flags & 0x800) return new TextDecoder('utf-8').decode(bytes);
  try {
    return utf8.decode(bytes);
  } catch {
    return latin1.decode(bytes);
  }
}

async function findEndRecord(source: ByteSource): Promise<{ data: DataView; offset: number }> {
  const tailLength = Math.min(source.size, 22 + 0xffff);
  const tailStart = source.size - tailLength;
  const tail = await source.read(tailStart, tailLength);
  const data = view(tail);
  for (let i = tail.length - 22; i >= 0; i--) {
    // The record's comment runs to the end of the file; this also skips a signature inside a comment.
    if (data.getUint32(i, true) === EOCD && i + 22 + data.getUint16(i + 20, true) === tail.length) {
      return { data: view(tail.subarray(i, i + 22)), offset: tailStart + i };
    }
  }
  throw new ZipFormatError('This file is not a zip archive (no end of central directory record), or it is damaged.');
}

async function readLocation(source: ByteSource): Promise<{ count: number; size: number; offset: number }> {
  const end = await findEndRecord(source);
  if (end.data.getUint16(4, true) !== 0 || end.data.getUint16(6, true) !== 0) {
    throw new ZipFormatError('Split (multi-part) zip archives cannot be imported; join the parts first.');
  }
  let count = end.data.getUint16(10, true);
  let size = end.data.getUint32(12, true);
  let offset = end.data.getUint32(16, true);
  if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) {
    const locator = view(await source.read(end.offset - 20, 20));
    if (locator.byteLength === 20 && locator.getUint32(0, true) === ZIP64_LOCATOR) {
      const record = view(await source.read(u64(locator, 8), 56));
      if (record.byteLength < 56 || record.getUint32(0, true) !== ZIP64_EOCD) throw new ZipFormatError('The zip\'s ZIP64 end record is damaged.');
      count = u64(record, 32);
      size = u64(record, 40);
      offset = u64(record, 48);
    }
  }
  if (offset + size > source.size) throw new ZipFormatError('The zip is truncated: its central directory lies past the end of the file.');
  return { count, size, offset };
}

/** Sizes and offset from the ZIP64 extra field, for the fields the record marks with all ones. */
function applyZip64(extra: DataView, entry: { size: number; compressedSize: number; localHeaderOffset: number }): void {
  for (let at = 0; at + 4 <= extra.byteLength; ) {
    const id = extra.getUint16(at, true);
    const length = extra.getUint16(at + 2, true);
    if (id === 0x0001) {
      let field = at + 4;
      const next = (): number => {
        if (field + 8 > at + 4 + length) throw new ZipFormatError('A ZIP64 extra field is too short.');
        const value = u64(extra, field);
        field += 8;
        return value;
      };
      if (entry.size === 0xffffffff) entry.size = next();
      if (entry.compressedSize === 0xffffffff) entry.compressedSize = next();
      if (entry.localHeaderOffset === 0xffffffff) entry.localHeaderOffset = next();
      return;
    }
    at += 4 + length;
  }
}

/** Lists up to `maxEntries` entries of the archive. */
export async function readZipDirectory(source: ByteSource, maxEntries: number): Promise<ZipDirectory> {
  const location = await readLocation(source);
  if (location.size > MAX_DIRECTORY_BYTES) {
    throw new ZipFormatError(`The zip's directory is ${Math.round(location.size / 1024 / 1024)} MB (about ${location.count} entries); archives this large cannot be imported.`);
  }
  const bytes = await source.read(location.offset, location.size);
  const data = view(bytes);
  const entries: ZipEntry[] = [];
  let at = 0;
  while (entries.length < Math.min(location.count, maxEntries)) {
    if (at + 46 > bytes.length || data.getUint32(at, true) !== CENTRAL) {
      throw new ZipFormatError(`The zip's directory is damaged at entry ${entries.length + 1}.`);
    }
    const madeBy = data.getUint16(at + 4, true);
    const flags = data.getUint16(at + 8, true);
    const nameLength = data.getUint16(at + 28, true);
    const extraLength = data.getUint16(at + 30, true);
    const commentLength = data.getUint16(at + 32, true);
    const externalAttributes = data.getUint32(at + 38, true);
    const end = at + 46 + nameLength + extraLength + commentLength;
    if (end > bytes.length) throw new ZipFormatError(`The zip's directory is damaged at entry ${entries.length + 1}.`);
    const name = decodeName(bytes.subarray(at + 46, at + 46 + nameLength), flags);
    const sizes = { size: data.getUint32(at + 24, true), compressedSize: data.getUint32(at + 20, true), localHeaderOffset: data.getUint32(at + 42, true) };
    applyZip64(view(bytes.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength)), sizes);
    const unixMode = madeBy >> 8 === 3 ? externalAttributes >>> 16 : 0;
    entries.push({
      name,
      method: data.getUint16(at + 10, true),
      encrypted: (flags & 0x1) !== 0,
      isDirectory: name.endsWith('/') || (unixMode & 0o170000) === 0o040000,
      isSymlink: (unixMode & 0o170000) === 0o120000,
      crc: data.getUint32(at + 16, true),
      ...sizes,
    });
    at = end;
  }
  return { entries, declared: location.count, directoryOffset: location.offset };
}

/** Where an entry's compressed data starts (after its local header, whose name and extra may differ). */
export async function entryDataOffset(source: ByteSource, entry: ZipEntry): Promise<number> {
  const header = await source.read(entry.localHeaderOffset, 30);
  const data = view(header);
  if (header.length < 30 || data.getUint32(0, true) !== LOCAL) throw new ZipFormatError('its local header is missing or damaged');
  return entry.localHeaderOffset + 30 + data.getUint16(26, true) + data.getUint16(28, true);
}

/**
 * Entries whose data would overlap another's, or the directory: the signature of "overlapping" zip bombs,
 * which point many entries at one highly compressed stream. Judged from a lower bound of each entry's
 * extent (30-byte header + compressed data), so a well-formed archive is never flagged.
 */
export function overlappingEntries(entries: readonly ZipEntry[], directoryOffset: number): Set<ZipEntry> {
  const flagged = new Set<ZipEntry>();
  const ordered = entries.filter((e) => !e.isDirectory).sort((a, b) => a.localHeaderOffset - b.localHeaderOffset);
  for (let i = 0; i < ordered.length; i++) {
    const entry = ordered[i] as ZipEntry;
    const next = ordered[i + 1];
    const minimumEnd = entry.localHeaderOffset + 30 + entry.compressedSize;
    if (minimumEnd > (next ? next.localHeaderOffset : directoryOffset)) {
      flagged.add(entry);
      if (next && next.localHeaderOffset === entry.localHeaderOffset) flagged.add(next);
    }
  }
  return flagged;
}
