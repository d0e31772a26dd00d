/**
 * `node:path` for the worker: Node's POSIX path functions (the worker's "file system" is POSIX, with the
 * project at `/project`). Property-tested against Node's own `path.posix`.
 */

const cwd = (): string => '/project';

function assertPath(path: unknown, name = 'path'): asserts path is string {
  if (typeof path !== 'string') {
    const error = new TypeError(`The "${name}" argument must be of type string. Received ${describe(path)}`) as TypeError & { code: string };
    error.code = 'ERR_INVALID_ARG_TYPE';
    throw error;
  }
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'function') return `function ${(value as { name?: string }).name || '<anonymous>'}`;
  if (typeof value === 'object') return `an instance of ${(value as object).constructor?.name ?? 'Object'}`;
  return `type ${typeof value} (${String(value)})`;
}

/** Resolves `.` and `..` segments; `allowAboveRoot` keeps leading `..` of relative paths. */
function normalizeSegments(path: string, allowAboveRoot: boolean): string {
  const out: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (allowAboveRoot) out.push('..');
      continue;
    }
    out.push(segment);
  }
  return out.join('/');
}

export function normalize(path: string): string {
  assertPath(path);
  if (path === '') return '.';
  const absolute = path.startsWith('/');
  const trailing = path.endsWith('/');
  let result = normalizeSegments(path, !absolute);
  if (result === '' && !absolute) result = '.';
  if (result !== '' && trailing) result += '/';
  return absolute ? `/${result}` : result;
}

export function isAbsolute(path: string): boolean {
  assertPath(path);
  return path.startsWith('/');
}

export function join(...paths: string[]): string {
  if (paths.length === 0) return '.';
  const parts: string[] = [];
  for (const path of paths) {
    assertPath(path);
    if (path !== '') parts.push(path);
  }
  return parts.length === 0 ? '.' : normalize(parts.join('/'));
}

export function resolve(...paths: string[]): string {
  let resolved = '';
  let absolute = false;
  for (let i = paths.length - 1; i >= -1 && !absolute; i--) {
    const path = i >= 0 ? paths[i]! : cwd();
    assertPath(path);
    if (path === '') continue;
    resolved = `${path}/${resolved}`;
    absolute = path.startsWith('/');
  }
  const normalized = normalizeSegments(resolved, !absolute);
  return absolute ? `/${normalized}` : normalized || '.';
}

export function relative(from: string, to: string): string {
  assertPath(from, 'from');
  assertPath(to, 'to');
  if (from === to) return '';
  const fromParts = resolve(from).split('/').filter(Boolean);
  const toParts = resolve(to).split('/').filter(Boolean);
  let common = 0;
  while (common < fromParts.length && common < toParts.length && fromParts[common] === toParts[common]) common++;
  return [...fromParts.slice(common).map(() => '..'), ...toParts.slice(common)].join('/');
}

export function dirname(path: string): string {
  assertPath(path);
  if (path === '') return '.';
  const hasRoot = path.startsWith('/');
  let end = -1;
  let inTrailingSlashes = true;
  for (let i = path.length - 1; i >= 1; i--) {
    if (path[i] === '/') {
      if (!inTrailingSlashes) {
        end = i;
        break;
      }
    } else {
      inTrailingSlashes = false;
    }
  }
  if (end === -1) return hasRoot ? '/' : '.';
  if (hasRoot && end === 1) return '//';
  return path.slice(0, end);
}

export function basename(path: string, suffix?: string): string {
  assertPath(path);
  if (suffix !== undefined) assertPath(suffix, 'suffix');
  let start = 0;
  let end = -1;
  let inTrailingSlashes = true;
  if (suffix !== undefined && suffix.length > 0 && suffix.length <= path.length) {
    if (suffix === path) return '';
    let suffixIndex = suffix.length - 1;
    let nameEnd = -1;
    for (let i = path.length - 1; i >= 0; i--) {
      const c = path[i];
      if (c === '/') {
        if (!inTrailingSlashes) {
          start = i + 1;
          break;
        }
        continue;
      }
      if (nameEnd === -1) {
        inTrailingSlashes = false;
        nameEnd = i + 1;
      }
      if (suffixIndex >= 0) {
        if (c === suffix[suffixIndex]) {
          if (--suffixIndex === -1) end = i;
        } else {
          suffixIndex = -1;
          end = nameEnd;
        }
      }
    }
    if (start === end) end = nameEnd;
    else if (end === -1) end = path.length;
    return path.slice(start, end);
  }
  for (let i = path.length - 1; i >= 0; i--) {
    if (path[i] === '/') {
      if (!inTrailingSlashes) {
        start = i + 1;
        break;
      }
    } else if (end === -1) {
      inTrailingSlashes = false;
      end = i + 1;
    }
  }
  return end === -1 ? '' : path.slice(start, end);
}

