/**
 * The worker sandbox (DESIGN.md §7): runs the generated project's tests and files with no WebContainer and
 * no network, each test file in a fresh Web Worker at an opaque origin (see `worker-runtime/`). Offline
 * demos, classrooms behind blocking networks, browsers where WebContainer fails.
 *
 * - `runTests` runs each file in its own worker (as `node --test` runs each file in its own process), one
 *   after another, with a hard time limit per file and per run: at the limit the worker is terminated, so a
 *   busy loop never blocks the page. The worker's results are written as Node's TAP and read back by the
 *   parser every sandbox uses (`tap.ts`), so reports mean the same in every sandbox.
 * - A test file whose imports need the full sandbox (packages, `fs`, `child_process`, the network,
 *   CommonJS, `Buffer`...) is not run; `report.unsupported` names what it needed.
 * - `checkSyntax` parses with the worker's engine (V8, as Node's) without running anything.
 */
import runtimeSource from 'virtual:l2mac-worker-runtime';
import { AbortError, SandboxUnavailableError } from '../errors.ts';
import { OUTPUT_LIMIT, truncateOutput } from './output.ts';
import { parseTap } from './tap.ts';
import type { ExecOptions, FileChange, RunFileResult, Sandbox, SandboxStatus, SyntaxIssue, SyntaxReport, TestReport } from './types.ts';
import { PROJECT_ROOT, absolutePath } from './worker-runtime/prepare/resolve.ts';
import { blockersOf, isModulePath, ProjectPreparer } from './worker-runtime/host/project.ts';
import { runJobInWorker, type JobEnd } from './worker-runtime/host/launch.ts';
import { writeTap, type FileRun } from './worker-runtime/host/tap-writer.ts';
import { issueFor, sourceKind } from './worker-runtime/host/syntax.ts';
import type { Job, PreparedProject, WorkerMessage } from './worker-runtime/protocol.ts';

export interface WorkerSandboxOptions {
  /** Default limit per test file (`ExecOptions.perFileTimeoutMs` overrides it). */
  perFileTimeoutMs?: number;
  /** Default limit per `runTests` call (`ExecOptions.timeoutMs` overrides it). */
  runTimeoutMs?: number;
  /** Default limit per `runFile` call (`ExecOptions.timeoutMs` overrides it). */
  runFileTimeoutMs?: number;
  outputLimit?: number;
  /** The worker runtime's source; the bundled one by default (tests may pass a broken one). */
  runtimeSource?: string;
}

export const WORKER_SANDBOX_DEFAULTS = { perFileTimeoutMs: 10_000, runTimeoutMs: 60_000, runFileTimeoutMs: 10_000 } as const;

/** What `report.unsupported` and `runFile`'s `unsupported` start with. */
export const NEEDS_FULL_SANDBOX = 'needs the full sandbox (Node.js in a WebContainer)';

/** Output kept per test file: the beginning, and a rolling end (a test may print without end until its limit). */
const KEEP_OUTPUT_HEAD = 2 * 1024 * 1024;
const KEEP_OUTPUT_TAIL = 256 * 1024;

/**
 * A file's messages in order, with output past the first `KEEP_OUTPUT_HEAD` characters reduced to its last
 * `KEEP_OUTPUT_TAIL` between two test events (the report keeps 8,000 characters anyway; this bounds memory).
 */
class KeptMessages {
  private readonly kept: WorkerMessage[] = [];
  private outputSize = 0;
  private tail: WorkerMessage[] = [];
  private tailSize = 0;
  private dropped = 0;

  push(message: WorkerMessage): void {
    if (message.type !== 'output') {
      this.flushTail();
      this.kept.push(message);
      return;
    }
    if (this.outputSize < KEEP_OUTPUT_HEAD) {
      this.outputSize += message.text.length;
      this.kept.push(message);
      return;
    }
    this.tail.push(message);
    this.tailSize += message.text.length;
    while (this.tailSize > KEEP_OUTPUT_TAIL && this.tail.length > 1) {
      const first = this.tail.shift()!;
      this.tailSize -= first.type === 'output' ? first.text.length : 0;
      this.dropped += first.type === 'output' ? first.text.length : 0;
    }
  }

  private flushTail(): void {
    if (this.dropped > 0) this.kept.push({ type: 'output', stream: 'stdout', text: `\n[… ${this.dropped} characters of output dropped …]\n` });
    this.kept.push(...this.tail);
    this.tail = [];
    this.tailSize = 0;
    this.dropped = 0;
  }

  list(): WorkerMessage[] {
    this.flushTail();
    return this.kept;
  }
}

