/**
 * The WebContainer implementation of the sandbox port (DESIGN.md §7): full Node.js and npm in the page's
 * main thread. Booted lazily at the first operation that executes code (never on page load, never by
 * `sync`), once per page through `pageBootLock`; checked for support first; files mounted at the working
 * directory's root, then synced by changed paths; `npm install` only when the dependencies change; Node's
 * own syntax check in one process; `node --test` with TAP; a watchdog that tears the container down when a
 * killed process will not exit, and boots a new one with the files mounted again.
 */
import { AbortError, SandboxUnavailableError, errorMessage, isAbortError, throwIfAborted } from '../errors.ts';
import { truncateOutput } from './output.ts';
import { parseTap } from './tap.ts';
import type {
  ExecOptions,
  FileChange,
  RunFileResult,
  Sandbox,
  SandboxStatus,
  SyntaxReport,
  TestReport,
} from './types.ts';
import { loadWebContainerClass, type WcClass, type WcInstance, type WcProcess, type WebContainerCoep } from './webcontainer-api.ts';
import { WebContainerUnavailableError, pageBootLock, type WebContainerBootLock } from './webcontainer-boot.ts';
import { ContainerFiles, dependencyFingerprint } from './webcontainer-files.ts';
import { DEFAULT_INSTALL_TIMEOUT_MS, installWhenChanged, type InstallOutcome } from './webcontainer-install.ts';
import { DEFAULT_KILL_GRACE_MS, runProcess, type ProcessOptions, type ProcessResult } from './webcontainer-process.ts';
import {
  UNAVAILABLE_GATE_EFFECT,
  checkWebContainerSupport,
  detectPageCoep,
  pageBootTimeoutMs,
  readSupportEnvironment,
  webContainerDiagnostic,
  type SupportEnvironment,
  type UnavailableCode,
} from './webcontainer-support.ts';
import { installFailureReport, markUnfinishedFiles } from './webcontainer-report.ts';
import {
  needsFormatHooks,
  nodeScriptFiles,
  parseSyntaxCheckOutput,
  runFileCommand,
  syntaxCheckCommand,
  testCommand,
} from './node-scripts.ts';

export const DEFAULT_TEST_TIMEOUT_MS = 60_000;
export const DEFAULT_PER_FILE_TIMEOUT_MS = 10_000;
export const DEFAULT_RUN_FILE_TIMEOUT_MS = 10_000;
export const DEFAULT_SYNTAX_TIMEOUT_MS = 30_000;
/** The helper scripts (syntax checker, module-format hooks) live in a hidden folder of the working directory. */
const SCRIPT_DIR = '.l2mac';
/** Past this many files the syntax checker reads its list from a file (command lines have limits). */
const MAX_FILES_ON_COMMAND_LINE = 100;

export interface WebContainerSandboxOptions {
  /** Default: `?wcBootMs=` of the page URL, else 20 s. */
  bootTimeoutMs?: number;
  /** Default: the page's lock (one WebContainer per page). Tests pass their own. */
  bootLock?: WebContainerBootLock;
  /** Default: the seam `globalThis.__L2MAC_WEBCONTAINER__`, else `@webcontainer/api` imported lazily. */
  loadClass?: () => Promise<WcClass>;
  /** Default: read from the browser (isolation, SharedArrayBuffer, user agent). */
  environment?: SupportEnvironment;
  /** Default: the page's own COEP header (`detectPageCoep`). */
  coep?: WebContainerCoep | (() => Promise<WebContainerCoep>);
  installTimeoutMs?: number;
  /** How long a killed process may take to exit before the watchdog tears the container down. */
  killGraceMs?: number;
  workdirName?: string;
}

/** A server a generated project started (`server-ready`), for the preview frame. */
export interface ServerPreview {
  port: number;
  url: string;
}

export interface WebContainerUnavailable {
  code: UnavailableCode;
  reason: string;
  /** What it means for the step gate. */
  gateEffect: string;
  /** Which hosts WebContainer needs, for networks that block them. */
  diagnostic: string;
}

