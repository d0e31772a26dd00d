/**
 * Planning (DESIGN.md §4): the prompt program. With no existing files, one call forced to the plan tool;
 * with existing files, up to `planExploreTurns` replies with the read-only tools first. The plan is checked
 * against its schema and the step cap; an invalid one is shown back to the model (at most `planRetries`
 * times), then the run fails with a clear message. A user-supplied program skips all of this.
 */
import type { ToolCall, ToolChoice, UserMessage } from '../llm/types.ts';
import { dropOldestTurns } from './context.ts';
import { rebuildContext } from './context-rebuild.ts';
import type { ControlMessageEvent, PlanEvent } from './events.ts';
import { callForPlan } from './plan-tool-choice.ts';
import { PLAN_TOOL_NAME } from './prompts/markers.ts';
import { planExploreContinue, planRetry } from './prompts/shared.ts';
import type { RunContext } from './run-context.ts';
import { assistantCount, type ContextState, contextTooSmall, startPlanningContext } from './step-context.ts';
import { RunStop } from './stop.ts';
import { dispatchToolCall, parseArguments } from './tools/dispatch.ts';
import { planToolSpec, readOnlyTools, toolSpec } from './tools/registry.ts';
import { errorResult, okResult } from './tools/result.ts';
import type { ToolOutcome } from './tools/types.ts';
import { schemaProblem } from './tools/validate.ts';

export type PlanCheck = { ok: true; steps: string[] } | { ok: false; reason: string };

/** Checks a prompt program (from the model's arguments or from the user) against the plan schema and cap. */
export function checkPlanSteps(steps: unknown, maxSteps: number): PlanCheck {
  const problem = schemaProblem(planToolSpec(maxSteps).function.parameters, { steps }, 'the plan');
  if (problem) return { ok: false, reason: problem };
  const list = (steps as string[]).map((s) => s.trim());
  const empty = list.findIndex((s) => s === '');
  if (empty !== -1) return { ok: false, reason: `step ${empty + 1} is empty` };
  return { ok: true, steps: list };
}

export function parsePlanArguments(raw: string, maxSteps: number): PlanCheck {
  const parsed = parseArguments(raw);
  if (!parsed.ok) return { ok: false, reason: `the arguments are not valid JSON (${parsed.reason})` };
  const value = parsed.value;
  if (typeof value !== 'object' || value === null || Array.isArray(value) || !('steps' in value)) {
    return { ok: false, reason: 'the arguments must be an object with a "steps" list' };
  }
  return checkPlanSteps((value as { steps: unknown }).steps, maxSteps);
}

/** Puts the plan in place and points the checkpoint at its first step. */
export function adoptPlan(ctx: RunContext, steps: string[], source: PlanEvent['source']): void {
  ctx.plan = steps.map((instruction) => ({ instruction, state: 'pending' }));
  ctx.stage({ type: 'plan', steps, source });
  Object.assign(ctx.checkpoint, {
    phase: 'executing',
    stepIndex: 0,
    restart: 0,
    stepTurns: 0,
    contextStartSeq: null,
    awaitingSummary: false,
    repeatCount: 0,
    lastReplyFingerprint: null,
    invalidPlans: 0,
  });
}

async function enterExecution(ctx: RunContext, source: PlanEvent['source']): Promise<void> {
  if (source === 'model' && ctx.run.settings.planFirst) {
    await ctx.commitTurn(0);
    throw new RunStop({ status: 'paused', pauseReason: 'plan-review', reason: 'The plan is ready for review: approve it, or edit it and approve, to start.' });
  }
  ctx.stage({ type: 'status', status: 'running' });
  await ctx.commitTurn(0, { status: 'running' });
}

