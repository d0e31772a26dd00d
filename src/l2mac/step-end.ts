/**
 * How a step ends: the hand-off summary after a passed gate (one call with `tool_choice: "none"`,
 * DESIGN.md §4), or a skip by the user; then the checkpoint moves to the next step.
 */
import { ContextLengthError } from '../errors.ts';
import type { CompletionResult } from '../llm/types.ts';
import { dropOldestTurns } from './context.ts';
import type { RunContext } from './run-context.ts';
import { assistantCount, type ContextState, contextTooSmall } from './step-context.ts';

/**
 * Calls the LLM on `state` with the oldest whole turns dropped as needed to fit (more when the provider
 * says the request is still too long); the last message is always kept.
 */
export async function callTrimmed(
  ctx: RunContext,
  state: ContextState,
  call: { kind: 'summary' | 'progress'; step: number; extra?: ContextState['messages']; minDrop?: number },
): Promise<{ result: CompletionResult; droppedTurns: number }> {
  const tools = ctx.stepToolSpecs;
  const extra = call.extra ?? [];
  let minDrop = call.minDrop ?? 0;
  for (;;) {
    const trimmed = dropOldestTurns(state.messages, state.fixedCount, (c) => ctx.fits([...c, ...extra], tools), minDrop);
    if (!trimmed) throw contextTooSmall(ctx, `the ${call.kind === 'summary' ? 'hand-off' : 'progress'} summary of step ${call.step}`);
    try {
      const result = await ctx.callLlm({
        kind: call.kind,
        step: call.step,
        turn: assistantCount(trimmed.messages),
        restart: ctx.checkpoint.restart,
        messages: [...trimmed.messages, ...extra],
        tools,
        toolChoice: 'none',
      });
      return { result, droppedTurns: trimmed.droppedTurns };
    } catch (error) {
      if (!(error instanceof ContextLengthError) || ctx.signal.aborted) throw error;
      minDrop = trimmed.droppedTurns + 1;
    }
  }
}

/** Marks the current step done and moves the checkpoint to the next one (or to verification). */
export function finishStep(ctx: RunContext, outcome: 'completed' | 'skipped', summary: string): void {
  const cp = ctx.checkpoint;
  const index = cp.stepIndex;
  const planStep = ctx.plan[index];
  if (planStep) {
    planStep.state = outcome;
    if (outcome === 'completed') planStep.summary = summary;
    planStep.turns = cp.stepTurns;
    planStep.restarts = cp.restart;
  }
  ctx.stage({ type: 'step-completed', step: index + 1, summary, testsNotRun: planStep?.testsNotRun ?? false, outcome });
  cp.stepIndex = index + 1;
  if (outcome === 'completed') cp.previousSummary = summary;
  cp.awaitingSummary = false;
  cp.contextStartSeq = null;
  cp.restart = 0;
  cp.stepTurns = 0;
  cp.repeatCount = 0;
  cp.lastReplyFingerprint = null;
  cp.guardBase = { ...cp.guardBase, turns: 0, restarts: 0 };
  if (cp.stepIndex >= ctx.plan.length) cp.phase = 'verifying';
}

export async function writeHandOffSummary(ctx: RunContext, state: ContextState): Promise<void> {
  const step = ctx.checkpoint.stepIndex + 1;
  const { result } = await callTrimmed(ctx, state, { kind: 'summary', step });
  const summary = result.message.content?.trim() || `Step ${step} is complete.`;
  finishStep(ctx, 'completed', summary);
  await ctx.commitTurn(step);
}