export class WebContainerSandbox implements Sandbox {
  readonly kind = 'webcontainer' as const;
  #status: SandboxStatus = { kind: 'webcontainer', state: 'idle' };
  #statusListeners = new Set<(status: SandboxStatus) => void>();
  #previewListeners = new Set<(preview: ServerPreview | null) => void>();
  #preview: ServerPreview | null = null;
  #previewProcess: WcProcess | null = null;
  #serverWaiter: ((preview: ServerPreview) => void) | null = null;
  #unsubscribeServer: (() => void) | null = null;
  #unavailable: WebContainerUnavailable | null = null;
  #files = new ContainerFiles();
  #installed: string | null = null;
  #instance: WcInstance | null = null;
  #queue: Promise<unknown> = Promise.resolve();
  #running = new Set<WcProcess>();
  #disposed = new AbortController();
  readonly #options: WebContainerSandboxOptions;
  readonly #lock: WebContainerBootLock;

  constructor(options: WebContainerSandboxOptions = {}) {
    this.#options = options;
    this.#lock = options.bootLock ?? pageBootLock;
  }

  get status(): SandboxStatus {
    return this.#status;
  }

  onStatus(listener: (status: SandboxStatus) => void): () => void {
    this.#statusListeners.add(listener);
    return () => this.#statusListeners.delete(listener);
  }

  /** Why WebContainer cannot run in this page, or null. */
  get unavailable(): WebContainerUnavailable | null {
    return this.#unavailable;
  }

  /** The server a `runFile` started and left running, or null. */
  get preview(): ServerPreview | null {
    return this.#preview;
  }

  /** Called with the server's URL when one is ready, and with null when it stopped. */
  onServerReady(listener: (preview: ServerPreview | null) => void): () => void {
    this.#previewListeners.add(listener);
    return () => this.#previewListeners.delete(listener);
  }

  /** Boots (or joins the page's WebContainer) now. Rejects with `SandboxUnavailableError`. */
  async start(options: ExecOptions = {}): Promise<void> {
    await this.#exclusive(() => this.#ready(options.signal));
  }

  async sync(changes: FileChange[], options: ExecOptions = {}): Promise<void> {
    this.#assertUsable();
    this.#files.apply(changes);
    // Files reach a running container at once (a server may be watching them); otherwise at the next run.
    if (this.#instance && this.#status.state !== 'unavailable') {
      await this.#exclusive(() => this.#ready(options.signal));
    }
  }

