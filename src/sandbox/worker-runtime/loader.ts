/**
 * The worker's module loader: links, instantiates and evaluates prepared modules (`prepare/transform.ts`)
 * with ES module semantics, cycles included.
 *
 * - Link: every module gets a namespace object (null prototype, `Symbol.toStringTag` "Module", sorted
 *   getters, not extensible), its exports resolved as the spec resolves them (`loader-exports.ts`); each
 *   named import is checked ("does not provide an export named", as Node says) before anything runs.
 * - Instantiate: each module's generator runs to its first `yield`, registering its export getters; its
 *   function declarations are hoisted by then, so a cycle can call them before the body runs.
 * - Evaluate: depth first in request order, each module once; a module met again while it is evaluating
 *   (a cycle) is skipped, as the spec does; an error marks the module and every module on the path as
 *   errored. Modules with top-level await evaluate asynchronously and their importers wait.
 */
import { absolutePath, fileUrl, resolveSpecifier } from './prepare/resolve.ts';
import { nodeError, UnsupportedError } from './errors.ts';
import { ExportResolver, type ExportResolution } from './loader-exports.ts';
import type { PreparedModule, PreparedProject, RequestTarget } from './protocol.ts';

type ModuleBody = Generator<unknown, unknown, unknown> | AsyncGenerator<unknown, unknown, unknown>;
export type ModuleFunction = (context: ModuleContext) => ModuleBody;

/** What a transformed module's code calls (`__l2m$`). */
export interface ModuleContext {
  /** The namespace of request `k`. */
  n(request: number): object;
  /** Registers the module's export getters. */
  e(getters: Record<string, () => unknown>): void;
  /** `import.meta`. */
  m: { url: string; filename: string; dirname: string; resolve(specifier: string): string };
  /** `import()`. */
  i(specifier: unknown, options?: unknown): Promise<object>;
}

export interface LoaderHost {
  /** Turns a transformed module's code into its generator function (a blob: module in the worker). */
  compile(module: PreparedModule): Promise<ModuleFunction>;
  /** The exports of a shimmed built-in (`node:test`, ...), `default` included. */
  builtin(name: string): Record<string, unknown>;
}

type Status = 'new' | 'linked' | 'evaluating' | 'evaluated' | 'errored';

interface Instance {
  record: PreparedModule;
  status: Status;
  namespace: object;
  getters: Record<string, () => unknown>;
  body: ModuleBody | null;
  fn: ModuleFunction | null;
  error: unknown;
  evaluation?: Promise<void>;
}


function createNamespace(): object {
  const namespace = Object.create(null) as object;
  Object.defineProperty(namespace, Symbol.toStringTag, { value: 'Module' });
  return namespace;
}

export class ModuleLoader {
  private readonly instances = new Map<string, Instance>();
  private readonly builtinNamespaces = new Map<string, object>();
  private readonly paths: Set<string>;
  private readonly exports: ExportResolver<Instance>;

  constructor(
    private readonly project: PreparedProject,
    private readonly host: LoaderHost,
  ) {
    this.paths = new Set(project.paths);
    this.exports = new ExportResolver(
      (path) => this.instances.get(path)!,
      (name) => Object.keys(host.builtin(name)),
    );
  }

  /** Loads, links and evaluates a project file; resolves to its namespace. */
  async importFile(path: string): Promise<object> {
    const instance = await this.load(path);
    await this.evaluate(instance);
    return instance.namespace;
  }

  /**
   * Runs an entry module: links it (async), then evaluates it. An error of a synchronous graph is reported
   * to `onError` synchronously, before any promise job queued by the module runs (as a crashing Node
   * process never runs them).
   */
  async run(path: string, onError: (error: unknown) => void): Promise<void> {
    const instance = await this.load(path);
    let pending: Promise<void> | undefined;
    try {
      pending = this.evaluate(instance);
    } catch (error) {
      onError(error);
      return;
    }
    if (pending) await pending.catch(onError);
  }

  private targetError(target: RequestTarget): Error {
    if (target.kind === 'unsupported') return new UnsupportedError(target.reason);
    if (target.kind === 'error') return nodeError(target.code, target.message);
    return new Error('unexpected target');
  }

