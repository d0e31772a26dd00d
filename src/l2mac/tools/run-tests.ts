import { checkPath } from '../paths.ts';
import { existingPathsHint } from './common.ts';
import { checksObject, describeChecks, errorResult, okResult } from './result.ts';
import type { ToolDefinition } from './types.ts';

export const runTests: ToolDefinition<{ files_to_test?: string[] }> = {
  name: 'run_tests',
  description: "Run test files with Node's test runner: the named ones, or all of them when files_to_test is absent.",
  parameters: {
    type: 'object',
    properties: {
      files_to_test: { type: 'array', items: { type: 'string' }, description: 'Test files to run; all test files when absent.' },
    },
  },
  async run(args, context) {
    const files = args.files_to_test?.length ? args.files_to_test : undefined;
    if (files) {
      const invalid = files.map(checkPath).filter((c) => !c.ok);
      if (invalid.length) return errorResult(`Invalid path: ${invalid.map((c) => (c.ok ? '' : c.reason)).join('; ')}.`);
      const missing = files.filter((p) => !context.workspace.has(p));
      if (missing.length) return errorResult(`Not found: ${missing.join(', ')}. ${existingPathsHint(context.workspace)}`);
    }
    const summary = await context.checks.runTests(files);
    const verdict = summary.noTests ? '' : summary.ok ? ' The tests pass.' : ' The tests fail.';
    const outcome = okResult(`${describeChecks(summary)}${verdict}`, { checks: checksObject(summary) });
    return { ...outcome, check: { trigger: 'run_tests', summary } };
  },
};