  async checkSyntax(paths: string[], options: ExecOptions = {}): Promise<SyntaxReport> {
    const files = paths.filter((path) => /\.[cm]?js$/.test(path) && this.#files.has(path));
    if (files.length === 0) return { issues: [] };
    return this.#operation('syntax check', options, async (instance, signal) => {
      let filesFrom: string | undefined;
      if (files.length > MAX_FILES_ON_COMMAND_LINE) {
        filesFrom = `${SCRIPT_DIR}/syntax-files.json`;
        await instance.fs.writeFile(filesFrom, JSON.stringify(files.map((file) => `./${file}`)));
      }
      const command = syntaxCheckCommand(files, filesFrom ? { scriptDir: SCRIPT_DIR, filesFrom } : { scriptDir: SCRIPT_DIR });
      const result = await this.#run(instance, command.cmd, command.args, {
        ...this.#processOptions(options, signal),
        timeoutMs: options.timeoutMs ?? DEFAULT_SYNTAX_TIMEOUT_MS,
      });
      const issues = result.timedOut ? null : parseSyntaxCheckOutput(result.output);
      if (issues === null) {
        const why = result.timedOut ? 'it did not finish in time' : `it printed no result:\n${truncateOutput(result.output, 2000)}`;
        return { issues: [], unsupported: `Node's own syntax check did not run (${why}); the in-app check still applies.` };
      }
      return { issues };
    });
  }

  async runTests(paths: string[], options: ExecOptions = {}): Promise<TestReport> {
    if (paths.length === 0) {
      return { passed: 0, failed: 0, skipped: 0, todo: 0, failures: [], timedOut: [], output: '', durationMs: 0 };
    }
    return this.#operation('tests', options, async (instance, signal) => {
      const install = await this.#install(instance, options, signal);
      if (install.kind === 'failed') return installFailureReport(install.message, install.result);
      this.#setStatus({ kind: 'webcontainer', state: 'busy', detail: 'tests' });
      const perFile = options.perFileTimeoutMs ?? DEFAULT_PER_FILE_TIMEOUT_MS;
      const overall = options.timeoutMs ?? DEFAULT_TEST_TIMEOUT_MS;
      const command = testCommand(paths, perFile, { scriptDir: SCRIPT_DIR, hooks: needsFormatHooks(this.#files.paths()) });
      options.onOutput?.(`$ ${[command.cmd, ...command.args].join(' ')}\r\n`);
      const result = await this.#run(instance, command.cmd, command.args, {
        ...this.#processOptions(options, signal),
        timeoutMs: overall,
      });
      const report = parseTap(result.output, { files: paths, exitCode: result.exitCode, durationMs: result.durationMs });
      return result.timedOut ? markUnfinishedFiles(report, result.output, paths, overall) : report;
    });
  }

  async runFile(path: string, args: string[], options: ExecOptions = {}): Promise<RunFileResult> {
    return this.#operation(`running ${path}`, options, async (instance, signal) => {
      const install = await this.#install(instance, options, signal);
      if (install.kind === 'failed') {
        return { output: truncateOutput(`${install.message}\n${install.result.output}`), exitCode: null, timedOut: false };
      }
      this.#stopPreview();
      const serverReady = new Promise<ServerPreview>((resolve) => (this.#serverWaiter = resolve));
      const command = runFileCommand(path, args, { scriptDir: SCRIPT_DIR, hooks: needsFormatHooks(this.#files.paths()) });
      const result = await this.#run(instance, command.cmd, command.args, {
        ...this.#processOptions(options, signal),
        timeoutMs: options.timeoutMs ?? DEFAULT_RUN_FILE_TIMEOUT_MS,
        detachWhen: serverReady,
      }).finally(() => (this.#serverWaiter = null));
      let output = result.output;
      if (result.detached && this.#preview) {
        output += `\n[A server is listening on port ${this.#preview.port}; it keeps running for the preview.]`;
      }
      return { output: truncateOutput(output), exitCode: result.exitCode, timedOut: result.timedOut };
    });
  }

  async dispose(): Promise<void> {
    if (this.#status.state === 'disposed') return;
    this.#disposed.abort();
    this.#stopPreview();
    for (const process_ of this.#running) process_.kill();
    await this.#queue.catch(() => undefined);
    this.#unsubscribeServer?.();
    this.#unsubscribeServer = null;
    this.#lock.release(this);
    this.#instance = null;
    this.#setStatus({ kind: 'webcontainer', state: 'disposed' });
  }

  // ---- internals ----

  #setStatus(status: SandboxStatus): void {
    if (this.#status.state === 'disposed') return;
    if (status.state === this.#status.state && status.detail === this.#status.detail) return;
    this.#status = status;
    for (const listener of this.#statusListeners) listener(status);
  }

  #setPreview(preview: ServerPreview | null): void {
    this.#preview = preview;
    for (const listener of this.#previewListeners) listener(preview);
  }

  #assertUsable(): void {
    if (this.#status.state === 'disposed') throw new SandboxUnavailableError('This WebContainer sandbox was disposed.');
  }

  /** One operation at a time: the working directory and the processes are shared state. */
  #exclusive<T>(task: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(task, task);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  async #operation<T>(
    busy: string,
    options: ExecOptions,
    task: (instance: WcInstance, signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    this.#assertUsable();
    throwIfAborted(options.signal);
    const signal = options.signal ? AbortSignal.any([options.signal, this.#disposed.signal]) : this.#disposed.signal;
    return this.#exclusive(async () => {
      throwIfAborted(signal);
      const instance = await this.#ready(signal);
      this.#setStatus({ kind: 'webcontainer', state: 'busy', detail: busy });
      try {
        return await task(instance, signal);
      } finally {
        if (this.#status.state === 'busy') this.#setStatus({ kind: 'webcontainer', state: 'ready' });
      }
    });
  }

  /** The instance with this sandbox's files on it: support check, boot, mount or sync. */
  async #ready(signal?: AbortSignal): Promise<WcInstance> {
    this.#assertUsable();
    if (this.#unavailable) throw new WebContainerUnavailableError(this.#unavailable.reason, this.#unavailable.code);
    const support = checkWebContainerSupport(this.#options.environment ?? readSupportEnvironment());
    if (!support.supported) throw this.#markUnavailable(new WebContainerUnavailableError(support.reason, support.code));
    // The page already gave up on WebContainer: no second boot, and no "booting" that is not one.
    if (this.#lock.failure) throw this.#markUnavailable(this.#lock.failure);

    if (!this.#lock.booted) this.#setStatus({ kind: 'webcontainer', state: 'booting' });
    let acquired;
    try {
      const acquiring = this.#lock.acquire(this, {
        coep: await this.#coep(),
        timeoutMs: this.#options.bootTimeoutMs ?? pageBootTimeoutMs(),
        loadClass: this.#options.loadClass ?? loadWebContainerClass,
        workdirName: this.#options.workdirName ?? 'project',
      });
      acquired = await raceAbort(acquiring, signal);
    } catch (error) {
      if (isAbortError(error)) throw error;
      if (error instanceof WebContainerUnavailableError) throw this.#markUnavailable(error);
      throw this.#markUnavailable(new WebContainerUnavailableError(errorMessage(error), 'boot-failed'));
    }
    const { instance, continuing, fresh } = acquired;
    if (!continuing) {
      this.#adopt(instance);
      await this.#files.flush(instance, { clear: !fresh, extra: nodeScriptFiles(SCRIPT_DIR) });
    } else {
      await this.#files.flush(instance);
    }
    if (this.#status.state === 'booting' || this.#status.state === 'idle') {
      this.#setStatus({ kind: 'webcontainer', state: 'ready' });
    }
    return instance;
  }

  async #coep(): Promise<WebContainerCoep> {
    const option = this.#options.coep;
    if (typeof option === 'string') return option;
    return option ? option() : detectPageCoep();
  }

  /** A new instance, or one another sandbox used: its files, packages and servers are not ours. */
  #adopt(instance: WcInstance): void {
    this.#unsubscribeServer?.();
    this.#instance = instance;
    this.#files.forgetContainer();
    this.#installed = null;
    this.#previewProcess = null;
    if (this.#preview) this.#setPreview(null);
    this.#unsubscribeServer = instance.on('server-ready', (port, url) => {
      // Servers started by tests come and go with their test; only a `runFile` server is worth a preview.
      const waiter = this.#serverWaiter;
      if (!waiter) return;
      this.#setPreview({ port, url });
      waiter({ port, url });
    });
  }

  #markUnavailable(error: WebContainerUnavailableError): WebContainerUnavailableError {
    this.#unavailable = {
      code: error.reason,
      reason: error.message,
      gateEffect: UNAVAILABLE_GATE_EFFECT,
      diagnostic: webContainerDiagnostic(),
    };
    this.#setStatus({ kind: 'webcontainer', state: 'unavailable', detail: `${error.message} ${UNAVAILABLE_GATE_EFFECT}` });
    return error;
  }

  #processOptions(options: ExecOptions, signal: AbortSignal): Omit<ProcessOptions, 'timeoutMs'> {
    const processOptions: Omit<ProcessOptions, 'timeoutMs'> = {
      signal,
      killGraceMs: this.#options.killGraceMs ?? DEFAULT_KILL_GRACE_MS,
    };
    if (options.onOutput) processOptions.onOutput = options.onOutput;
    return processOptions;
  }

  /** Runs a process; applies the watchdog; turns a cancellation into an AbortError. */
  async #run(instance: WcInstance, command: string, args: string[], options: ProcessOptions): Promise<ProcessResult> {
    let child: WcProcess | null = null;
    const result = await runProcess(instance, command, args, {
      ...options,
      onSpawn: (spawned) => {
        child = spawned;
        this.#running.add(spawned);
      },
    });
    if (child) this.#running.delete(child);
    if (result.detached && child) this.#keepPreview(child);
    if (result.unkillable) this.#watchdog(instance);
    if (result.cancelled) throw new AbortError();
    return result;
  }

  async #install(instance: WcInstance, options: ExecOptions, signal: AbortSignal): Promise<InstallOutcome> {
    const fingerprint = dependencyFingerprint(this.#files.packageJson);
    if (fingerprint === null || fingerprint === this.#installed) return { kind: 'not-needed' };
    this.#setStatus({ kind: 'webcontainer', state: 'busy', detail: 'npm install' });
    const installOptions: Parameters<typeof installWhenChanged>[3] = {
      timeoutMs: this.#options.installTimeoutMs ?? DEFAULT_INSTALL_TIMEOUT_MS,
      killGraceMs: this.#options.killGraceMs ?? DEFAULT_KILL_GRACE_MS,
      signal,
    };
    if (options.onOutput) installOptions.onOutput = options.onOutput;
    const outcome = await installWhenChanged(instance, fingerprint, this.#installed, installOptions);
    if (outcome.kind === 'not-needed') return outcome;
    if (outcome.result.unkillable) this.#watchdog(instance);
    if (outcome.result.cancelled) throw new AbortError();
    if (outcome.kind === 'installed') this.#installed = fingerprint;
    return outcome;
  }

  #keepPreview(child: WcProcess): void {
    this.#previewProcess = child;
    void child.exit.then(
      () => this.#endPreview(child),
      () => this.#endPreview(child),
    );
  }

  #endPreview(child: WcProcess): void {
    if (this.#previewProcess !== child) return;
    this.#previewProcess = null;
    if (this.#preview) this.#setPreview(null);
  }

  #stopPreview(): void {
    const child = this.#previewProcess;
    if (!child) return;
    this.#previewProcess = null;
    if (this.#preview) this.#setPreview(null);
    try {
      child.kill();
    } catch {
      // Already gone.
    }
  }

  /**
   * A process did not exit after `kill()` (a busy loop cannot be interrupted in a WebContainer): tear the
   * container down, which stops everything in it, and boot a new one with the files mounted again.
   */
  #watchdog(instance: WcInstance): void {
    this.#lock.teardown(instance);
    this.#instance = null;
    this.#unsubscribeServer = null;
    this.#installed = null;
    this.#files.forgetContainer();
    this.#previewProcess = null;
    if (this.#preview) this.#setPreview(null);
    this.#setStatus({ kind: 'webcontainer', state: 'booting', detail: 'restarting after a process that would not stop' });
    // Queued behind the current operation, so the next one finds the new container ready.
    void this.#exclusive(() => this.#ready()).catch(() => undefined);
  }
}

function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(new AbortError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new AbortError());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/**
 * Makes a WebContainer sandbox and boots it (or joins the page's booted one). Rejects with a
 * `SandboxUnavailableError` (a `WebContainerUnavailableError`) when it cannot run here; the status of the
 * sandbox passed to `onCreated` says why, also while it boots.
 */
export async function createWebContainerSandbox(
  options: WebContainerSandboxOptions & { signal?: AbortSignal; onCreated?: (sandbox: WebContainerSandbox) => void } = {},
): Promise<WebContainerSandbox> {
  const sandbox = new WebContainerSandbox(options);
  options.onCreated?.(sandbox);
  const startOptions: ExecOptions = {};
  if (options.signal) startOptions.signal = options.signal;
  await sandbox.start(startOptions);
  return sandbox;
}
