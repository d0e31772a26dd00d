/**
 * Guards of DESIGN.md §4 that the step loop applies between turns: the turns-per-step cap and the
 * repeated-replies rule (vary the request: a higher temperature where the model accepts one, otherwise a
 * nudge in the control message).
 */
import type { AssistantMessage } from '../llm/types.ts';
import type { RunContext } from './run-context.ts';
import { RunStop } from './stop.ts';

export function checkTurnGuard(ctx: RunContext, step: number): void {
  const used = ctx.checkpoint.stepTurns - ctx.checkpoint.guardBase.turns;
  if (used < ctx.limits.turnsPerStep) return;
  const detail =
    `Step ${step} used ${used} turns without completing (limit ${ctx.limits.turnsPerStep}). ` +
    'Resume to give it more turns, skip the step, or edit it and run it again.';
  throw new RunStop({ status: 'paused', pauseReason: 'guard', reason: detail }, [{ type: 'guard', guard: 'turns-per-step', step, detail }], 'turns-per-step');
}

/** What identifies a reply for the repeat rule (tool call ids differ between identical replies). */
function fingerprint(reply: AssistantMessage): string {
  return JSON.stringify([reply.content ?? '', (reply.tool_calls ?? []).map((c) => [c.function?.name, c.function?.arguments])]);
}

/**
 * Records the reply for the repeat rule. Returns true when the next control message should carry a nudge
 * (the model takes no temperature, or is still repeating itself).
 */
export function noteReply(ctx: RunContext, reply: AssistantMessage, step: number): boolean {
  const print = fingerprint(reply);
  const cp = ctx.checkpoint;
  cp.repeatCount = cp.lastReplyFingerprint === print ? cp.repeatCount + 1 : 1;
  cp.lastReplyFingerprint = print;
  if (cp.repeatCount < ctx.limits.repeatedReplies) return false;
  // Once a raised temperature has not broken the loop, the words of the control message must.
  const nudge = !ctx.llm.model.supportsTemperature || cp.repeatCount > ctx.limits.repeatedReplies;
  const ways = [
    ...(ctx.llm.model.supportsTemperature ? [`raising the temperature to ${repeatTemperature(ctx)}`] : []),
    ...(nudge ? ['adding a nudge to the control message'] : []),
  ];
  ctx.stage({ type: 'guard', guard: 'repeated-replies', step, detail: `The model sent the same reply ${cp.repeatCount} times in a row; varying the request by ${ways.join(' and ')}.` });
  return nudge;
}

/** The temperature of the next request: undefined (the model's default) unless the model is repeating itself. */
export function repeatTemperature(ctx: RunContext): number | undefined {
  const over = ctx.checkpoint.repeatCount - ctx.limits.repeatedReplies + 1;
  if (over <= 0 || !ctx.llm.model.supportsTemperature) return undefined;
  return Math.min(1, 0.4 * over);
}
