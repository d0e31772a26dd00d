/**
 * A fake WebContainer that runs commands with the real Node and npm of the test machine, implementing the
 * API subset of the test seam (DESIGN.md §7; `src/sandbox/webcontainer-api.ts`) faithfully enough to test the
 * adapter against: one temp folder per instance, one live instance at a time (booting a second throws, as
 * the real one does), `spawn` with merged output through a pseudo-terminal's line endings (`\r\n`), `kill`
 * of the whole process tree, `teardown` that kills everything and removes the folder, and `server-ready`
 * when a spawned process starts listening.
 *
 * Faults for tests: a boot that never settles, processes whose `kill()` is ignored (a busy loop in a real
 * WebContainer), and an `npm install` that fails.
 *
 * Used directly in Node by the unit tests, and in the browser through `fake-webcontainer-bridge.ts`.
 */
import { spawn } from 'node:child_process';
import { watch, type FSWatcher } from 'node:fs';
import { mkdir, mkdtemp, open, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import type {
  WcBootOptions,
  WcClass,
  WcFileSystem,
  WcFileTree,
  WcInstance,
  WcProcess,
  WcSpawnOptions,
} from '../../src/sandbox/webcontainer-api.ts';
import { FakeProcess, SERVER_READY_PRELOAD, toPtyText } from './fake-webcontainer-process.ts';

export interface FakeWebContainerFaults {
  /** `boot()` returns a promise that never settles (a real WebContainer offline). */
  bootNeverSettles?: boolean;
  /**
   * `kill()` does nothing for processes whose command line contains this text (`true`: every process), as
   * for a busy loop in a real WebContainer; only `teardown` stops them.
   */
  ignoreKill?: boolean | string;
  /** `npm install` (and `npm i`/`npm ci`) prints an npm error and exits 1, without running npm. */
  failInstall?: boolean | string;
  /**
   * Processes whose command line contains `match` print `output` and exit with `exitCode` instead of
   * running (e.g. a Node that rejects a flag, or a runner that dies before printing any TAP).
   */
  scripted?: { match: string; output: string; exitCode: number }[];
}

export interface SpawnRecord {
  command: string;
  args: string[];
  cwd: string | undefined;
}

export type FsOperation =
  | { op: 'mount'; paths: string[] }
  | { op: 'writeFile' | 'readFile' | 'rm' | 'mkdir' | 'readdir'; path: string };

const SIMULATED_INSTALL_ERROR =
  'npm error code E404\r\nnpm error 404 Not Found - GET https://registry.npmjs.org/left-padd - Not found\r\n' +
  'npm error 404  (simulated by the fake WebContainer)\r\n';

/** Keys of the test runner's own environment that must not leak into the generated code's processes. */
const ENV_DROPPED = /^(NODE_OPTIONS|NODE_TEST_CONTEXT|NODE_V8_COVERAGE|NODE_CHANNEL_FD|VITEST.*|TEST|TINYPOOL.*)$/;

function isInstall(command: string, args: string[]): boolean {
  return command === 'npm' && ['install', 'i', 'ci', 'add'].includes(args[0] ?? '');
}

function matches(fault: boolean | string | undefined, commandLine: string): boolean {
  if (fault === undefined || fault === false) return false;
  return fault === true || commandLine.includes(fault);
}

export class FakeWebContainerInstance implements WcInstance {
  readonly fs: WcFileSystem;
  readonly spawns: SpawnRecord[] = [];
  readonly fsLog: FsOperation[] = [];
  #processes = new Set<FakeProcess>();
  #listeners = new Set<(port: number, url: string) => void>();
  #watcher: FSWatcher | null = null;
  #readyOffset = 0;
  #tornDown = false;

  constructor(
    readonly root: string,
    readonly workdir: string,
    readonly options: WcBootOptions,
    private readonly host: FakeWebContainer,
  ) {
    this.fs = this.#fileSystem();
  }

  get tornDown(): boolean {
    return this.#tornDown;
  }

  /** Processes started and not yet exited. */
  get liveProcesses(): number {
    return this.#processes.size;
  }

  #path(path: string): string {
    this.#assertAlive();
    const full = resolve(this.workdir, path.replace(/^\/+/, ''));
    if (full !== this.workdir && !full.startsWith(this.workdir + sep)) {
      throw new Error(`EACCES: path outside the working directory: ${path}`);
    }
    return full;
  }

  #assertAlive(): void {
    if (this.#tornDown) throw new Error('This WebContainer instance has been torn down.');
  }

  #fileSystem(): WcFileSystem {
    return {
      writeFile: async (path, data) => {
        this.fsLog.push({ op: 'writeFile', path });
        await writeFile(this.#path(path), data);
      },
      readFile: async (path, encoding) => {
        this.fsLog.push({ op: 'readFile', path });
        return readFile(this.#path(path), encoding === 'utf-8' ? 'utf8' : encoding);
      },
      rm: async (path, options) => {
        this.fsLog.push({ op: 'rm', path });
        await rm(this.#path(path), { force: options?.force ?? false, recursive: options?.recursive ?? false });
      },
      mkdir: async (path, options) => {
        this.fsLog.push({ op: 'mkdir', path });
        return mkdir(this.#path(path), options);
      },
      readdir: async (path) => {
        this.fsLog.push({ op: 'readdir', path });
        return readdir(this.#path(path));
      },
    };
  }

  async mount(tree: WcFileTree): Promise<void> {
    this.#assertAlive();
    const paths: string[] = [];
    const write = async (base: string, node: WcFileTree, prefix: string): Promise<void> => {
      await mkdir(base, { recursive: true });
      for (const [name, entry] of Object.entries(node)) {
        if (name.includes('/') || name === '..' || name === '.') throw new Error(`Bad name in a mounted tree: ${name}`);
        if ('directory' in entry) await write(join(base, name), entry.directory, `${prefix}${name}/`);
        else {
          paths.push(`${prefix}${name}`);
          await writeFile(join(base, name), entry.file.contents);
        }
      }
    };
    await write(this.workdir, tree, '');
    this.fsLog.push({ op: 'mount', paths: paths.sort() });
  }

  async spawn(command: string, args: string[], options: WcSpawnOptions = {}): Promise<WcProcess> {
    this.#assertAlive();
    this.spawns.push({ command, args: [...args], cwd: options.cwd });
    const faults = this.host.faults;
    const commandLine = [command, ...args].join(' ');
    const scripted = faults.scripted?.find((entry) => commandLine.includes(entry.match));
    if (scripted) return new FakeProcess(null, false, { text: toPtyText(scripted.output), code: scripted.exitCode });
    if (isInstall(command, args) && faults.failInstall) {
      const text = typeof faults.failInstall === 'string' ? toPtyText(faults.failInstall) : SIMULATED_INSTALL_ERROR;
      return new FakeProcess(null, false, { text, code: 1 });
    }
    const executable = command === 'node' ? process.execPath : command === 'npm' || command === 'npx' ? command : null;
    if (!executable) return new FakeProcess(null, false, { text: `jsh: command not found: ${command}\r\n`, code: 127 });

    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(process.env)) {
      if (value !== undefined && !ENV_DROPPED.test(key)) env[key] = value;
    }
    for (const [key, value] of Object.entries(options.env ?? {})) env[key] = String(value);
    env.L2MAC_FAKE_WC_READY_FILE = join(this.root, 'server-ready.log');
    env.NODE_OPTIONS = `--require=${join(this.root, 'server-ready.cjs')}`;

    const child = spawn(executable, args, {
      cwd: options.cwd ? this.#path(options.cwd) : this.workdir,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const fakeProcess = new FakeProcess(child, matches(faults.ignoreKill, commandLine));
    this.#processes.add(fakeProcess);
    void fakeProcess.exit.then(() => this.#processes.delete(fakeProcess));
    return fakeProcess;
  }

  on(event: 'server-ready', listener: (port: number, url: string) => void): () => void {
    if (event !== 'server-ready') throw new Error(`The fake WebContainer has no '${String(event)}' event.`);
    this.#listeners.add(listener);
    this.#watchServers();
    return () => this.#listeners.delete(listener);
  }

  #watchServers(): void {
    if (this.#watcher || this.#tornDown) return;
    const file = join(this.root, 'server-ready.log');
    this.#watcher = watch(file, () => void this.#readServers(file));
  }

  async #readServers(file: string): Promise<void> {
    const handle = await open(file, 'r').catch(() => null);
    if (!handle) return;
    try {
      const { size } = await handle.stat();
      if (size <= this.#readyOffset) return;
      const buffer = Buffer.alloc(size - this.#readyOffset);
      await handle.read(buffer, 0, buffer.length, this.#readyOffset);
      const text = buffer.toString('utf8');
      const complete = text.lastIndexOf('\n') + 1;
      this.#readyOffset += Buffer.byteLength(text.slice(0, complete));
      for (const line of text.slice(0, complete).split('\n')) {
        const port = Number(line.trim());
        if (!line.trim() || !Number.isInteger(port)) continue;
        for (const listener of this.#listeners) listener(port, `http://localhost:${port}`);
      }
    } finally {
      await handle.close();
    }
  }

  teardown(): void {
    if (this.#tornDown) return;
    this.#tornDown = true;
    this.#watcher?.close();
    this.#listeners.clear();
    for (const process_ of this.#processes) process_.forceKill();
    const processes = [...this.#processes];
    this.host.forget(this);
    // The folder goes once every process is gone (a process still writing into it would recreate files).
    this.host.pending.add(
      Promise.all(processes.map((p) => p.exit)).then(() => rm(this.root, { recursive: true, force: true })),
    );
  }
}

/** The object installed as `globalThis.__L2MAC_WEBCONTAINER__`: `boot(options)` like the real class. */
export class FakeWebContainer implements WcClass {
  faults: FakeWebContainerFaults;
  readonly boots: WcBootOptions[] = [];
  readonly instances: FakeWebContainerInstance[] = [];
  readonly pending = new Set<Promise<unknown>>();
  #live: FakeWebContainerInstance | null = null;

  constructor(faults: FakeWebContainerFaults = {}) {
    this.faults = faults;
  }

  get live(): FakeWebContainerInstance | null {
    return this.#live;
  }

  async boot(options: WcBootOptions): Promise<WcInstance> {
    this.boots.push({ ...options });
    if (this.faults.bootNeverSettles) return new Promise<never>(() => undefined);
    if (this.#live) throw new Error('Unable to create more instances');
    const root = await mkdtemp(join(tmpdir(), 'l2mac-fake-wc-'));
    const workdir = join(root, options.workdirName ?? 'project');
    await mkdir(workdir);
    await writeFile(join(root, 'server-ready.cjs'), SERVER_READY_PRELOAD);
    await writeFile(join(root, 'server-ready.log'), '');
    const instance = new FakeWebContainerInstance(root, workdir, options, this);
    this.instances.push(instance);
    this.#live = instance;
    return instance;
  }

  forget(instance: FakeWebContainerInstance): void {
    if (this.#live === instance) this.#live = null;
  }

  /** Tears down every instance and waits until their processes are gone and their folders removed. */
  async dispose(): Promise<void> {
    for (const instance of this.instances) instance.teardown();
    await Promise.all(this.pending);
  }
}

/** The files under an instance's working directory (relative POSIX paths), for assertions. */
export async function listWorkdir(instance: FakeWebContainerInstance, under = ''): Promise<string[]> {
  const base = join(instance.workdir, under);
  const entries = await readdir(base, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(instance.workdir, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort();
}

