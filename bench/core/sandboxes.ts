/**
 * Sandboxes for the benchmarks. `InstantSandbox` answers at once with a passing report, so a run's time is
 * the control unit's own. `CountingSandbox` wraps any sandbox and counts what the control unit sends to it
 * (files and UTF-8 bytes per `sync`).
 */
import type { ExecOptions, FileChange, RunFileResult, Sandbox, SandboxKind, SandboxStatus, SyntaxReport, TestReport } from '../../src/sandbox/types.ts';

const encoder = new TextEncoder();

export function changeBytes(changes: readonly FileChange[]): number {
  return changes.reduce((n, c) => n + (c.content === null ? 0 : encoder.encode(c.content).length), 0);
}

/** A sandbox that keeps nothing and reports every test run as passed (one test per test file), at once. */
export class InstantSandbox implements Sandbox {
  readonly status: SandboxStatus;

  constructor(readonly kind: SandboxKind = 'node') {
    this.status = { kind, state: 'ready' };
  }

  onStatus(): () => void {
    return () => undefined;
  }

  async sync(): Promise<void> {}

  async checkSyntax(): Promise<SyntaxReport> {
    return { issues: [] };
  }

  async runTests(paths: string[]): Promise<TestReport> {
    return { passed: paths.length, failed: 0, skipped: 0, todo: 0, failures: [], timedOut: [], output: '', durationMs: 0 };
  }

  async runFile(): Promise<RunFileResult> {
    return { output: '', exitCode: 0, timedOut: false };
  }

  async dispose(): Promise<void> {}
}

export interface SyncRecord {
  files: number;
  deletes: number;
  bytes: number;
  paths: string[];
}

/** Delegates to `inner` and records every `sync` the control unit makes. */
export class CountingSandbox implements Sandbox {
  readonly syncs: SyncRecord[] = [];

  constructor(readonly inner: Sandbox) {}

  get kind(): SandboxKind {
    return this.inner.kind;
  }

  get status(): SandboxStatus {
    return this.inner.status;
  }

  onStatus(listener: (status: SandboxStatus) => void): () => void {
    return this.inner.onStatus(listener);
  }

  sync(changes: FileChange[], options?: ExecOptions): Promise<void> {
    this.syncs.push({
      files: changes.filter((c) => c.content !== null).length,
      deletes: changes.filter((c) => c.content === null).length,
      bytes: changeBytes(changes),
      paths: changes.map((c) => c.path),
    });
    return this.inner.sync(changes, options);
  }

  checkSyntax(paths: string[], options?: ExecOptions): Promise<SyntaxReport> {
    return this.inner.checkSyntax(paths, options);
  }

  runTests(paths: string[], options?: ExecOptions): Promise<TestReport> {
    return this.inner.runTests(paths, options);
  }

  runFile(path: string, args: string[], options?: ExecOptions): Promise<RunFileResult> {
    return this.inner.runFile(path, args, options);
  }

  dispose(): Promise<void> {
    return this.inner.dispose();
  }
}
