/**
 * What a tool is and what it may use. Tools change only the workspace overlay and report through their
 * result; the turn loop turns results into tool messages and events.
 */
import type { JsonSchema } from '../../llm/types.ts';
import type { RunFileResult } from '../../sandbox/types.ts';
import type { CheckSummary } from '../events.ts';
import type { Limits } from '../run-state.ts';
import type { Workspace } from '../workspace.ts';

export type ToolName =
  | 'provide_detailed_sub_task_steps_for_sub_agents'
  | 'list_files'
  | 'view_files'
  | 'search_files'
  | 'write_files'
  | 'edit_file'
  | 'delete_files'
  | 'run_tests'
  | 'run_file'
  | 'sub_task_step_complete';

/** The result of a gate (`sub_task_step_complete`). */
export interface GateResult {
  passed: boolean;
  /** Plain words for the model: why it passed or each reason it failed. */
  message: string;
  /** The checks behind the verdict (absent for domains without code checks). */
  check: CheckSummary | null;
  /** Passed although the active sandbox could not run the tests ("Require passing tests" off). */
  testsNotRun: boolean;
}

/** The checks a tool can ask for; implemented per domain by `checks.ts` and `book-checks.ts`. */
export interface CheckRunner {
  /** After a write: the in-app syntax check of `paths` and the whole test suite; null when the domain has no checks. */
  afterWrite(paths: string[]): Promise<CheckSummary | null>;
  /** The step gate of DESIGN.md §4. */
  gate(): Promise<GateResult>;
  /** The named test files, or all of them. */
  runTests(paths?: string[]): Promise<CheckSummary>;
  runFile(path: string, args: string[]): Promise<RunFileResult>;
}

export interface ToolContext {
  workspace: Workspace;
  limits: Limits;
  checks: CheckRunner;
  signal: AbortSignal;
}

export interface ToolOutcome {
  status: 'ok' | 'error';
  /** The tool message content: a JSON string `{"status", "message", ...}` (DESIGN.md §5). */
  content: string;
  /** Checks that ran for this call (a `check` event is recorded for each). */
  check?: { trigger: 'write' | 'gate' | 'run_tests'; summary: CheckSummary };
  /** Set by the gate only. */
  gate?: GateResult;
}

export interface ToolDefinition<Args = Record<string, unknown>> {
  name: ToolName;
  description: string;
  parameters: JsonSchema;
  /** Receives arguments already checked against `parameters`. */
  run(args: Args, context: ToolContext): Promise<ToolOutcome>;
}
