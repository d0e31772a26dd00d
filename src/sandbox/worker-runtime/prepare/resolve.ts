/**
 * Resolution of import specifiers between generated files, as Node 20 resolves them for ES modules: a
 * relative or absolute specifier is a URL resolved against the importing file and must name an existing file
 * exactly (no extension search, no `index` files, no directory imports); `node:` and Node's reserved bare
 * names are built-ins; every other bare specifier is a package, which only the full sandbox can install.
 *
 * The project lives at `/project` (what `process.cwd()` says inside the worker), so messages read like Node's.
 * Used by the main thread (static imports) and by the worker (dynamic `import()` of computed specifiers).
 */
import { lookupBuiltin } from '../builtins/catalog.ts';

export const PROJECT_ROOT = '/project';
const ROOT_URL = `file://${PROJECT_ROOT}/`;

export type Resolution =
  | { kind: 'file'; path: string }
  | { kind: 'builtin'; name: string }
  | { kind: 'unsupported'; reason: string }
  | { kind: 'error'; code: string; message: string };

/** The absolute path Node would print for a project path. */
export function absolutePath(path: string): string {
  return `${PROJECT_ROOT}/${path}`;
}

/** The `file:` URL of a project path (`import.meta.url`). */
export function fileUrl(path: string): string {
  return new URL(path, ROOT_URL).href;
}

/** Extensions Node would run as a module here (after in-app stripping for the TypeScript/JSX ones). */
export const MODULE_EXTENSIONS = ['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts', '.tsx', '.jsx'];

function isPathLike(specifier: string): boolean {
  return /^\.\.?(?:\/|$)/.test(specifier) || specifier.startsWith('/') || specifier.startsWith('file:');
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

function notFound(target: string, importer: string, files: ReadonlySet<string>, relative: string | null): Resolution {
  let message = `Cannot find module '${target}' imported from ${absolutePath(importer)}`;
  if (relative !== null) {
    const near = MODULE_EXTENSIONS.map((ext) => relative + ext).find((candidate) => files.has(candidate));
    if (near) message += `\nDid you mean to import "${near.slice(near.lastIndexOf('/') + 1)}" (Node needs the file extension)?`;
  }
  return { kind: 'error', code: 'ERR_MODULE_NOT_FOUND', message };
}

/**
 * Resolves `specifier` as written in `importer` (a project path) against the project's files.
 * `files` holds every project path (files only; directories are implied by their contents).
 */
export function resolveSpecifier(specifier: string, importer: string, files: ReadonlySet<string>): Resolution {
  const builtin = lookupBuiltin(specifier);
  if (builtin?.kind === 'shimmed') return { kind: 'builtin', name: builtin.name };
  if (builtin?.kind === 'unsupported') return { kind: 'unsupported', reason: builtin.reason };
  if (builtin?.kind === 'unknown') {
    return { kind: 'error', code: 'ERR_UNKNOWN_BUILTIN_MODULE', message: `No such built-in module: ${specifier}` };
  }
  if (!isPathLike(specifier)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(specifier)) {
      const protocol = /^[^:]+:/.exec(specifier)?.[0] ?? '';
      if (protocol === 'http:' || protocol === 'https:') return { kind: 'unsupported', reason: `the network (import of ${specifier})` };
      if (protocol === 'data:') return { kind: 'unsupported', reason: 'a data: URL import' };
      return {
        kind: 'error',
        code: 'ERR_UNSUPPORTED_ESM_URL_SCHEME',
        message: `Only URLs with a scheme in: file, data, and node are supported by the default ESM loader. Received protocol '${protocol}'`,
      };
    }
    return { kind: 'unsupported', reason: `the package '${packageName(specifier)}' (imported by ${importer})` };
  }
  let url: URL;
  try {
    url = new URL(specifier, new URL(importer, ROOT_URL));
  } catch {
    return { kind: 'error', code: 'ERR_INVALID_URL', message: `Invalid URL: ${specifier}` };
  }
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return { kind: 'error', code: 'ERR_INVALID_URL', message: `Invalid URL: ${specifier}` };
  }
  if (!pathname.startsWith(`${PROJECT_ROOT}/`)) return notFound(pathname, importer, files, null);
  const relative = pathname.slice(PROJECT_ROOT.length + 1);
  if (files.has(relative)) return { kind: 'file', path: relative };
  const directory = relative.replace(/\/$/, '');
  const prefix = directory === '' ? '' : `${directory}/`;
  const inside = [...files].some((file) => file.startsWith(prefix));
  if (inside) {
    let message = `Directory import '${absolutePath(directory).replace(/\/$/, '')}' is not supported resolving ES modules imported from ${absolutePath(importer)}`;
    const index = ['index.js', 'index.mjs', 'index.ts'].map((name) => prefix + name).find((path) => files.has(path));
    if (index) message += `\nDid you mean to import "${specifier.replace(/\/$/, '')}/${index.slice(prefix.length)}"?`;
    return { kind: 'error', code: 'ERR_UNSUPPORTED_DIR_IMPORT', message };
  }
  return notFound(pathname, importer, files, relative);
}
