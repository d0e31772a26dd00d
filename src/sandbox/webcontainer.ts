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
import type {
  ExecOptions,
  FileChange,
  RunFileResult,
  Sandbox,
  SandboxFactory,
  SandboxStatus,
  SyntaxReport,
  TestReport,
} from './types.ts';
import { loadWebContainerClass, type WcClass, type WcInstance, type WcProcess, type WebContainerCoep } from './webcontainer-api.ts';
import { WebContainerUnavailableError, pageBootLock, type WebContainerBootLock } from './webcontainer-boot.ts';
import {
  emptyTestReport,
  helperScripts,
  runFileCommandFor,
  runFileResultOf,
  syntaxCheckFor,
  syntaxReportOf,
  testCommandFor,
  testReportOf,
} from './webcontainer-commands.ts';
import { ContainerFiles, dependencyFingerprint } from './webcontainer-files.ts';
import { DEFAULT_INSTALL_TIMEOUT_MS, installWhenChanged, type InstallOutcome } from './webcontainer-install.ts';
import { PreviewServer, type ServerPreview } from './webcontainer-preview.ts';
import {
  DEFAULT_KILL_GRACE_MS,
  eitherSignal,
  raceAbort,
  runProcess,
  type ProcessOptions,
  type ProcessResult,
} from './webcontainer-process.ts';
import { installFailureReport } from './webcontainer-report.ts';
import {
  checkWebContainerSupport,
  describeUnavailable,
  detectPageCoep,
  pageBootTimeoutMs,
  readSupportEnvironment,
  type SupportEnvironment,
  type WebContainerUnavailable,
} from './webcontainer-support.ts';

export const DEFAULT_TEST_TIMEOUT_MS = 60_000;
export const DEFAULT_PER_FILE_TIMEOUT_MS = 10_000;
export const DEFAULT_RUN_FILE_TIMEOUT_MS = 10_000;
export const DEFAULT_SYNTAX_TIMEOUT_MS = 30_000;

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

export type { ServerPreview, WebContainerUnavailable };

