/**
 * The `file:` URL helpers of `node:url` (POSIX), as generated tests use them with `import.meta.url`.
 */
import { resolve } from './path.ts';

function nodeTypeError(code: string, message: string): TypeError {
  const error = new TypeError(message) as TypeError & { code: string };
  error.code = code;
  return error;
}

export function fileURLToPath(url: string | URL): string {
  const parsed = typeof url === 'string' ? new URL(url) : url;
  if (!(parsed instanceof URL)) throw nodeTypeError('ERR_INVALID_ARG_TYPE', 'The "path" argument must be of type string or an instance of URL.');
  if (parsed.protocol !== 'file:') throw nodeTypeError('ERR_INVALID_URL_SCHEME', 'The URL must be of scheme file');
  if (parsed.hostname !== '') throw nodeTypeError('ERR_INVALID_FILE_URL_HOST', 'File URL host must be "localhost" or empty on linux');
  if (/%2f/i.test(parsed.pathname)) throw nodeTypeError('ERR_INVALID_FILE_URL_PATH', 'File URL path must not include encoded / characters');
  return decodeURIComponent(parsed.pathname);
}

export function pathToFileURL(path: string): URL {
  let absolute = resolve(path);
  if (path.endsWith('/') && !absolute.endsWith('/')) absolute += '/';
  const encoded = absolute.replace(/[%\n\r\t?#]/g, (c) => encodeURIComponent(c));
  return new URL(`file://${encoded}`);
}
