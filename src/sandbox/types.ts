/**
 * The execution port (DESIGN.md §3, §7). Implementations: the WebContainer adapter (`webcontainer.ts`), the
 * worker sandbox (`worker-sandbox.ts`), and, for tests and benchmarks, the Node sandbox of
 * `tests/support/`. One contract suite (`tests/support/sandbox-contract.ts`) runs against each of them.
 */

export type SandboxKind = 'webcontainer' | 'worker' | 'node';

/** The user's choice of sandbox (DESIGN.md §7). */
export type SandboxChoice = 'auto' | 'worker' | 'webcontainer';

export type SandboxState = 'idle' | 'booting' | 'ready' | 'busy' | 'unavailable' | 'disposed';

export interface SandboxStatus {
  kind: SandboxKind;
  state: SandboxState;
  /** Why it is unavailable, or what it is doing (e.g. "npm install"). Plain text. */
  detail?: string;
}

/** One change to the project's files. `content: null` deletes the path. */
export interface FileChange {
  path: string;
  content: string | null;
}

export interface ExecOptions {
  signal?: AbortSignal;
  /** Hard limit for the whole operation. */
  timeoutMs?: number;
  /** Limit per test file (`--test-timeout`). */
  perFileTimeoutMs?: number;
  /** Live output for the UI (transient; the report carries the kept part). */
  onOutput?: (chunk: string) => void;
}

export interface SyntaxIssue {
  file: string;
  /** 1-based. */
  line?: number;
  /** 1-based, in UTF-16 code units (as editors and Node's stack traces count). */
  column?: number;
  /** The bare reason; `formatSyntaxIssue` (syntax.ts) gives `file:line:column: message`. */
  message: string;
}

export interface SyntaxReport {
  issues: SyntaxIssue[];
  /** Set when this sandbox cannot check with its own runtime; the in-app check still applies. */
  unsupported?: string;
}

export interface TestFailure {
  /** The full name of the failing test, parents joined with " > ". */
  name: string;
  file: string;
  message: string;
  /** `file:line:column` when the runner reported one. */
  location?: string;
}

export interface TestReport {
  passed: number;
  failed: number;
  skipped: number;
  todo: number;
  failures: TestFailure[];
  /** Test files (or tests) stopped at their time limit. A timed-out file counts as failed. */
  timedOut: string[];
  /**
   * Set when this sandbox cannot run these tests at all (the worker meeting `fs`, a bare package import,
   * ...): the text says why and that they need the full sandbox. DESIGN.md §4 "Require passing tests".
   */
  unsupported?: string;
  /** Runner output, already cut to the tool output limit, keeping failing names and the summary. */
  output: string;
  durationMs: number;
}

export interface RunFileResult {
  output: string;
  exitCode: number | null;
  timedOut: boolean;
  /** Set when this sandbox cannot run the file (see `TestReport.unsupported`). */
  unsupported?: string;
  /** The program started a server that keeps running for the preview (`exitCode` is then null). */
  server?: { port: number; url: string };
}

export interface Sandbox {
  readonly kind: SandboxKind;
  readonly status: SandboxStatus;
  /** Listen to status changes; returns an unsubscribe function. */
  onStatus(listener: (status: SandboxStatus) => void): () => void;
  /** Bring the sandbox's copy of the files up to date. The first call carries every file. */
  sync(changes: FileChange[], options?: ExecOptions): Promise<void>;
  /** Check `.js/.mjs/.cjs` files with the sandbox's own runtime (Node is the final judge). */
  checkSyntax(paths: string[], options?: ExecOptions): Promise<SyntaxReport>;
  /** Run the given test files (found in-app with `findTestFiles`). */
  runTests(paths: string[], options?: ExecOptions): Promise<TestReport>;
  runFile(path: string, args: string[], options?: ExecOptions): Promise<RunFileResult>;
  dispose(): Promise<void>;
}

/** Makes a sandbox on demand; lets the control unit and the UI stay ignorant of implementations. */
export type SandboxFactory = () => Promise<Sandbox>;
