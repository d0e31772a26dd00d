/**
 * Path and size rules of the tool contract (DESIGN.md §5). Every path the model sends goes through
 * `checkPath` before anything touches the workspace, so a bad path is always an error result and never a
 * write (the original L2MAC let `../` and absolute paths escape its workspace).
 */

export const MAX_PATH_LENGTH = 256;
/** A file or folder name, in UTF-8 bytes: the file systems the sandboxes write to refuse longer names. */
export const MAX_NAME_BYTES = 255;
export const MAX_FILES = 5000;
/** 1 MB, counted in UTF-8 bytes. */
export const MAX_FILE_BYTES = 1024 * 1024;

export type PathCheck = { ok: true; path: string } | { ok: false; reason: string };

// Control characters (C0, DEL, C1) cannot be typed, displayed or zipped safely.
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;
const DRIVE_PREFIX = /^[A-Za-z]:/;
// Half of a UTF-16 surrogate pair: JSON can carry one ("\ud800"), but it is not text. The sandbox's file
// system would store U+FFFD instead, and content hashed as UTF-8 would equal another file's.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether `value` is a relative POSIX path inside the project, with the reason when it is not. */
export function checkPath(value: unknown): PathCheck {
  if (typeof value !== 'string') return { ok: false, reason: 'a path must be a string' };
  const shown = JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
  if (value === '') return { ok: false, reason: 'the path is empty' };
  if (value.length > MAX_PATH_LENGTH) {
    return { ok: false, reason: `the path ${shown} is longer than ${MAX_PATH_LENGTH} characters` };
  }
  if (CONTROL_CHARACTER.test(value)) {
    return { ok: false, reason: `the path ${shown} contains a NUL or control character` };
  }
  if (LONE_SURROGATE.test(value)) {
    return { ok: false, reason: `the path ${shown} contains a lone surrogate, which is not Unicode text` };
  }
  if (value.includes('\\')) {
    return { ok: false, reason: `the path ${shown} contains a backslash; use "/" between folders` };
  }
  if (value.startsWith('/') || DRIVE_PREFIX.test(value)) {
    return { ok: false, reason: `the path ${shown} is absolute; give a path relative to the project root` };
  }
  const segments = value.split('/');
  if (segments.some((s) => s === '')) {
    return { ok: false, reason: `the path ${shown} has an empty segment (a doubled or trailing "/")` };
  }
  if (segments.some((s) => s === '..')) {
    return { ok: false, reason: `the path ${shown} contains ".."; paths must stay inside the project` };
  }
  if (segments.some((s) => s === '.')) {
    return { ok: false, reason: `the path ${shown} contains a "." segment; write it without "./"` };
  }
  if (segments.some((s) => s.length * 3 > MAX_NAME_BYTES && byteLength(s) > MAX_NAME_BYTES)) {
    return { ok: false, reason: `the path ${shown} has a file or folder name longer than ${MAX_NAME_BYTES} bytes` };
  }
  return { ok: true, path: value };
}

/** Every folder that holds one of `paths` ("a" and "a/b" for "a/b/c.js"). */
export function folderPrefixes(paths: Iterable<string>): Set<string> {
  const folders = new Set<string>();
  for (const path of paths) {
    for (let i = path.indexOf('/'); i !== -1; i = path.indexOf('/', i + 1)) folders.add(path.slice(0, i));
  }
  return folders;
}

/**
 * Why `path` cannot be a file among `files` (the project's paths, `path` included), or null. A file
 * system cannot hold "a" as a file and "a/b" beside it: the sandbox would refuse the write, and every
 * later check with it.
 */
export function fileFolderClash(path: string, files: ReadonlySet<string>, folders: ReadonlySet<string>): string | null {
  if (folders.has(path)) {
    return `${JSON.stringify(path)} is a folder (other files are inside it); a file cannot have the same path as a folder`;
  }
  for (let i = path.indexOf('/'); i !== -1; i = path.indexOf('/', i + 1)) {
    const parent = path.slice(0, i);
    if (files.has(parent)) {
      return `${JSON.stringify(path)} would be inside ${JSON.stringify(parent)}, which is a file; delete ${JSON.stringify(parent)} first or choose another path`;
    }
  }
  return null;
}

const encoder = new TextEncoder();

/** Size of a file's content in UTF-8 bytes. */
export function byteLength(content: string): number {
  return encoder.encode(content).length;
}

/** The reason a file's content is too large, or null. */
export function checkFileSize(path: string, content: string): string | null {
  // A UTF-16 code unit is at most 3 UTF-8 bytes, so most contents need no encoding to be judged.
  if (content.length * 3 <= MAX_FILE_BYTES) return null;
  const bytes = byteLength(content);
  return bytes > MAX_FILE_BYTES
    ? `${path} would be ${bytes} bytes; a file is at most ${MAX_FILE_BYTES} bytes (1 MB). Split it into smaller files`
    : null;
}

/** The reason a file's content cannot be stored exactly as given (it is over 1 MB or not Unicode text), or null. */
export function checkFileContent(path: string, content: string): string | null {
  const match = LONE_SURROGATE.exec(content);
  if (match) {
    const code = match[0].charCodeAt(0).toString(16);
    return `${path} contains a lone surrogate (\\u${code} at index ${match.index}), which is not Unicode text; send the character itself or its complete surrogate pair`;
  }
  return checkFileSize(path, content);
}

/** Number of lines of a file as an editor shows them (a final newline does not start a line). */
export function lineCount(content: string): number {
  if (content === '') return 0;
  let lines = 1;
  for (let i = content.indexOf('\n'); i !== -1; i = content.indexOf('\n', i + 1)) lines++;
  return content.endsWith('\n') ? lines - 1 : lines;
}
