/**
 * One step of the prompt program (DESIGN.md §4 "Execute a step"): a fresh context, then turns until the
 * gate passes. Each turn: call the LLM with the step tools, run the reply's tool calls, append one tool
 * message per call and then exactly one control message, and commit.
 */
import { ContextLengthError } from '../errors.ts';
import type { UserMessage } from '../llm/types.ts';
import { rebuildContext } from './context-rebuild.ts';
import type { ControlMessageEvent } from './events.ts';
import { checkTurnGuard, noteReply, repeatTemperature } from './guards.ts';
import { restartStep } from './overflow.ts';
import { REPEAT_NUDGE, summaryRequest } from './prompts/shared.ts';
import type { RunContext } from './run-context.ts';
import { assistantCount, type ContextState, startStepContext } from './step-context.ts';
import { writeHandOffSummary } from './step-end.ts';
import { runReplyTools } from './turn.ts';

async function openContext(ctx: RunContext): Promise<ContextState> {
  if (ctx.checkpoint.contextStartSeq !== null) return rebuildContext(ctx);
  const planStep = ctx.plan[ctx.checkpoint.stepIndex];
  if (planStep) planStep.state = 'running';
  const state = startStepContext(ctx, null);
  await ctx.commitTurn(ctx.checkpoint.stepIndex + 1);
  return state;
}

export async function executeStep(ctx: RunContext): Promise<void> {
  const step = ctx.checkpoint.stepIndex + 1;
  let state = await openContext(ctx);
  if (ctx.checkpoint.awaitingSummary) return writeHandOffSummary(ctx, state);

  for (;;) {
    ctx.throwIfStopped();
    checkTurnGuard(ctx, step);
    const tools = ctx.stepToolSpecs;
    if (!ctx.fits(state.messages, tools)) {
      state = await restartStep(ctx, state);
      continue;
    }
    const turn = assistantCount(state.messages);
    let reply;
    try {
      const temperature = repeatTemperature(ctx);
      const result = await ctx.callLlm({
        kind: 'step',
        step,
        turn,
        restart: ctx.checkpoint.restart,
        messages: state.messages,
        tools,
        toolChoice: 'auto',
        ...(temperature !== undefined ? { temperature } : {}),
      });
      reply = result.message;
    } catch (error) {
      // Our count said it fits but the provider disagrees: the overflow path, with turns dropped.
      if (!(error instanceof ContextLengthError) || ctx.signal.aborted) throw error;
      state = await restartStep(ctx, state, true);
      continue;
    }
    state.messages.push(reply);
    ctx.checkpoint.stepTurns++;
    const nudge = noteReply(ctx, reply, step);
    const outcome = await runReplyTools(ctx, reply, { step, turn, tools: ctx.stepTools });
    state.messages.push(...outcome.toolMessages);

    const gatePassed = outcome.gate?.passed === true;
    let purpose: ControlMessageEvent['purpose'];
    let content: string;
    let note: string | null = null;
    if (gatePassed) {
      purpose = 'summary-request';
      content = summaryRequest(step);
    } else if (outcome.gate) {
      note = ctx.takeNote();
      purpose = 'fix';
      content = ctx.prompts.fix({ step, gateMessage: outcome.gate.message, note }) + (nudge ? `\n${REPEAT_NUDGE}` : '');
    } else {
      note = ctx.takeNote();
      purpose = 'continue';
      content = ctx.prompts.continueStep({ step, checksFailed: outcome.checksFailed, note, nudge });
    }
    const control: UserMessage = { role: 'user', content };
    state.messages.push(control);
    ctx.stage({ type: 'control-message', step, turn, purpose, content, ...(note ? { note } : {}) });

    const planStep = ctx.plan[ctx.checkpoint.stepIndex];
    if (planStep) planStep.turns = ctx.checkpoint.stepTurns;
    if (gatePassed) {
      ctx.checkpoint.awaitingSummary = true;
      if (planStep && outcome.gate?.testsNotRun) planStep.testsNotRun = true;
    }
    await ctx.commitTurn(step);
    if (gatePassed) return writeHandOffSummary(ctx, state);
  }
}
