/**
 * `npm install` inside the WebContainer, only when the dependencies of `package.json` changed since the
 * last install that succeeded (DESIGN.md §7). Its output streams live; a failure, a time-out or a hang ends
 * in a clear result, never in a silent pass or a wait without end.
 */
import type { WcInstance } from './webcontainer-api.ts';
import { runProcess, type ProcessResult } from './webcontainer-process.ts';

export const DEFAULT_INSTALL_TIMEOUT_MS = 180_000;
/** Flags that keep the output readable in a log (no progress bars) and off the network's side roads. */
export const INSTALL_ARGS = ['install', '--no-audit', '--no-fund', '--no-progress'];

export type InstallOutcome =
  | { kind: 'not-needed' }
  | { kind: 'installed'; result: ProcessResult }
  | { kind: 'failed'; message: string; result: ProcessResult };

export interface InstallOptions {
  timeoutMs: number;
  killGraceMs: number;
  signal?: AbortSignal;
  onOutput?: (chunk: string) => void;
}

/** Runs `npm install` when `fingerprint` differs from `installed` (both from `dependencyFingerprint`). */
export async function installWhenChanged(
  instance: WcInstance,
  fingerprint: string | null,
  installed: string | null,
  options: InstallOptions,
): Promise<InstallOutcome> {
  if (fingerprint === null || fingerprint === installed) return { kind: 'not-needed' };
  options.onOutput?.(`$ npm ${INSTALL_ARGS.join(' ')}\r\n`);
  const processOptions: Parameters<typeof runProcess>[3] = { timeoutMs: options.timeoutMs, killGraceMs: options.killGraceMs };
  if (options.signal) processOptions.signal = options.signal;
  if (options.onOutput) processOptions.onOutput = options.onOutput;
  const result = await runProcess(instance, 'npm', INSTALL_ARGS, processOptions);
  if (result.cancelled) return { kind: 'failed', message: 'npm install was cancelled.', result };
  if (result.timedOut) {
    const seconds = Math.round(options.timeoutMs / 1000);
    return { kind: 'failed', message: `npm install did not finish within ${seconds} s and was stopped.`, result };
  }
  if (result.exitCode !== 0) {
    return {
      kind: 'failed',
      message: `npm install failed (exit code ${result.exitCode}): the dependencies in package.json could not be installed.`,
      result,
    };
  }
  return { kind: 'installed', result };
}
