/**
 * What the initial JS is made of: each byte of a built chunk attributed, through its source map, to the
 * source file it came from, then grouped by package (`node_modules/<name>`) or project folder. Used to say
 * why the initial JS weighs what it does.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DIGIT = new Map([...BASE64].map((c, i) => [c, i]));

/** The numbers of one Base64 VLQ segment of a source map. */
export function decodeVlq(segment: string): number[] {
  const values: number[] = [];
  let value = 0;
  let shift = 0;
  for (const char of segment) {
    const digit = DIGIT.get(char);
    if (digit === undefined) throw new Error(`Bad VLQ character "${char}"`);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
    } else {
      values.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return values;
}

interface SourceMap {
  sources: string[];
  mappings: string;
}

/** Generated characters per source (index into `sources`; -1 for unmapped). */
export function charactersPerSource(code: string, map: SourceMap): Map<number, number> {
  const counts = new Map<number, number>();
  const add = (source: number, n: number) => counts.set(source, (counts.get(source) ?? 0) + n);
  const lines = code.split('\n');
  let source = 0;
  map.mappings.split(';').forEach((line, index) => {
    const length = (lines[index] ?? '').length + 1;
    let column = 0;
    let lastColumn = 0;
    let lastSource = -1;
    for (const segment of line.split(',')) {
      if (!segment) continue;
      const [dColumn = 0, dSource] = decodeVlq(segment);
      column += dColumn;
      add(lastSource, column - lastColumn);
      lastColumn = column;
      if (dSource !== undefined) {
        source += dSource;
        lastSource = source;
      } else lastSource = -1;
    }
    add(lastSource, length - lastColumn);
  });
  return counts;
}

/** `node_modules/@scope/name` or `node_modules/name`, else the project folder (`src/ui`, …). */
export function groupOf(source: string): string {
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(source);
  if (modules?.[1]) return `npm: ${modules[1]}`;
  const path = source.replace(/^(\.\.\/)+/, '').replace(/^\//, '');
  const parts = path.split('/');
  return parts.length > 2 ? parts.slice(0, 2).join('/') : path;
}

export interface CompositionEntry {
  group: string;
  /** Characters of minified output (≈ bytes for ASCII). */
  bytes: number;
  share: number;
}

export async function composition(dist: string, files: readonly string[]): Promise<CompositionEntry[]> {
  const totals = new Map<string, number>();
  let all = 0;
  for (const file of files) {
    const code = await readFile(join(dist, file), 'utf8');
    let map: SourceMap;
    try {
      map = JSON.parse(await readFile(join(dist, `${file}.map`), 'utf8')) as SourceMap;
    } catch {
      totals.set('(no source map)', (totals.get('(no source map)') ?? 0) + code.length);
      all += code.length;
      continue;
    }
    for (const [source, chars] of charactersPerSource(code, map)) {
      const group = source < 0 ? '(bundler glue, unmapped)' : groupOf(map.sources[source] ?? '?');
      totals.set(group, (totals.get(group) ?? 0) + chars);
      all += chars;
    }
  }
  return [...totals]
    .map(([group, bytes]) => ({ group, bytes, share: bytes / all }))
    .sort((a, b) => b.bytes - a.bytes);
}
