/**
 * Which binding each export name of a module stands for, as the spec's GetExportedNames and ResolveExport
 * say: a local export; an indirect one (`export { a as b } from`, `export * as ns from`) followed to its
 * module; or a star export (`export * from`), which never re-exports `default` and drops a name two stars
 * provide differently (ambiguous). Cycles end the search (a name met again resolves to nothing).
 */
import type { PreparedModule, RequestTarget } from './protocol.ts';

export interface LinkedModule {
  record: PreparedModule;
}

/** A module's binding (`'*'`: its namespace) or a built-in's export. */
export type ExportResolution<M> = { module: M; binding: string } | { builtin: string; binding: string };

function sameBinding<M>(a: ExportResolution<M>, b: ExportResolution<M>): boolean {
  if ('builtin' in a || 'builtin' in b) return 'builtin' in a && 'builtin' in b && a.builtin === b.builtin && a.binding === b.binding;
  return a.module === b.module && a.binding === b.binding;
}

export class ExportResolver<M extends LinkedModule> {
  constructor(
    private readonly moduleAt: (path: string) => M,
    private readonly builtinNames: (name: string) => string[],
  ) {}

  exportedNames(module: M, visited = new Set<M>()): string[] {
    if (visited.has(module)) return [];
    visited.add(module);
    const { record } = module;
    const names = [...record.localExports, ...record.indirectExports.map((e) => e.name)];
    for (const request of record.starExports) {
      const target = record.targets[request];
      const starred =
        target?.kind === 'file' ? this.exportedNames(this.moduleAt(target.path), visited) : target?.kind === 'builtin' ? this.builtinNames(target.name) : [];
      for (const name of starred) if (name !== 'default' && !names.includes(name)) names.push(name);
    }
    return names;
  }

  /** What `name` imported from `target` is: null when it does not exist, 'ambiguous' between two stars. */
  resolveIn(target: RequestTarget | undefined, name: string, seen = new Set<string>()): ExportResolution<M> | null | 'ambiguous' {
    if (target?.kind === 'builtin') {
      return name === '*' || this.builtinNames(target.name).includes(name) ? { builtin: target.name, binding: name } : null;
    }
    if (target?.kind !== 'file') return null;
    const module = this.moduleAt(target.path);
    if (name === '*') return { module, binding: '*' };
    return this.resolveExport(module, name, seen);
  }

  resolveExport(module: M, name: string, seen = new Set<string>()): ExportResolution<M> | null | 'ambiguous' {
    const key = `${module.record.path}\0${name}`;
    if (seen.has(key)) return null;
    seen.add(key);
    const { record } = module;
    if (record.localExports.includes(name)) return { module, binding: name };
    const indirect = record.indirectExports.find((e) => e.name === name);
    if (indirect) return this.resolveIn(record.targets[indirect.request], indirect.imported, seen);
    if (name === 'default') return null;
    let found: ExportResolution<M> | null = null;
    for (const request of record.starExports) {
      const resolution = this.resolveIn(record.targets[request], name, seen);
      if (resolution === 'ambiguous') return 'ambiguous';
      if (!resolution) continue;
      if (found && !sameBinding(found, resolution)) return 'ambiguous';
      found = resolution;
    }
    return found;
  }
}
