/**
 * How every runner performs one case of the sandbox contract (`tests/support/sandbox-contract.ts`): the
 * same calls in the same order, so the Node sandbox, the worker sandbox and the WebContainer adapter are
 * judged on equal terms. Browser-safe (no Node imports): a Playwright harness can import it into the page,
 * run a case's data there, and hand the plain result back to the Node side, where the case's `check` runs.
 */
import { findTestFiles } from '../../../src/sandbox/test-files.ts';
import type { FileChange, RunFileResult, Sandbox, SandboxKind, SyntaxReport, TestReport } from '../../../src/sandbox/types.ts';

export type ContractOp =
  /** `paths` omitted: the test files `findTestFiles` finds among the case's files (what the gate runs). */
  | { kind: 'runTests'; paths?: string[] }
  | { kind: 'runFile'; path: string; args?: string[] }
  | { kind: 'checkSyntax'; paths: string[] };

export type ContractResult =
  | { kind: 'runTests'; report: TestReport }
  | { kind: 'runFile'; result: RunFileResult }
  | { kind: 'checkSyntax'; report: SyntaxReport };

/** What the code of a case needs beyond pure modules (the worker sandbox reports these as unsupported). */
export type ContractNeed = 'fs' | 'packages' | 'process';

/** The JSON-safe part of a case: what a browser-side runner receives. */
export interface ContractCaseData {
  name: string;
  files: Record<string, string>;
  op: ContractOp;
  /** The whole operation's limit (`ExecOptions.timeoutMs`). Default 60 s. */
  timeoutMs?: number;
  /** Per test file (`ExecOptions.perFileTimeoutMs`). Default 10 s. */
  perFileTimeoutMs?: number;
  needs?: ContractNeed[];
}

export interface ContractContext {
  kind: SandboxKind;
}

export const DEFAULT_CONTRACT_TIMEOUT_MS = 60_000;
export const DEFAULT_CONTRACT_PER_FILE_TIMEOUT_MS = 10_000;

/** The sync of a case: every file, in a stable order. */
export function contractChanges(data: ContractCaseData): FileChange[] {
  return Object.keys(data.files)
    .sort()
    .map((path) => ({ path, content: data.files[path] ?? '' }));
}

/** Syncs the case's files into a fresh sandbox and performs its operation; returns the plain result. */
export async function runContractCase(
  sandbox: Sandbox,
  data: ContractCaseData,
  options: { onOutput?: (chunk: string) => void; signal?: AbortSignal } = {},
): Promise<ContractResult> {
  await sandbox.sync(contractChanges(data), { ...(options.signal ? { signal: options.signal } : {}) });
  const exec = {
    timeoutMs: data.timeoutMs ?? DEFAULT_CONTRACT_TIMEOUT_MS,
    perFileTimeoutMs: data.perFileTimeoutMs ?? DEFAULT_CONTRACT_PER_FILE_TIMEOUT_MS,
    ...(options.onOutput ? { onOutput: options.onOutput } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  };
  const op = data.op;
  switch (op.kind) {
    case 'runTests':
      return { kind: 'runTests', report: await sandbox.runTests(op.paths ?? findTestFiles(Object.keys(data.files)), exec) };
    case 'runFile':
      return { kind: 'runFile', result: await sandbox.runFile(op.path, op.args ?? [], exec) };
    case 'checkSyntax':
      return { kind: 'checkSyntax', report: await sandbox.checkSyntax(op.paths, exec) };
  }
}
