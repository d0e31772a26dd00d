/**
 * The Node sandbox (DESIGN.md §7): real Node in a temporary folder, for unit tests and benchmarks. It runs
 * exactly the commands of `src/sandbox/node-scripts.ts`, as the WebContainer adapter does, so the contract
 * suite exercises the same command lines and parsers against a real Node.
 *
 * Layout: `<tmp>/project` holds the project's files; `<tmp>/scripts` holds our scripts, outside the project
 * so no project path can overwrite them. This is a test tool, not a security boundary: generated code runs
 * with the test process's rights (only our own paths are confined to the folder).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import { AbortError, SandboxUnavailableError } from '../../src/errors.ts';
import { DEFAULT_LIMITS } from '../../src/l2mac/run-state.ts';
import { needsFormatHooks, nodeScriptFiles, parseSyntaxCheckOutput, runFileCommand, syntaxCheckCommand, testCommand } from '../../src/sandbox/node-scripts.ts';
import { OUTPUT_LIMIT, truncateOutput } from '../../src/sandbox/output.ts';
import { needsStripping, stripTypes } from '../../src/sandbox/strip.ts';
import { checkSyntaxInApp } from '../../src/sandbox/syntax.ts';
import { parseTap } from '../../src/sandbox/tap.ts';
import type { ExecOptions, FileChange, RunFileResult, Sandbox, SandboxFactory, SandboxStatus, SyntaxReport, TestReport } from '../../src/sandbox/types.ts';

/** Output kept in memory per process: the first part and a rolling last part (a test may print gigabytes). */
const KEEP_HEAD = 8 * 1024 * 1024;
const KEEP_TAIL = 24 * 1024 * 1024;
/** Above this many files the syntax checker reads its list from a file rather than the command line. */
const MAX_LISTED_FILES = 200;

export interface NodeSandboxOptions {
  perFileTimeoutMs?: number;
  runTimeoutMs?: number;
  runFileTimeoutMs?: number;
  outputLimit?: number;
}

interface ProcessResult {
  output: string;
  exitCode: number | null;
  timedOut: boolean;
  durationMs: number;
}

/** Keeps the beginning and the end of a long stream and counts what it dropped in between. */
class OutputBuffer {
  private head = '';
  private tail: string[] = [];
  private tailLength = 0;
  private dropped = 0;

  push(chunk: string): void {
    if (this.head.length < KEEP_HEAD) {
      const room = KEEP_HEAD - this.head.length;
      this.head += chunk.slice(0, room);
      chunk = chunk.slice(room);
    }
    if (chunk === '') return;
    this.tail.push(chunk);
    this.tailLength += chunk.length;
    while (this.tailLength > KEEP_TAIL && this.tail.length > 1) {
      const first = this.tail.shift() ?? '';
      this.tailLength -= first.length;
      this.dropped += first.length;
    }
  }

  text(): string {
    const middle = this.dropped > 0 ? `\n… [${this.dropped} characters dropped] …\n` : '';
    return this.head + middle + this.tail.join('');
  }
}

/** A project path as DESIGN.md §5 allows it; anything else is a bug upstream, so it throws. */
function assertProjectPath(path: string): void {
  const bad =
    path === '' ||
    path.length > 256 ||
    path.startsWith('/') ||
    path.includes('\\') ||
    /[\u0000-\u001f]/.test(path) ||
    path.split('/').some((segment) => segment === '' || segment === '.' || segment === '..');
  if (bad) throw new Error(`NodeSandbox: refused path ${JSON.stringify(path)}`);
}

export class NodeSandbox implements Sandbox {
  readonly kind = 'node' as const;
  private state: SandboxStatus = { kind: 'node', state: 'ready' };
  private readonly listeners = new Set<(status: SandboxStatus) => void>();
  private readonly files = new Set<string>();
  private readonly running = new Set<ChildProcess>();
  private busy = 0;

  private constructor(
    /** The temporary folder; `root` (the project) and the scripts live in it. */
    readonly base: string,
    readonly root: string,
    private readonly scriptDir: string,
    private readonly options: NodeSandboxOptions,
  ) {}