  private async load(entry: string): Promise<Instance> {
    const fresh: Instance[] = [];
    const visit = (path: string): Instance => {
      const existing = this.instances.get(path);
      if (existing) return existing;
      const record = this.project.modules[path];
      if (!record) throw nodeError('ERR_MODULE_NOT_FOUND', `Cannot find module '${absolutePath(path)}'`);
      if (record.failure?.kind === 'unsupported') throw new UnsupportedError(record.failure.message);
      if (record.failure) throw new SyntaxError(`${absolutePath(path)}: ${record.failure.message}`);
      const instance: Instance = { record, status: 'new', namespace: createNamespace(), getters: {}, body: null, fn: null, error: undefined };
      this.instances.set(path, instance);
      fresh.push(instance);
      record.targets.forEach((target, index) => {
        if (target.kind === 'file') {
          const type = record.requests[index]?.type;
          const targetRecord = this.project.modules[target.path];
          if (targetRecord?.format === 'json' && type !== 'json') {
            throw nodeError(
              'ERR_IMPORT_ASSERTION_TYPE_MISSING',
              `Module "${fileUrl(target.path)}" needs an import attribute of type "json"`,
              TypeError,
            );
          }
          visit(target.path);
        } else if (target.kind !== 'builtin') {
          throw this.targetError(target);
        }
      });
      return instance;
    };
    let root: Instance;
    try {
      root = visit(entry);
    } catch (error) {
      for (const instance of fresh) this.instances.delete(instance.record.path);
      throw error;
    }
    try {
      await Promise.all(
        fresh.map(async (instance) => {
          if (instance.record.format === 'esm') instance.fn = await this.host.compile(instance.record);
        }),
      );
      for (const instance of fresh) this.link(instance);
      for (const instance of fresh) this.instantiate(instance);
    } catch (error) {
      for (const instance of fresh) this.instances.delete(instance.record.path);
      throw error;
    }
    return root;
  }

  private builtinNamespace(name: string): object {
    let namespace = this.builtinNamespaces.get(name);
    if (!namespace) {
      namespace = createNamespace();
      const exports = this.host.builtin(name);
      for (const key of Object.keys(exports).sort()) {
        Object.defineProperty(namespace, key, { value: exports[key], enumerable: true, writable: true });
      }
      Object.preventExtensions(namespace);
      this.builtinNamespaces.set(name, namespace);
    }
    return namespace;
  }

  private requestNamespace(instance: Instance, request: number): object {
    const target = instance.record.targets[request];
    if (target?.kind === 'builtin') return this.builtinNamespace(target.name);
    if (target?.kind === 'file') return this.instances.get(target.path)!.namespace;
    throw this.targetError(target ?? { kind: 'error', code: 'ERR_INTERNAL', message: 'unknown request' });
  }

  private reader(resolved: ExportResolution<Instance>): () => unknown {
    if ('builtin' in resolved) {
      const namespace = this.builtinNamespace(resolved.builtin) as Record<string, unknown>;
      return resolved.binding === '*' ? () => namespace : () => namespace[resolved.binding];
    }
    const { module, binding } = resolved;
    if (binding === '*') return () => module.namespace;
    return () => module.getters[binding]!();
  }

  private link(instance: Instance): void {
    const { record } = instance;
    for (const entry of record.imports) {
      const resolved = this.exports.resolveIn(record.targets[entry.request], entry.name);
      if (resolved === null || resolved === 'ambiguous') {
        const specifier = record.requests[entry.request]?.specifier ?? '';
        const message =
          resolved === null
            ? `The requested module '${specifier}' does not provide an export named '${entry.name}'`
            : `The requested module '${specifier}' contains conflicting star exports for name '${entry.name}'`;
        const error = new SyntaxError(message);
        error.stack = `${fileUrl(record.path)}:${entry.line}\n${error.name}: ${message}\n    at ${fileUrl(record.path)}:${entry.line}:${entry.column}`;
        throw error;
      }
    }
    if (record.format === 'json') {
      let value: unknown;
      try {
        value = JSON.parse(record.source);
      } catch (error) {
        throw new SyntaxError(`${absolutePath(record.path)}: ${(error as Error).message}`);
      }
      instance.getters = { default: () => value };
    }
    for (const name of this.exports.exportedNames(instance).sort()) {
      const resolved = this.exports.resolveExport(instance, name);
      if (resolved === null || resolved === 'ambiguous') continue;
      Object.defineProperty(instance.namespace, name, { get: this.reader(resolved), enumerable: true });
    }
    Object.preventExtensions(instance.namespace);
    instance.status = 'linked';
  }