interface NameParts {
  /** Where the last segment starts, its end (trailing slashes excluded), and its last dot. */
  partStart: number;
  end: number;
  dot: number;
  /** Whether the dot is an extension's (not `.x` or `..`). */
  hasExtension: boolean;
}

/** Node's scan of the last segment of a path, for `extname` and `parse`. */
function scanName(path: string, from: number): NameParts {
  let dot = -1;
  let partStart = 0;
  let end = -1;
  let inTrailingSlashes = true;
  // 0: no character before the dot yet; 1: only dots before it; -1: something else before it.
  let beforeDot = 0;
  for (let i = path.length - 1; i >= from; i--) {
    const c = path[i];
    if (c === '/') {
      if (!inTrailingSlashes) {
        partStart = i + 1;
        break;
      }
      continue;
    }
    if (end === -1) {
      inTrailingSlashes = false;
      end = i + 1;
    }
    if (c === '.') {
      if (dot === -1) dot = i;
      else if (beforeDot !== 1) beforeDot = 1;
    } else if (dot !== -1) {
      beforeDot = -1;
    }
  }
  const hasExtension = !(dot === -1 || end === -1 || beforeDot === 0 || (beforeDot === 1 && dot === end - 1 && dot === partStart + 1));
  return { partStart, end, dot, hasExtension };
}

export function extname(path: string): string {
  assertPath(path);
  const { end, dot, hasExtension } = scanName(path, 0);
  return hasExtension ? path.slice(dot, end) : '';
}

export function parse(path: string): { root: string; dir: string; base: string; ext: string; name: string } {
  assertPath(path);
  const parsed = { root: '', dir: '', base: '', ext: '', name: '' };
  if (path === '') return parsed;
  const absolute = path.startsWith('/');
  if (absolute) parsed.root = '/';
  const { partStart, end, dot, hasExtension } = scanName(path, absolute ? 1 : 0);
  if (end !== -1) {
    const start = partStart === 0 && absolute ? 1 : partStart;
    parsed.base = path.slice(start, end);
    if (hasExtension) {
      parsed.name = path.slice(start, dot);
      parsed.ext = path.slice(dot, end);
    } else {
      parsed.name = parsed.base;
    }
  }
  if (partStart > 0) parsed.dir = path.slice(0, partStart - 1);
  else if (absolute) parsed.dir = '/';
  return parsed;
}

export function format(pathObject: { root?: string; dir?: string; base?: string; ext?: string; name?: string }): string {
  if (pathObject === null || typeof pathObject !== 'object') {
    const error = new TypeError(`The "pathObject" argument must be of type object. Received ${describe(pathObject)}`) as TypeError & { code: string };
    error.code = 'ERR_INVALID_ARG_TYPE';
    throw error;
  }
  const dir = pathObject.dir || pathObject.root;
  const ext = pathObject.ext ? (pathObject.ext.startsWith('.') ? pathObject.ext : `.${pathObject.ext}`) : '';
  const base = pathObject.base || `${pathObject.name ?? ''}${ext}`;
  if (!dir) return base;
  return dir === pathObject.root ? `${dir}${base}` : `${dir}/${base}`;
}

export function toNamespacedPath(path: string): string {
  return path;
}

export const sep = '/';
export const delimiter = ':';

const path = { basename, delimiter, dirname, extname, format, isAbsolute, join, normalize, parse, relative, resolve, sep, toNamespacedPath } as Record<string, unknown>;
path.posix = path;

export const posix = path;
export default path;