export class WorkerSandbox implements Sandbox {
  readonly kind = 'worker' as const;
  private currentStatus: SandboxStatus = { kind: 'worker', state: 'ready' };
  private readonly listeners = new Set<(status: SandboxStatus) => void>();
  private readonly files = new Map<string, string>();
  private readonly preparer = new ProjectPreparer();
  private readonly options: Required<Omit<WorkerSandboxOptions, 'runtimeSource'>> & { runtimeSource: string };
  private queue: Promise<unknown> = Promise.resolve();
  private readonly disposed = new AbortController();

  constructor(options: WorkerSandboxOptions = {}) {
    this.options = {
      perFileTimeoutMs: options.perFileTimeoutMs ?? WORKER_SANDBOX_DEFAULTS.perFileTimeoutMs,
      runTimeoutMs: options.runTimeoutMs ?? WORKER_SANDBOX_DEFAULTS.runTimeoutMs,
      runFileTimeoutMs: options.runFileTimeoutMs ?? WORKER_SANDBOX_DEFAULTS.runFileTimeoutMs,
      outputLimit: options.outputLimit ?? OUTPUT_LIMIT,
      runtimeSource: options.runtimeSource ?? runtimeSource,
    };
  }

  get status(): SandboxStatus {
    return this.currentStatus;
  }