  private context(instance: Instance): ModuleContext {
    const { path } = instance.record;
    const url = fileUrl(path);
    const filename = absolutePath(path);
    return {
      n: (request) => this.requestNamespace(instance, request),
      e: (getters) => {
        instance.getters = getters;
      },
      m: {
        url,
        filename,
        dirname: filename.slice(0, filename.lastIndexOf('/')),
        resolve: (specifier: string) => new URL(specifier, url).href,
      },
      i: (specifier, options) => this.dynamicImport(instance, specifier, options),
    };
  }

  private instantiate(instance: Instance): void {
    if (!instance.fn) return;
    instance.body = instance.fn(this.context(instance));
    const started = instance.body.next();
    // An async module's header also runs synchronously up to its first `yield`; its promise carries nothing.
    if (started instanceof Promise) started.catch(() => undefined);
  }

  private finish(instance: Instance, error?: unknown): void {
    if (error === undefined) {
      instance.status = 'evaluated';
    } else {
      instance.status = 'errored';
      instance.error = error;
    }
  }

  /**
   * Evaluates a module after its dependencies; returns a promise only when something on the way is async.
   * `ancestors` are the modules whose evaluation led here: meeting one again is a cycle, which is skipped.
   */
  private evaluate(instance: Instance, ancestors: ReadonlySet<Instance> = new Set()): Promise<void> | undefined {
    if (instance.status === 'errored') throw instance.error;
    if (instance.status === 'evaluated' || ancestors.has(instance)) return undefined;
    if (instance.status === 'evaluating') return instance.evaluation;
    instance.status = 'evaluating';
    const chain = new Set(ancestors).add(instance);
    const dependencies = instance.record.targets.flatMap((target) => (target.kind === 'file' ? [this.instances.get(target.path)!] : []));
    // As the spec evaluates async modules: every dependency starts in order; an async one does not hold up
    // its siblings, only this module, which runs when all of them are done.
    const run = (): Promise<void> | undefined => {
      const waiting: Promise<void>[] = [];
      for (const dependency of dependencies) {
        const pending = this.evaluate(dependency, chain);
        if (pending) waiting.push(pending);
      }
      if (waiting.length === 0) return this.execute(instance);
      return Promise.all(waiting).then(() => this.execute(instance));
    };
    let pending: Promise<void> | undefined;
    try {
      pending = run();
    } catch (error) {
      this.finish(instance, error);
      throw error;
    }
    if (!pending) {
      this.finish(instance);
      return undefined;
    }
    instance.evaluation = pending.then(
      () => this.finish(instance),
      (error: unknown) => {
        this.finish(instance, error);
        throw error;
      },
    );
    return instance.evaluation;
  }

  private execute(instance: Instance): Promise<void> | undefined {
    if (!instance.body) return undefined;
    const step = instance.body.next();
    if (step instanceof Promise) return step.then(() => undefined);
    return undefined;
  }

  private async dynamicImport(importer: Instance, specifier: unknown, options: unknown): Promise<object> {
    const text = String(specifier);
    const resolution = resolveSpecifier(text, importer.record.path, this.paths);
    if (resolution.kind === 'builtin') return this.builtinNamespace(resolution.name);
    if (resolution.kind !== 'file') throw this.targetError(resolution);
    const type = (options as { with?: { type?: unknown } } | undefined)?.with?.type;
    if (this.project.modules[resolution.path]?.format === 'json' && type !== 'json') {
      throw nodeError('ERR_IMPORT_ASSERTION_TYPE_MISSING', `Module "${fileUrl(resolution.path)}" needs an import attribute of type "json"`, TypeError);
    }
    if (!this.project.modules[resolution.path]) {
      const extension = /\.[^./]*$/.exec(resolution.path)?.[0] ?? '';
      throw nodeError('ERR_UNKNOWN_FILE_EXTENSION', `Unknown file extension "${extension}" for ${absolutePath(resolution.path)}`, TypeError);
    }
    return this.importFile(resolution.path);
  }
}
