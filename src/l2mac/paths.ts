/**
 * Path and size rules of the tool contract (DESIGN.md §5). Every path the model sends goes through
 * `checkPath` before anything touches the workspace, so a bad path is always an error result and never a
 * write (the original L2MAC let `../` and absolute paths escape its workspace).
 */

export const MAX_PATH_LENGTH = 256;
export const MAX_FILES = 5000;
/** 1 MB, counted in UTF-8 bytes. */
export const MAX_FILE_BYTES = 1024 * 1024;

export type PathCheck = { ok: true; path: string } | { ok: false; reason: string };

// Control characters (C0, DEL, C1) cannot be typed, displayed or zipped safely.
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;
const DRIVE_PREFIX = /^[A-Za-z]:/;

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
  return { ok: true, path: value };
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

/** Number of lines of a file as an editor shows them (a final newline does not start a line). */
export function lineCount(content: string): number {
  if (content === '') return 0;
  let lines = 1;
  for (let i = content.indexOf('\n'); i !== -1; i = content.indexOf('\n', i + 1)) lines++;
  return content.endsWith('\n') ? lines - 1 : lines;
}