  onStatus(listener: (status: SandboxStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private setStatus(status: Omit<SandboxStatus, 'kind'>): void {
    if (this.currentStatus.state === 'disposed') return;
    // Unavailable stays unavailable: only dispose() follows it.
    if (this.currentStatus.state === 'unavailable' && status.state !== 'disposed') return;
    this.currentStatus = { kind: 'worker', ...status };
    for (const listener of this.listeners) listener(this.currentStatus);
  }

  /** Runs operations one at a time (a second call waits for the first). */
  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private ensureUsable(signal?: AbortSignal): void {
    if (this.currentStatus.state === 'disposed') throw new SandboxUnavailableError('The worker sandbox was disposed.');
    if (this.currentStatus.state === 'unavailable') throw new SandboxUnavailableError(this.currentStatus.detail ?? 'The worker sandbox is unavailable.');
    if (signal?.aborted) throw new AbortError();
  }

  async sync(changes: FileChange[], options: ExecOptions = {}): Promise<void> {
    this.ensureUsable(options.signal);
    for (const change of changes) {
      if (change.content === null) this.files.delete(change.path);
      else this.files.set(change.path, change.content);
    }
  }

  /**
   * Parses `.js/.mjs/.cjs` files with the worker's engine (V8, as Node's), as Node would load them, without
   * running them (`worker-runtime/syntax-check.ts`).
   */
  checkSyntax(paths: string[], options: ExecOptions = {}): Promise<SyntaxReport> {
    return this.serial(async () => {
      this.ensureUsable(options.signal);
      const files = paths.flatMap((path) => {
        const code = this.files.get(path);
        const kind = sourceKind(path, this.files);
        return code === undefined || kind === null ? [] : [{ path, code, kind }];
      });
      if (files.length === 0) return { issues: [] };
      const issues: SyntaxIssue[] = [];
      const end = await this.job({ op: 'check', files }, options.timeoutMs ?? this.options.runTimeoutMs, this.signalFor(options), (message) => {
        if (message.type !== 'syntax' || message.error === undefined) return;
        const file = files.find((f) => f.path === message.path);
        if (file) issues.push(issueFor(file.path, file.code, file.kind, message.error));
      });
      if (end.kind !== 'done') return { issues, unsupported: `the syntax check in the worker did not finish (${end.kind === 'failed' ? end.message : 'time limit'})` };
      return { issues };
    });
  }

  private signalFor(options: ExecOptions): AbortSignal {
    return options.signal ? AbortSignal.any([options.signal, this.disposed.signal]) : this.disposed.signal;
  }

  /** Runs one job; turns "aborted" into AbortError and a worker that cannot start into "unavailable". */
  private async job(job: Job, timeoutMs: number, signal: AbortSignal, onMessage: (message: WorkerMessage) => void): Promise<JobEnd> {
    const end = await runJobInWorker(job, { runtimeSource: this.options.runtimeSource, timeoutMs, signal, onMessage });
    if (end.kind === 'aborted') throw new AbortError();
    if (end.kind === 'failed' && end.boot) {
      this.setStatus({ state: 'unavailable', detail: end.message });
      throw new SandboxUnavailableError(end.message);
    }
    return end;
  }

  runTests(paths: string[], options: ExecOptions = {}): Promise<TestReport> {
    return this.serial(async () => {
      this.ensureUsable(options.signal);
      const started = performance.now();
      const runLimitMs = options.timeoutMs ?? this.options.runTimeoutMs;
      const deadline = started + runLimitMs;
      const perFile = options.perFileTimeoutMs ?? this.options.perFileTimeoutMs;
      const signal = this.signalFor(options);
      const project = this.preparer.prepare(this.files);
      const runs: FileRun[] = [];
      const unsupported: string[] = [];
      try {
        for (const file of paths) {
          this.setStatus({ state: 'busy', detail: `running ${file}` });
          const run = await this.testFile(project, file, { perFile, deadline, runLimitMs, signal, options, unsupported });
          if (run) runs.push(run);
        }
      } finally {
        this.setStatus({ state: 'ready' });
      }
      const tap = writeTap(runs);
      const report = parseTap(tap, {
        root: PROJECT_ROOT,
        files: runs.map((run) => run.file),
        durationMs: performance.now() - started,
        outputLimit: this.options.outputLimit,
      });
      if (runs.length === 0) report.output = '';
      if (unsupported.length > 0) report.unsupported = `${NEEDS_FULL_SANDBOX}: ${[...new Set(unsupported)].join('; ')}`;
      return report;
    });
  }

  private async testFile(
    project: PreparedProject,
    file: string,
    context: { perFile: number; deadline: number; runLimitMs: number; signal: AbortSignal; options: ExecOptions; unsupported: string[] },
  ): Promise<FileRun | null> {
    const started = performance.now();
    const remaining = Math.max(0, Math.floor(context.deadline - started));
    const timeoutMs = Math.min(context.perFile, remaining);
    if (!project.modules[file]) {
      const message = this.files.has(file) ? `Unknown file extension for ${absolutePath(file)}` : `Could not find '${absolutePath(file)}'`;
      return { file, messages: [], end: { kind: 'failed', message, boot: false }, durationMs: 0, timeoutMs };
    }
    const blockers = blockersOf(project, file);
    if (blockers.length > 0) {
      context.unsupported.push(`${file} was not run: it uses ${blockers.join(', ')}`);
      return null;
    }
    if (timeoutMs === 0) return { file, messages: [], end: { kind: 'timeout' }, durationMs: 0, timeoutMs: 0, runLimitMs: context.runLimitMs };
    const messages = new KeptMessages();
    const end = await this.job({ op: 'test', project, file }, timeoutMs, context.signal, (message) => {
      messages.push(message);
      if (message.type === 'output') context.options.onOutput?.(message.text);
      if (message.type === 'unsupported') context.unsupported.push(`${file} used ${message.reason}`);
    });
    return { file, messages: messages.list(), end, durationMs: performance.now() - started, timeoutMs };
  }

  runFile(path: string, args: string[], options: ExecOptions = {}): Promise<RunFileResult> {
    return this.serial(async () => {
      this.ensureUsable(options.signal);
      const project = this.preparer.prepare(this.files);
      if (!this.files.has(path)) {
        return { output: `Error: Cannot find module '${absolutePath(path)}'`, exitCode: 1, timedOut: false };
      }
      if (!isModulePath(path) || !project.modules[path]) {
        const extension = /\.[^./]*$/.exec(path)?.[0] ?? '';
        return { output: `TypeError [ERR_UNKNOWN_FILE_EXTENSION]: Unknown file extension "${extension}" for ${absolutePath(path)}`, exitCode: 1, timedOut: false };
      }
      const blockers = blockersOf(project, path);
      if (blockers.length > 0) {
        return { output: '', exitCode: null, timedOut: false, unsupported: `${NEEDS_FULL_SANDBOX}: ${path} uses ${blockers.join(', ')}` };
      }
      this.setStatus({ state: 'busy', detail: `running ${path}` });
      let output = '';
      const unsupported = new Set<string>();
      let end: JobEnd;
      try {
        end = await this.job({ op: 'run', project, file: path, args }, options.timeoutMs ?? this.options.runFileTimeoutMs, this.signalFor(options), (message) => {
          if (message.type === 'output') {
            output += message.text;
            options.onOutput?.(message.text);
          }
          if (message.type === 'unsupported') unsupported.add(message.reason);
        });
      } finally {
        this.setStatus({ state: 'ready' });
      }
      const limit = this.options.outputLimit;
      const result: RunFileResult =
        end.kind === 'done'
          ? { output: truncateOutput(output, limit), exitCode: end.exitCode, timedOut: false }
          : end.kind === 'timeout'
            ? { output: truncateOutput(`${output}\n[stopped at the time limit]`, limit), exitCode: null, timedOut: true }
            : { output: truncateOutput(`${output}\n${end.kind === 'failed' ? end.message : ''}`, limit), exitCode: 1, timedOut: false };
      if (unsupported.size > 0) result.unsupported = `${NEEDS_FULL_SANDBOX}: ${path} used ${[...unsupported].join(', ')}`;
      return result;
    });
  }

  async dispose(): Promise<void> {
    this.disposed.abort();
    this.setStatus({ state: 'disposed' });
    this.listeners.clear();
  }
}