export class WebContainerSandbox implements Sandbox {
  readonly kind = 'webcontainer' as const;
  #status: SandboxStatus = { kind: 'webcontainer', state: 'idle' };
  #statusListeners = new Set<(status: SandboxStatus) => void>();
  #preview = new PreviewServer();
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
    return this.#preview.current;
  }

  /** Called with the server's URL when one is ready, and with null when it stopped. */
  onServerReady(listener: (preview: ServerPreview | null) => void): () => void {
    return this.#preview.onChange(listener);
  }

  /** Boots (or joins the page's WebContainer) now. Rejects with `SandboxUnavailableError`. */
  async start(options: ExecOptions = {}): Promise<void> {
    await this.#exclusive(() => this.#ready(options.signal));
  }

  async sync(changes: FileChange[], options: ExecOptions = {}): Promise<void> {
    this.#assertUsable();
    this.#files.apply(changes);
    // Files reach a container this sandbox holds at once (a server may be watching them); otherwise at the
    // next run, which also takes the container back from another sandbox of the page.
    if (this.#lock.holds(this) && this.#status.state !== 'unavailable') {
      await this.#exclusive(() => this.#ready(options.signal));
    }
  }

  async checkSyntax(paths: string[], options: ExecOptions = {}): Promise<SyntaxReport> {
    const files = paths.filter((path) => /\.[cm]?js$/.test(path) && this.#files.has(path));
    if (files.length === 0) return { issues: [] };
    return this.#operation('syntax check', options, async (instance, signal) => {
      const command = await syntaxCheckFor(instance, files);
      const result = await this.#run(instance, command.cmd, command.args, {
        ...this.#processOptions(options, signal),
        timeoutMs: options.timeoutMs ?? DEFAULT_SYNTAX_TIMEOUT_MS,
      });
      return syntaxReportOf(result);
    });
  }

  async runTests(paths: string[], options: ExecOptions = {}): Promise<TestReport> {
    // Never an empty list: `node --test` without files would look for tests on its own.
    if (paths.length === 0) return emptyTestReport();
    return this.#operation('tests', options, async (instance, signal) => {
      // A preview server could hold the very port a test needs: the gate's answer matters more.
      this.#preview.stop();
      const install = await this.#install(instance, options, signal);
      if (install.kind === 'failed') return installFailureReport(install.message, install.result);
      this.#setStatus({ kind: 'webcontainer', state: 'busy', detail: 'tests' });
      const perFile = options.perFileTimeoutMs ?? DEFAULT_PER_FILE_TIMEOUT_MS;
      const overall = options.timeoutMs ?? DEFAULT_TEST_TIMEOUT_MS;
      const command = testCommandFor(paths, perFile, this.#files.paths());
      options.onOutput?.(`$ ${[command.cmd, ...command.args].join(' ')}\r\n`);
      const result = await this.#run(instance, command.cmd, command.args, {
        ...this.#processOptions(options, signal),
        timeoutMs: overall,
      });
      return testReportOf(result, paths, overall);
    });
  }

  async runFile(path: string, args: string[], options: ExecOptions = {}): Promise<RunFileResult> {
    return this.#operation(`running ${path}`, options, async (instance, signal) => {
      const install = await this.#install(instance, options, signal);
      if (install.kind === 'failed') {
        return { output: truncateOutput(`${install.message}\n${install.result.output}`), exitCode: null, timedOut: false };
      }
      this.#preview.stop();
      const serverReady = this.#preview.waitForServer();
      const command = runFileCommandFor(path, args, this.#files.paths());
      const result = await this.#run(instance, command.cmd, command.args, {
        ...this.#processOptions(options, signal),
        timeoutMs: options.timeoutMs ?? DEFAULT_RUN_FILE_TIMEOUT_MS,
        detachWhen: serverReady,
      }).finally(() => this.#preview.stopWaiting());
      return runFileResultOf(result, this.#preview.current);
    });
  }

  async dispose(): Promise<void> {
    if (this.#status.state === 'disposed') return;
    this.#disposed.abort();
    this.#preview.stop();
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
    const signal = options.signal ? eitherSignal(options.signal, this.#disposed.signal) : this.#disposed.signal;
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
        coep: () => this.#coep(),
        timeoutMs: this.#options.bootTimeoutMs ?? pageBootTimeoutMs(),
        loadClass: this.#options.loadClass ?? loadWebContainerClass,
        workdirName: this.#options.workdirName ?? 'project',
      });
      acquired = await raceAbort(acquiring, signal);
    } catch (error) {
      if (isAbortError(error)) {
        // The page's boot goes on without this caller; the next operation joins it.
        if (this.#status.state === 'booting') this.#setStatus({ kind: 'webcontainer', state: 'idle' });
        throw error;
      }
      if (error instanceof WebContainerUnavailableError) throw this.#markUnavailable(error);
      throw this.#markUnavailable(new WebContainerUnavailableError(errorMessage(error), 'boot-failed'));
    }
    const { instance, continuing, fresh } = acquired;
    if (!continuing) {
      this.#adopt(instance);
      await this.#files.flush(instance, { clear: !fresh, extra: helperScripts() });
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
    this.#preview.forget();
    this.#unsubscribeServer = instance.on('server-ready', (port, url) => this.#preview.serverReady(port, url));
  }

  #markUnavailable(error: WebContainerUnavailableError): WebContainerUnavailableError {
    const unavailable = describeUnavailable(error.reason, error.message);
    this.#unavailable = unavailable;
    this.#setStatus({ kind: 'webcontainer', state: 'unavailable', detail: `${unavailable.reason} ${unavailable.gateEffect}` });
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
    if (result.detached && child) this.#preview.keep(child);
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
    this.#preview.forget();
    this.#setStatus({ kind: 'webcontainer', state: 'booting', detail: 'restarting after a process that would not stop' });
    // Queued behind the current operation, so the next one finds the new container ready.
    void this.#exclusive(() => this.#ready()).catch(() => undefined);
  }
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

/** The port's factory shape (`SandboxFactory`) with the defaults of a page: boots, or rejects as unavailable. */
export const webContainerSandboxFactory: SandboxFactory = () => createWebContainerSandbox();
