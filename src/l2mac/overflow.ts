/**
 * The context overflow path (DESIGN.md §4): when the next call would not fit (or the provider says it does
 * not), drop the oldest whole turns, ask for a progress summary with `tool_choice: "none"`, and restart the
 * step from its instruction plus that summary. The files keep all the work. The restart cap pauses.
 */
import type { UserMessage } from '../llm/types.ts';
import { progressRequest } from './prompts/shared.ts';
import type { RunContext } from './run-context.ts';
import { type ContextState, startStepContext } from './step-context.ts';
import { callTrimmed } from './step-end.ts';
import { RunStop } from './stop.ts';

/**
 * `refusedByProvider`: the provider said the request is too long although our count said it fits, so at
 * least one turn is dropped whatever the count says.
 */
export async function restartStep(ctx: RunContext, state: ContextState, refusedByProvider = false): Promise<ContextState> {
  const cp = ctx.checkpoint;
  const step = cp.stepIndex + 1;
  const used = cp.restart - cp.guardBase.restarts;
  if (used >= ctx.limits.restartsPerStep) {
    const detail =
      `Step ${step} filled the model's context ${used + 1} times (limit ${ctx.limits.restartsPerStep} restarts). ` +
      'Resume to allow more restarts, or edit the step into a smaller one and run it again.';
    throw new RunStop({ status: 'paused', pauseReason: 'guard', reason: detail }, [{ type: 'guard', guard: 'restarts-per-step', step, detail }], 'restarts-per-step');
  }
  const request: UserMessage = { role: 'user', content: progressRequest(step) };
  ctx.stage({ type: 'control-message', step, turn: cp.stepTurns, purpose: 'progress-request', content: request.content });
  const { result, droppedTurns } = await callTrimmed(ctx, state, { kind: 'progress', step, extra: [request], minDrop: refusedByProvider ? 1 : 0 });
  const summary = result.message.content?.trim() || '(The agent gave no progress summary; check the files to see what is done.)';
  cp.stepTurns++;
  cp.restart++;
  cp.repeatCount = 0;
  cp.lastReplyFingerprint = null;
  ctx.stage({ type: 'restart', step, restart: cp.restart, summary, droppedTurns });
  const planStep = ctx.plan[cp.stepIndex];
  if (planStep) planStep.restarts = cp.restart;
  const fresh = startStepContext(ctx, summary);
  await ctx.commitTurn(step);
  return fresh;
}
