/**
 * The project's files as the WebContainer holds them (DESIGN.md §7): the first flush after a boot mounts
 * every file at the working directory's root as one tree; later flushes write only the paths whose content
 * changed and remove deleted ones. TS/JSX is stripped in-app before it is written (Node 20 runs neither),
 * and `npm install` is due only when the dependencies in `package.json` change.
 */
import { needsStripping, stripTypes } from './strip.ts';
import type { FileChange } from './types.ts';
import type { WcFileTree, WcInstance } from './webcontainer-api.ts';

/** What a file becomes inside the container: stripped TS/JSX, anything else as it is. */
export function containerContent(path: string, content: string): string {
  if (!needsStripping(path)) return content;
  try {
    return stripTypes(path, content);
  } catch {
    // Unparseable source goes in as written: Node then fails on it where it is imported, which is the truth.
    return content;
  }
}

/** A `FileSystemTree` of `files` (relative POSIX paths), for `mount`. */
export function toFileTree(files: ReadonlyMap<string, string>): WcFileTree {
  const root: WcFileTree = {};
  for (const [path, contents] of files) {
    const segments = path.split('/');
    const name = segments.pop();
    if (!name) continue;
    let directory = root;
    for (const segment of segments) {
      const existing = directory[segment];
      if (existing && 'directory' in existing) {
        directory = existing.directory;
      } else {
        const created: WcFileTree = {};
        directory[segment] = { directory: created };
        directory = created;
      }
    }
    directory[name] = { file: { contents } };
  }
  return root;
}

/**
 * A fingerprint of `dependencies` and `devDependencies` (sorted), or null when there is nothing to
 * install. A `package.json` that is not valid JSON fingerprints as its text, so npm gets to say what is
 * wrong with it instead of the tests failing on missing packages.
 */
export function dependencyFingerprint(packageJson: string | undefined): string | null {
  if (packageJson === undefined) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(packageJson);
  } catch {
    return `unparseable:${packageJson}`;
  }
  if (typeof parsed !== 'object' || parsed === null) return `unparseable:${packageJson}`;
  const record = parsed as Record<string, unknown>;
  const sorted = (value: unknown): [string, unknown][] =>
    typeof value === 'object' && value !== null ? Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) : [];
  const dependencies = sorted(record.dependencies);
  const devDependencies = sorted(record.devDependencies);
  if (dependencies.length === 0 && devDependencies.length === 0) return null;
  return JSON.stringify({ dependencies, devDependencies });
}

function parentOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

function ancestors(path: string): string[] {
  const result: string[] = [];
  for (let parent = parentOf(path); parent; parent = parentOf(parent)) result.push(parent);
  return result;
}

/** The wanted files and what the current container has, and the operations that bring one to the other. */
export class ContainerFiles {
  /** Path → content as it goes into the container. */
  readonly #wanted = new Map<string, string>();
  /** What the container holds; null until the next flush mounts everything. */
  #mounted: Map<string, string> | null = null;

  /** Records changes; nothing is written until `flush`. */
  apply(changes: FileChange[]): void {
    for (const change of changes) {
      if (change.content === null) this.#wanted.delete(change.path);
      else this.#wanted.set(change.path, containerContent(change.path, change.content));
    }
  }

  /** The next flush mounts every file (a new instance, or another sandbox used the working directory). */
  forgetContainer(): void {
    this.#mounted = null;
  }

  get mounted(): boolean {
    return this.#mounted !== null;
  }

  get packageJson(): string | undefined {
    return this.#wanted.get('package.json');
  }

  has(path: string): boolean {
    return this.#wanted.has(path);
  }

  paths(): string[] {
    return [...this.#wanted.keys()];
  }

  /**
   * Brings the container up to date. When everything is mounted: `clear` removes whatever the working
   * directory holds first (another sandbox's files), and `extra` files (the helper scripts) go into the same
   * tree without being tracked as project files. Returns the project paths written and removed.
   */
  async flush(
    instance: WcInstance,
    options: { clear?: boolean; extra?: { path: string; content: string }[] } = {},
  ): Promise<{ written: string[]; removed: string[] }> {
    if (this.#mounted === null) {
      if (options.clear) {
        for (const entry of await instance.fs.readdir('.')) await instance.fs.rm(entry, { recursive: true, force: true });
      }
      const snapshot = new Map(this.#wanted);
      const tree = new Map(snapshot);
      for (const file of options.extra ?? []) tree.set(file.path, file.content);
      await instance.mount(toFileTree(tree));
      this.#mounted = snapshot;
      return { written: [...snapshot.keys()], removed: [] };
    }
    const mounted = this.#mounted;
    const removed = [...mounted.keys()].filter((path) => !this.#wanted.has(path));
    const written = [...this.#wanted].filter(([path, content]) => mounted.get(path) !== content).map(([path]) => path);
    for (const path of removed) {
      await instance.fs.rm(path, { force: true });
      mounted.delete(path);
    }
    // A file may replace a directory that only held removed files (`a/b` deleted, `a` written).
    const directories = new Set([...mounted.keys()].flatMap(ancestors));
    const removedDirectories = new Set(removed.flatMap(ancestors).filter((dir) => !directories.has(dir)));
    const parentsToMake = new Set<string>();
    for (const path of written) {
      if (removedDirectories.has(path)) await instance.fs.rm(path, { recursive: true, force: true });
      const parent = parentOf(path);
      if (parent && !directories.has(parent)) parentsToMake.add(parent);
    }
    for (const parent of parentsToMake) await instance.fs.mkdir(parent, { recursive: true });
    for (const path of written) {
      const content = this.#wanted.get(path) ?? '';
      await instance.fs.writeFile(path, content);
      mounted.set(path, content);
    }
    return { written, removed };
  }
}
