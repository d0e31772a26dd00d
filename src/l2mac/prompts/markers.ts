/**
 * Phrases the prompts always contain, so that a request alone tells what it is for. The mock server of the
 * tests derives a request's scenario key from them (`deriveRequestMeta` in `src/llm/scenario.ts`), which is
 * how it plays the same scenario files as the in-process scripted LLM. They are plain words useful to the
 * model too, not tags.
 */

/** In the first user message of every step context: "Step 2 of 5". */
export function stepHeader(step: number, total: number): string {
  return `Step ${step} of ${total}`;
}
export const STEP_HEADER_PATTERN = /\bStep (\d+) of (\d+)\b/;

/** In the first user message of a restarted step context: "Context restart 1". */
export function restartHeader(restart: number): string {
  return `Context restart ${restart}`;
}
export const RESTART_HEADER_PATTERN = /\bContext restart (\d+)\b/;

/** Starts the request for the hand-off summary after a completed step. */
export const SUMMARY_REQUEST_MARKER = 'Write the hand-off summary';
/** Starts the request for a progress summary before a context restart. */
export const PROGRESS_REQUEST_MARKER = 'Write a progress summary';
/** Starts the request for the model's assessment in the final report. */
export const REPORT_REQUEST_MARKER = 'Assess the finished work';

/** The planning tool; its presence in a request's tools marks a planning request. */
export const PLAN_TOOL_NAME = 'provide_detailed_sub_task_steps_for_sub_agents';
