/** Helpers that build zips for the import tests, and edit their headers to make damaged or hostile ones. */
import { strToU8, zipSync, type Zippable } from 'fflate';

export function zipOf(files: Record<string, string | Uint8Array>, level: 0 | 6 = 6): Uint8Array {
  // Null prototype: a path such as `__proto__` is an ordinary key.
  const input = Object.create(null) as Zippable;
  for (const [path, content] of Object.entries(files)) input[path] = [typeof content === 'string' ? strToU8(content) : content, { level }];
  return zipSync(input);
}

function view(zip: Uint8Array): DataView {
  return new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
}

/** Offsets of each central directory record, in archive order (fflate writes no zip comment). */
export function centralRecords(zip: Uint8Array): number[] {
  const data = view(zip);
  const end = zip.length - 22;
  const count = data.getUint16(end + 10, true);
  let at = data.getUint32(end + 16, true);
  const records: number[] = [];
  for (let i = 0; i < count; i++) {
    records.push(at);
    at += 46 + data.getUint16(at + 28, true) + data.getUint16(at + 30, true) + data.getUint16(at + 32, true);
  }
  return records;
}

export function localHeader(zip: Uint8Array, index: number): number {
  const record = centralRecords(zip)[index];
  if (record === undefined) throw new Error(`no entry ${index}`);
  return view(zip).getUint32(record + 42, true);
}

type Field = 'flags' | 'method' | 'crc' | 'compressedSize' | 'size' | 'madeBy' | 'externalAttributes' | 'localHeaderOffset';
const CENTRAL_FIELDS: Record<Field, [number, 2 | 4]> = {
  madeBy: [4, 2],
  flags: [8, 2],
  method: [10, 2],
  crc: [16, 4],
  compressedSize: [20, 4],
  size: [24, 4],
  externalAttributes: [38, 4],
  localHeaderOffset: [42, 4],
};
const LOCAL_FIELDS: Partial<Record<Field, [number, 2 | 4]>> = { flags: [6, 2], method: [8, 2], crc: [14, 4], compressedSize: [18, 4], size: [22, 4] };

/** A copy of the zip with one field of entry `index` changed, in the central directory and the local header. */
export function withField(zip: Uint8Array, index: number, field: Field, value: number): Uint8Array {
  const copy = zip.slice();
  const data = view(copy);
  const record = centralRecords(copy)[index];
  if (record === undefined) throw new Error(`no entry ${index}`);
  const local = data.getUint32(record + 42, true);
  const put = (at: number, size: 2 | 4) => (size === 2 ? data.setUint16(at, value, true) : data.setUint32(at, value >>> 0, true));
  const [offset, size] = CENTRAL_FIELDS[field];
  put(record + offset, size);
  const localField = LOCAL_FIELDS[field];
  if (localField) put(local + localField[0], localField[1]);
  return copy;
}

/** A copy of the zip with entry `index` renamed (to a name of the same UTF-8 length) in both headers. */
export function renamed(zip: Uint8Array, index: number, name: string): Uint8Array {
  const copy = zip.slice();
  const bytes = strToU8(name);
  const record = centralRecords(copy)[index];
  if (record === undefined) throw new Error(`no entry ${index}`);
  const data = view(copy);
  if (data.getUint16(record + 28, true) !== bytes.length) throw new Error('a rename must keep the name length');
  copy.set(bytes, record + 46);
  copy.set(bytes, data.getUint32(record + 42, true) + 30);
  return copy;
}
