/**
 * What each operation of the WebContainer adapter runs in the container (the command lines of
 * `node-scripts.ts`, with the helper scripts in a hidden folder of the working directory), and how the
 * process's result becomes the port's report.
 */
import { truncateOutput } from './output.ts';
import {
  needsFormatHooks,
  nodeScriptFiles,
  parseSyntaxCheckOutput,
  runFileCommand,
  syntaxCheckCommand,
  testCommand,
  type NodeCommand,
  type ScriptFile,
} from './node-scripts.ts';
import { parseTap } from './tap.ts';
import type { RunFileResult, SyntaxReport, TestReport } from './types.ts';
import type { WcInstance } from './webcontainer-api.ts';
import type { ServerPreview } from './webcontainer-preview.ts';
import type { ProcessResult } from './webcontainer-process.ts';
import { markUnfinishedFiles } from './webcontainer-report.ts';

const SCRIPT_DIR = '.l2mac';
/** Past this many files the syntax checker reads its list from a file (command lines have limits). */
const MAX_FILES_ON_COMMAND_LINE = 100;

export function emptyTestReport(): TestReport {
  return { passed: 0, failed: 0, skipped: 0, todo: 0, failures: [], timedOut: [], output: '', durationMs: 0 };
}

/** The syntax checker and the module-format hooks, mounted with the project's files. */
export function helperScripts(): ScriptFile[] {
  return nodeScriptFiles(SCRIPT_DIR);
}

/** Node's own check of these `.js/.mjs/.cjs` files in one process (a long list goes through a file). */
export async function syntaxCheckFor(instance: WcInstance, files: string[]): Promise<NodeCommand> {
  if (files.length <= MAX_FILES_ON_COMMAND_LINE) return syntaxCheckCommand(files, { scriptDir: SCRIPT_DIR });
  const filesFrom = `${SCRIPT_DIR}/syntax-files.json`;
  await instance.fs.writeFile(filesFrom, JSON.stringify(files.map((file) => `./${file}`)));
  return syntaxCheckCommand(files, { scriptDir: SCRIPT_DIR, filesFrom });
}

/** The checker's issues; when it printed no result (or ran out of time) it says so as `unsupported`. */
export function syntaxReportOf(result: ProcessResult): SyntaxReport {
  const issues = result.timedOut ? null : parseSyntaxCheckOutput(result.output);
  if (issues !== null) return { issues };
  const why = result.timedOut ? 'it did not finish in time' : `it printed no result:\n${truncateOutput(result.output, 2000)}`;
  return { issues: [], unsupported: `Node's own syntax check did not run (${why}); the in-app check still applies.` };
}

/** `node --test --test-reporter=tap --test-timeout=<perFile> <files>`, with the hooks when TS/JSX exists. */
export function testCommandFor(paths: string[], perFileTimeoutMs: number, projectPaths: string[]): NodeCommand {
  return testCommand(paths, perFileTimeoutMs, { scriptDir: SCRIPT_DIR, hooks: needsFormatHooks(projectPaths) });
}

/** The TAP, parsed; after a kill at the overall limit, the unfinished files are timed out and failed. */
export function testReportOf(result: ProcessResult, paths: string[], overallMs: number): TestReport {
  const report = parseTap(result.output, { files: paths, exitCode: result.exitCode, durationMs: result.durationMs });
  return result.timedOut ? markUnfinishedFiles(report, result.output, paths, overallMs) : report;
}

export function runFileCommandFor(path: string, args: string[], projectPaths: string[]): NodeCommand {
  return runFileCommand(path, args, { scriptDir: SCRIPT_DIR, hooks: needsFormatHooks(projectPaths) });
}

/** Output cut to the tool limit; a server left running for the preview is named. */
export function runFileResultOf(result: ProcessResult, preview: ServerPreview | null): RunFileResult {
  let output = result.output;
  if (result.detached && preview) output += `\n[A server is listening on port ${preview.port}; it keeps running for the preview.]`;
  const server = result.detached && preview ? { server: { port: preview.port, url: preview.url } } : {};
  return { output: truncateOutput(output), exitCode: result.exitCode, timedOut: result.timedOut, ...server };
}
