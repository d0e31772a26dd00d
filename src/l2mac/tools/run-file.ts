import { checkPath } from '../paths.ts';
import { existingPathsHint } from './common.ts';
import { errorResult, okResult } from './result.ts';
import type { ToolDefinition } from './types.ts';

export const runFile: ToolDefinition<{ file_name_to_run: string; arguments?: string[] }> = {
  name: 'run_file',
  description: 'Run one file with Node (with optional command-line arguments); returns its output and exit code.',
  parameters: {
    type: 'object',
    properties: {
      file_name_to_run: { type: 'string' },
      arguments: { type: 'array', items: { type: 'string' }, description: 'Command-line arguments.' },
    },
    required: ['file_name_to_run'],
  },
  async run(args, context) {
    const path = args.file_name_to_run;
    const check = checkPath(path);
    if (!check.ok) return errorResult(`Invalid path: ${check.reason}.`);
    if (!context.workspace.has(path)) return errorResult(`Not found: ${path}. ${existingPathsHint(context.workspace)}`);
    const result = await context.checks.runFile(path, args.arguments ?? []);
    const details = { output: result.output, exit_code: result.exitCode, timed_out: result.timedOut };
    if (result.unsupported) return errorResult(`Not run: ${result.unsupported}`, details);
    if (result.timedOut) {
      return errorResult(`${path} was stopped at its time limit (${context.limits.runFileTimeoutMs / 1000} s).`, details);
    }
    if (result.server) {
      return okResult(
        `${path} started a server on port ${result.server.port}; it keeps running, and the app shows it in its Preview. Its output so far is below.`,
        { ...details, server_url: result.server.url },
      );
    }
    return result.exitCode === 0
      ? okResult(`${path} ran and exited with code 0.`, details)
      : errorResult(`${path} exited with code ${result.exitCode ?? 'unknown'}.`, details);
  },
};
