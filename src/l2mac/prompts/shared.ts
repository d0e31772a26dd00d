/** Prompts both domains share: control messages and the summary requests. */
import type { SandboxKind } from '../../sandbox/types.ts';
import { PLAN_TOOL_NAME, PROGRESS_REQUEST_MARKER, restartHeader, stepHeader, SUMMARY_REQUEST_MARKER } from './markers.ts';
import type { ContinueInput, StepStartInput } from './types.ts';

/** Wraps user-supplied text in tags so that it reads as data, verbatim. */
export function tagged(tag: string, text: string): string {
  return `<${tag}>\n${text}\n</${tag}>`;
}

export function noteBlock(note: string | null): string {
  return note ? `\n\nA note from the user for you:\n${tagged('note', note)}` : '';
}

/** The first line of every step context: the marker phrases the mock server keys on. */
/** What a step starts from in either domain: the previous step's summary, and its own progress after a restart. */
export function handOff(input: Pick<StepStartInput, 'previousSummary' | 'progressSummary'>): { previous: string; progress: string } {
  const previous = input.previousSummary ? tagged('previous_step_summary', input.previousSummary) : '(This is the first step.)';
  const progress = input.progressSummary
    ? `\n\nThis step was restarted because the conversation grew too long. Your progress before the restart:\n${tagged('progress', input.progressSummary)}`
    : '';
  return { previous, progress };
}

export function stepHeading(step: number, totalSteps: number, restart: number): string {
  return restart > 0 ? `${stepHeader(step, totalSteps)}. ${restartHeader(restart)}.` : `${stepHeader(step, totalSteps)}.`;
}

export function sandboxDescription(kind: SandboxKind | null): string {
  switch (kind) {
    case 'node':
      return 'Code runs in the Node sandbox: Node.js 20 in a folder of its own.';
    case 'webcontainer':
      return (
        'Code runs in a WebContainer: Node.js 20 inside the browser. Packages listed in package.json are installed with npm, ' +
        "but prefer Node's standard library; native add-ons do not work."
      );
    case 'worker':
      return (
        'Code runs in the worker sandbox, a restricted runner inside the browser. Write pure ES modules: no `fs` or other file access, ' +
        'no network, no child processes and no npm packages. Only relative imports between the project\'s files, `node:test` and ' +
        '`node:assert` are available. Put logic in functions that take and return values, so that tests can call them directly.'
      );
    case null:
      return 'No sandbox is active: files are syntax-checked, but no code or test can run.';
  }
}

/** Added to a control message when the model keeps sending the same reply (DESIGN.md §4 guards). */
export const REPEAT_NUDGE = 'You have sent the same reply several times in a row. It is not working: take a different approach.';

export function continueMessage(input: ContinueInput): string {
  const lines = [`Is step ${input.step} complete? If every part of it is done and its checks pass, call sub_task_step_complete.`];
  lines.push('If not, continue with the tools: view what you need, then write or fix the files.');
  if (input.checksFailed) lines.push('The checks after your last change failed (see the tool result above); fix that first.');
  if (input.nudge) {
    lines.push(REPEAT_NUDGE);
  }
  return lines.join('\n') + noteBlock(input.note);
}

export function summaryRequest(step: number): string {
  return (
    `${SUMMARY_REQUEST_MARKER} of step ${step}: in one to three sentences, say what this step built or changed ` +
    '(files, functions, decisions) that the agent of the next step needs to know. It starts with a fresh context and sees ' +
    'only the files, the task and your summary. Reply with text only.'
  );
}

export function progressRequest(step: number): string {
  return (
    `${PROGRESS_REQUEST_MARKER}: the conversation no longer fits the model's context, so step ${step} restarts in a fresh one. ` +
    'In at most three sentences, say what is done and what remains to do for this step. Every file you wrote is kept. ' +
    'Reply with text only.'
  );
}

export function planRetry(problem: string, maxSteps: number): string {
  return (
    `That plan could not be used: ${problem}. Call ${PLAN_TOOL_NAME} again with {"steps": [...]}: ` +
    `between 1 and ${maxSteps} steps, each a non-empty string.`
  );
}

export function planExploreContinue(remaining: number): string {
  return remaining > 0
    ? `You may look at up to ${remaining} more time${remaining === 1 ? '' : 's'} with list_files, view_files or search_files; when you know enough, call ${PLAN_TOOL_NAME}.`
    : `Now call ${PLAN_TOOL_NAME} with the plan.`;
}
