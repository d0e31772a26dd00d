/**
 * The project as the worker sandbox runs it, prepared on the main thread: every runnable file stripped of
 * TypeScript/JSX (`strip.ts`, after the in-app check passed it) and transformed (`prepare/transform.ts`),
 * once per content (cached), with each import resolved against the project's files.
 *
 * It also decides, before anything runs, which test files need the full sandbox: a file whose static
 * import graph reaches a package, `node:fs`, `child_process`, the network, CommonJS, or a global the worker
 * lacks (`Buffer`, `fetch`, ...) is not run, and the report says why.
 */
import { needsStripping, stripTypes } from '../../strip.ts';
import { builtinHasExport, MISSING_GLOBALS } from '../builtins/catalog.ts';
import { jsonModule, transformModule } from '../prepare/transform.ts';
import { MODULE_EXTENSIONS, absolutePath, resolveSpecifier } from '../prepare/resolve.ts';
import type { PreparedModule, PreparedProject, RequestTarget, TransformedModule } from '../protocol.ts';

function extensionOf(path: string): string {
  return /\.[^./]*$/.exec(path)?.[0] ?? '';
}

/** Whether the worker loads this path as a module (JSON included). */
export function isModulePath(path: string): boolean {
  const extension = extensionOf(path);
  return extension === '.json' || MODULE_EXTENSIONS.includes(extension);
}

function syntaxFailure(error: unknown): TransformedModule['failure'] {
  const loc = (error as { loc?: { line: number; column: number } }).loc;
  const message = (error as Error).message.replace(/\s*\(\d+:\d+\)$/, '');
  return { kind: 'syntax', message: loc ? `${message} (${loc.line}:${loc.column + 1})` : message };
}

function transformFile(path: string, content: string): TransformedModule {
  const extension = extensionOf(path);
  if (extension === '.json') return jsonModule(content);
  const empty = jsonModule('');
  if (extension === '.cjs' || extension === '.cts') {
    return { ...empty, format: 'esm', localExports: [], failure: { kind: 'unsupported', message: `CommonJS (${path})` } };
  }
  try {
    const code = needsStripping(path) ? stripTypes(path, content) : content;
    return transformModule(code);
  } catch (error) {
    return { ...empty, format: 'esm', localExports: [], source: content, failure: syntaxFailure(error) };
  }
}

/** The `type` of the nearest package.json above a path ("module", "commonjs", or undefined). */
export function packageType(path: string, files: ReadonlyMap<string, string>): string | undefined {
  const parts = path.split('/').slice(0, -1);
  for (let depth = parts.length; depth >= 0; depth--) {
    const manifest = [...parts.slice(0, depth), 'package.json'].join('/');
    const text = files.get(manifest);
    if (text === undefined) continue;
    try {
      const type = (JSON.parse(text) as { type?: unknown }).type;
      return typeof type === 'string' ? type : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

export class ProjectPreparer {
  private readonly cache = new Map<string, { content: string; module: TransformedModule }>();

  private transformed(path: string, content: string): TransformedModule {
    const cached = this.cache.get(path);
    if (cached && cached.content === content) return cached.module;
    const module = transformFile(path, content);
    this.cache.set(path, { content, module });
    return module;
  }

  /** Prepares every runnable file of the project (`files`: path → content as stored). */
  prepare(files: ReadonlyMap<string, string>): PreparedProject {
    const paths = [...files.keys()];
    const pathSet = new Set(paths);
    for (const cached of this.cache.keys()) if (!pathSet.has(cached)) this.cache.delete(cached);
    const modules: Record<string, PreparedModule> = {};
    for (const [path, content] of files) {
      if (!isModulePath(path) || path.split('/').includes('node_modules')) continue;
      let module = this.transformed(path, content);
      if (module.looksCommonJs && !module.failure && extensionOf(path) === '.js' && packageType(path, files) !== 'module') {
        module = { ...module, failure: { kind: 'unsupported', message: `CommonJS (require/module.exports in ${path})` } };
      }
      const targets = module.requests.map((request) => this.target(resolveSpecifier(request.specifier, path, pathSet)));
      modules[path] = { ...module, path, targets };
    }
    return { modules, paths };
  }

  private target(resolution: RequestTarget): RequestTarget {
    if (resolution.kind !== 'file' || isModulePath(resolution.path)) return resolution;
    return {
      kind: 'error',
      code: 'ERR_UNKNOWN_FILE_EXTENSION',
      message: `Unknown file extension "${extensionOf(resolution.path)}" for ${absolutePath(resolution.path)}`,
    };
  }
}

/**
 * Why a file cannot run in the worker (needs the full sandbox), from its static import graph and the
 * string-literal `import()`s in it; empty when it can run.
 */
export function blockersOf(project: PreparedProject, entry: string): string[] {
  const reasons = new Set<string>();
  const seen = new Set<string>();
  const paths = new Set(project.paths);
  const importedBy = (reason: string, path: string) => (reason.includes('(imported by ') ? reason : `${reason} (imported by ${path})`);
  const visit = (path: string) => {
    if (seen.has(path)) return;
    seen.add(path);
    const module = project.modules[path];
    if (!module) return;
    if (module.failure?.kind === 'unsupported') reasons.add(module.failure.message);
    for (const name of module.missingGlobals) reasons.add(`${MISSING_GLOBALS[name] ?? name} (used in ${path})`);
    module.targets.forEach((target, index) => {
      if (target.kind === 'unsupported') reasons.add(importedBy(target.reason, path));
      if (target.kind === 'file') visit(target.path);
      if (target.kind === 'builtin') {
        for (const entryImport of module.imports) {
          if (entryImport.request === index && !builtinHasExport(target.name, entryImport.name)) {
            reasons.add(`${target.name} ${entryImport.name} (imported by ${path})`);
          }
        }
      }
    });
    for (const specifier of module.dynamicSpecifiers) {
      const resolution = resolveSpecifier(specifier, path, paths);
      if (resolution.kind === 'unsupported') reasons.add(importedBy(resolution.reason, path));
      if (resolution.kind === 'file') visit(resolution.path);
    }
  };
  visit(entry);
  return [...reasons];
}