export async function planPhase(ctx: RunContext): Promise<void> {
  const program = ctx.run.settings.promptProgram;
  if (program?.length) {
    const check = checkPlanSteps(program, ctx.limits.maxSteps);
    if (!check.ok) throw new RunStop({ status: 'failed', reason: `The supplied prompt program is not valid: ${check.reason}.` });
    adoptPlan(ctx, check.steps, 'user');
    return enterExecution(ctx, 'user');
  }

  let state: ContextState;
  if (ctx.checkpoint.contextStartSeq === null) {
    state = startPlanningContext(ctx);
    await ctx.commitTurn(0);
  } else state = await rebuildContext(ctx);
  const explore = ctx.existingCode || ctx.workspace.size > 0;
  const planSpec = planToolSpec(ctx.limits.maxSteps);

  for (;;) {
    ctx.throwIfStopped();
    const exploring = explore && ctx.checkpoint.stepTurns < ctx.limits.planExploreTurns;
    const tools = exploring ? [...readOnlyTools().map(toolSpec), planSpec] : [planSpec];
    const toolChoice: ToolChoice = exploring ? 'auto' : { type: 'function', function: { name: PLAN_TOOL_NAME } };
    const trimmed = dropOldestTurns(state.messages, state.fixedCount, (c) => ctx.fits(c, tools));
    if (!trimmed) throw contextTooSmall(ctx, 'the planning request');
    const turn = assistantCount(trimmed.messages);
    const request = { kind: 'plan', step: 0, turn, restart: 0, messages: trimmed.messages, tools } as const;
    const { message: reply } = exploring ? await ctx.callLlm({ ...request, toolChoice }) : await callForPlan(ctx, request, toolChoice);
    state.messages.push(reply);
    ctx.checkpoint.stepTurns++;

    const calls: ToolCall[] = reply.tool_calls ?? [];
    const planCall = calls.find((c) => c.function?.name === PLAN_TOOL_NAME);
    const verdict: PlanCheck | null = planCall
      ? parsePlanArguments(planCall.function.arguments, ctx.limits.maxSteps)
      : exploring
        ? null
        : { ok: false, reason: `the reply did not call ${PLAN_TOOL_NAME}` };

    for (const call of calls) {
      let outcome: ToolOutcome;
      if (call === planCall) {
        outcome = verdict?.ok ? okResult(`The plan has ${verdict.steps.length} steps.`) : errorResult(`Invalid plan: ${verdict?.ok === false ? verdict.reason : ''}.`);
      } else if (verdict?.ok) {
        outcome = errorResult('Not run: planning ended with this reply.');
      } else if (!exploring) {
        outcome = errorResult(`Not run: only ${PLAN_TOOL_NAME} can be called now.`);
      } else {
        outcome = await dispatchToolCall(call, readOnlyTools(), { workspace: ctx.workspace, limits: ctx.limits, checks: ctx.checks, signal: ctx.signal });
      }
      ctx.stage({ type: 'tool-call', step: 0, turn, callId: call.id, name: call.function?.name ?? '', arguments: call.function?.arguments ?? '' });
      ctx.stage({ type: 'tool-result', step: 0, turn, callId: call.id, name: call.function?.name ?? '', status: outcome.status, content: outcome.content });
      state.messages.push({ role: 'tool', tool_call_id: call.id, content: outcome.content });
    }

    if (verdict?.ok) {
      adoptPlan(ctx, verdict.steps, 'model');
      return enterExecution(ctx, 'model');
    }
    let purpose: ControlMessageEvent['purpose'] = 'continue';
    let content = planExploreContinue(ctx.limits.planExploreTurns - ctx.checkpoint.stepTurns);
    if (verdict && !verdict.ok) {
      ctx.checkpoint.invalidPlans++;
      if (ctx.checkpoint.invalidPlans > ctx.limits.planRetries) {
        await ctx.commitTurn(0);
        throw new RunStop({
          status: 'failed',
          reason: `The model gave no valid plan in ${ctx.checkpoint.invalidPlans} attempts (the last problem: ${verdict.reason}). Try again, another model, or write the steps yourself.`,
        });
      }
      purpose = 'plan-retry';
      content = planRetry(verdict.reason, ctx.limits.maxSteps);
    }
    const control: UserMessage = { role: 'user', content };
    state.messages.push(control);
    ctx.stage({ type: 'control-message', step: 0, turn, purpose, content });
    await ctx.commitTurn(0);
  }
}
