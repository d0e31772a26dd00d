/**
 * The subset of `@webcontainer/api` the adapter uses, and nothing more (DESIGN.md §7, the test seam):
 * `boot`, `mount`, `fs.writeFile/readFile/rm/mkdir/readdir`, `spawn`, `on('server-ready')`, `teardown`.
 * The fake WebContainer of `tests/support/` implements exactly these shapes, so the real class and the fake
 * are interchangeable behind `globalThis.__L2MAC_WEBCONTAINER__`.
 */

export type WebContainerCoep = 'require-corp' | 'credentialless' | 'none';

export interface WcBootOptions {
  coep: WebContainerCoep;
  workdirName?: string;
}

/** A directory tree for `mount`: the shape of `FileSystemTree` (no symlinks: the adapter never makes them). */
export interface WcFileTree {
  [name: string]: { directory: WcFileTree } | { file: { contents: string } };
}

export interface WcProcess {
  /** stdout and stderr of the process and its children, merged (a pseudo-terminal). */
  output: ReadableStream<string>;
  exit: Promise<number>;
  kill(): void;
}

export interface WcSpawnOptions {
  cwd?: string;
  env?: Record<string, string | number | boolean>;
}

export interface WcFileSystem {
  writeFile(path: string, data: string): Promise<void>;
  readFile(path: string, encoding: 'utf-8'): Promise<string>;
  rm(path: string, options?: { force?: boolean; recursive?: boolean }): Promise<void>;
  mkdir(path: string, options: { recursive: true }): Promise<unknown>;
  readdir(path: string): Promise<string[]>;
}

export interface WcInstance {
  fs: WcFileSystem;
  mount(tree: WcFileTree): Promise<void>;
  /** The real API returns a promise; a fake may answer synchronously. */
  spawn(command: string, args: string[], options?: WcSpawnOptions): Promise<WcProcess> | WcProcess;
  /** Returns an unsubscribe function (the real API's `Unsubscribe`). */
  on(event: 'server-ready', listener: (port: number, url: string) => void): () => void;
  teardown(): void;
}

/** What the seam holds: an object with `boot` (the `WebContainer` class itself, or the fake). */
export interface WcClass {
  boot(options: WcBootOptions): Promise<WcInstance>;
}

declare global {
  // The test seam of DESIGN.md §7: a `var` so that it is a property of globalThis.
  var __L2MAC_WEBCONTAINER__: WcClass | undefined;
}

/**
 * The WebContainer class: the seam when a test installed one, otherwise `@webcontainer/api`, imported here
 * and only here, lazily, so that it is never part of the initial bundle and never fetched on page load.
 */
export async function loadWebContainerClass(): Promise<WcClass> {
  const seam = globalThis.__L2MAC_WEBCONTAINER__;
  if (seam) return seam;
  const { WebContainer } = await import('@webcontainer/api');
  // The assignment checks at compile time that the real class satisfies the subset.
  const real: WcClass = WebContainer;
  return real;
}