  static async create(options: NodeSandboxOptions = {}): Promise<NodeSandbox> {
    const base = await realpath(await mkdtemp(join(tmpdir(), 'l2mac-node-sandbox-')));
    const root = join(base, 'project');
    const scriptDir = join(base, 'scripts');
    await mkdir(root);
    await mkdir(scriptDir);
    for (const file of nodeScriptFiles(scriptDir)) await writeFile(file.path, file.content);
    return new NodeSandbox(base, root, scriptDir, options);
  }

  get status(): SandboxStatus {
    return this.state;
  }

  onStatus(listener: (status: SandboxStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private setStatus(status: SandboxStatus): void {
    this.state = status;
    for (const listener of this.listeners) listener(status);
  }

  private isDisposed(): boolean {
    return this.state.state === 'disposed';
  }

  /** Marks the sandbox busy while `work` runs (nested calls keep it busy until the last one ends). */
  private async working<T>(detail: string, work: () => Promise<T>): Promise<T> {
    if (this.isDisposed()) throw new SandboxUnavailableError('The Node sandbox was disposed.');
    this.busy++;
    this.setStatus({ kind: 'node', state: 'busy', detail });
    try {
      return await work();
    } finally {
      this.busy--;
      if (this.busy === 0 && !this.isDisposed()) this.setStatus({ kind: 'node', state: 'ready' });
    }
  }

  /** The absolute path of a project path, refusing anything that would leave the project folder. */
  private async resolveInside(path: string): Promise<string> {
    assertProjectPath(path);
    const target = resolve(this.root, path);
    if (!target.startsWith(this.root + sep)) throw new Error(`NodeSandbox: ${path} leaves the project`);
    // Generated code may have made a directory a symlink while it ran: check where the parent really is.
    const parent = dirname(target);
    await mkdir(parent, { recursive: true });
    const realParent = await realpath(parent);
    if (realParent !== this.root && !realParent.startsWith(this.root + sep)) {
      throw new Error(`NodeSandbox: ${path} leaves the project through a link`);
    }
    return target;
  }

  async sync(changes: FileChange[], options: ExecOptions = {}): Promise<void> {
    await this.working('sync', async () => {
      for (const change of changes) {
        if (options.signal?.aborted) throw new AbortError();
        const target = await this.resolveInside(change.path);
        if (change.content === null) {
          await rm(target, { force: true });
          this.files.delete(change.path);
          continue;
        }
        // Stripped only when the in-app check passes; otherwise Node meets the broken source and says so.
        const content =
          needsStripping(change.path) && checkSyntaxInApp(change.path, change.content).length === 0
            ? stripTypes(change.path, change.content)
            : change.content;
        await writeFile(target, content);
        this.files.add(change.path);
      }
    });
  }

  async checkSyntax(paths: string[], options: ExecOptions = {}): Promise<SyntaxReport> {
    const files = paths.filter((path) => /\.[cm]?js$/.test(path));
    files.forEach(assertProjectPath);
    if (files.length === 0) return { issues: [] };
    return this.working('syntax check', async () => {
      let filesFrom: string | undefined;
      if (files.length > MAX_LISTED_FILES) {
        filesFrom = join(this.scriptDir, 'syntax-files.json');
        await writeFile(filesFrom, JSON.stringify(files));
      }
      const command = syntaxCheckCommand(files, filesFrom ? { scriptDir: this.scriptDir, filesFrom } : { scriptDir: this.scriptDir });
      const result = await this.spawnNode(command.args, options.timeoutMs ?? DEFAULT_LIMITS.testTimeoutPerRunMs, options);
      const issues = parseSyntaxCheckOutput(result.output);
      if (issues === null) {
        return { issues: [], unsupported: `Node's syntax check did not run: ${truncateOutput(result.output.trim(), 500) || `exit code ${result.exitCode}`}` };
      }
      return { issues };
    });
  }

  async runTests(paths: string[], options: ExecOptions = {}): Promise<TestReport> {
    paths.forEach(assertProjectPath);
    if (paths.length === 0) {
      return { passed: 0, failed: 0, skipped: 0, todo: 0, failures: [], timedOut: [], output: '', durationMs: 0 };
    }
    return this.working('node --test', async () => {
      const perFile = options.perFileTimeoutMs ?? this.options.perFileTimeoutMs ?? DEFAULT_LIMITS.testTimeoutPerFileMs;
      const overall = options.timeoutMs ?? this.options.runTimeoutMs ?? DEFAULT_LIMITS.testTimeoutPerRunMs;
      const command = testCommand(paths, perFile, { scriptDir: this.scriptDir, hooks: needsFormatHooks(this.files) });
      const result = await this.spawnNode(command.args, overall, options);
      const limit = this.options.outputLimit ?? OUTPUT_LIMIT;
      const report = parseTap(result.output, { root: this.root, files: paths, exitCode: result.timedOut ? null : result.exitCode, durationMs: result.durationMs, outputLimit: limit });
      if (result.timedOut) {
        report.failed++;
        report.failures.push({
          name: 'node --test',
          file: '',
          message: `The whole test run was stopped at its time limit of ${overall} ms; tests that had not reported are lost.`,
        });
        report.timedOut.push('node --test');
      }
      return report;
    });
  }

  async runFile(path: string, args: string[], options: ExecOptions = {}): Promise<RunFileResult> {
    assertProjectPath(path);
    return this.working(`node ${path}`, async () => {
      const command = runFileCommand(path, args, { scriptDir: this.scriptDir, hooks: needsFormatHooks(this.files) });
      const timeout = options.timeoutMs ?? this.options.runFileTimeoutMs ?? DEFAULT_LIMITS.runFileTimeoutMs;
      const result = await this.spawnNode(command.args, timeout, options);
      return {
        output: truncateOutput(result.output, this.options.outputLimit ?? OUTPUT_LIMIT),
        exitCode: result.timedOut ? null : result.exitCode,
        timedOut: result.timedOut,
      };
    });
  }

  /**
   * Runs Node in the project folder in its own process group, so a timeout or an abort kills the runner and
   * every test process under it (SIGKILL: a busy loop ignores anything gentler).
   */
  private spawnNode(args: string[], timeoutMs: number, options: ExecOptions): Promise<ProcessResult> {
    if (options.signal?.aborted) return Promise.reject(new AbortError());
    const started = performance.now();
    return new Promise<ProcessResult>((resolvePromise, reject) => {
      const child = spawn(process.execPath, args, {
        cwd: this.root,
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { PATH: process.env.PATH ?? '', HOME: this.base, TMPDIR: this.base, NO_COLOR: '1', LANG: 'C.UTF-8' },
      });
      this.running.add(child);
      const output = new OutputBuffer();
      let timedOut = false;
      let aborted = false;
      const killGroup = () => {
        try {
          if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      };
      const timer = setTimeout(() => {
        timedOut = true;
        killGroup();
      }, timeoutMs);
      const onAbort = () => {
        aborted = true;
        killGroup();
      };
      options.signal?.addEventListener('abort', onAbort, { once: true });
      const take = (chunk: string) => {
        output.push(chunk);
        options.onOutput?.(chunk);
      };
      child.stdout?.setEncoding('utf8').on('data', take);
      child.stderr?.setEncoding('utf8').on('data', take);
      child.on('error', (error) => take(`${error.message}\n`));
      let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
      let finished = false;
      const finish = () => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        this.running.delete(child);
        if (aborted) {
          reject(new AbortError());
          return;
        }
        const exitCode = exit?.code ?? (exit?.signal ? null : 0);
        resolvePromise({ output: output.text(), exitCode, timedOut, durationMs: Math.round(performance.now() - started) });
      };
      child.on('exit', (code, signal) => {
        exit = { code, signal };
        clearTimeout(timer);
        // Test processes may outlive the runner; never leave them behind.
        killGroup();
        // A process that left its group may still hold our pipes: stop waiting for them after a moment.
        setTimeout(() => {
          child.stdout?.destroy();
          child.stderr?.destroy();
          finish();
        }, 1000).unref();
      });
      child.on('close', finish);
    });
  }

  async dispose(): Promise<void> {
    if (this.isDisposed()) return;
    for (const child of this.running) {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    this.setStatus({ kind: 'node', state: 'disposed' });
    await rm(this.base, { recursive: true, force: true });
  }
}

export const createNodeSandbox: SandboxFactory = () => NodeSandbox.create();
