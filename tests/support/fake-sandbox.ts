/**
 * A sandbox for control-unit tests that need a sandbox's answers rather than real execution: it keeps the
 * synced files and answers `runTests` from a function of them. Used to inject what real Node cannot be
 * made to do on demand (a sandbox that cannot run the tests, is unavailable, or hangs until aborted).
 */
import { AbortError } from '../../src/errors.ts';
import type { ExecOptions, FileChange, RunFileResult, Sandbox, SandboxKind, SandboxStatus, SyntaxReport, TestReport } from '../../src/sandbox/types.ts';

export type TestAnswer = (files: ReadonlyMap<string, string>, paths: string[], options?: ExecOptions) => Partial<TestReport> | Promise<Partial<TestReport>>;

export function report(overrides: Partial<TestReport> = {}): TestReport {
  return { passed: 1, failed: 0, skipped: 0, todo: 0, failures: [], timedOut: [], output: '', durationMs: 1, ...overrides };
}

export class FakeSandbox implements Sandbox {
  readonly files = new Map<string, string>();
  readonly syncs: FileChange[][] = [];
  readonly testRuns: string[][] = [];
  /** Every runFile call with the options the control unit gave it. */
  readonly fileRuns: { path: string; args: string[]; options: ExecOptions | undefined }[] = [];
  disposed = false;
  status: SandboxStatus;

  constructor(
    private readonly answer: TestAnswer = () => ({}),
    readonly kind: SandboxKind = 'node',
  ) {
    this.status = { kind, state: 'ready' };
  }

  onStatus(): () => void {
    return () => undefined;
  }

  async sync(changes: FileChange[]): Promise<void> {
    this.syncs.push(changes);
    for (const change of changes) {
      if (change.content === null) this.files.delete(change.path);
      else this.files.set(change.path, change.content);
    }
  }

  async checkSyntax(): Promise<SyntaxReport> {
    return { issues: [] };
  }

  async runTests(paths: string[], options?: ExecOptions): Promise<TestReport> {
    if (options?.signal?.aborted) throw new AbortError();
    this.testRuns.push(paths);
    return report(await this.answer(this.files, paths, options));
  }

  async runFile(path: string, args: string[], options?: ExecOptions): Promise<RunFileResult> {
    this.fileRuns.push({ path, args, options });
    return { output: '', exitCode: 0, timedOut: false };
  }

  async dispose(): Promise<void> {
    this.disposed = true;
  }
}

/** Resolves when the signal aborts, then rejects like an aborted process: a sandbox call that hangs. */
export function hangUntilAborted(options?: ExecOptions): Promise<never> {
  return new Promise((_, reject) => {
    if (options?.signal?.aborted) reject(new AbortError());
    options?.signal?.addEventListener('abort', () => reject(new AbortError()), { once: true });
  });
}
