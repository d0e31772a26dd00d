/**
 * The tool calls of one reply (DESIGN.md §4): run in order, with `sub_task_step_complete` evaluated after
 * the others (so writes in the same reply count); at most `toolCallsPerReply` run, later ones get error
 * results; one tool message per call, ids matched, in the order of the calls.
 */
import type { AssistantMessage, ToolCall, ToolMessage } from '../llm/types.ts';
import type { RunContext } from './run-context.ts';
import { dispatchToolCall } from './tools/dispatch.ts';
import { errorResult } from './tools/result.ts';
import type { GateResult, ToolContext, ToolDefinition, ToolOutcome } from './tools/types.ts';

export const GATE_TOOL = 'sub_task_step_complete';

export interface ReplyOutcome {
  toolMessages: ToolMessage[];
  /** The gate's verdict when the reply called it. */
  gate: GateResult | null;
  /** The last checks that ran for this reply failed. */
  checksFailed: boolean;
}

export interface ReplyTurn {
  step: number;
  turn: number;
  tools: readonly ToolDefinition<never>[];
}

export async function runReplyTools(ctx: RunContext, reply: AssistantMessage, where: ReplyTurn): Promise<ReplyOutcome> {
  const calls: ToolCall[] = reply.tool_calls ?? [];
  const limit = ctx.limits.toolCallsPerReply;
  const toolContext: ToolContext = { workspace: ctx.workspace, limits: ctx.limits, checks: ctx.checks, signal: ctx.signal };
  const outcomes = new Map<number, ToolOutcome>();
  const executionOrder: number[] = [];

  if (calls.length > limit) {
    const detail = `The reply made ${calls.length} tool calls; only the first ${limit} ran, the rest got error results.`;
    ctx.stage({ type: 'guard', guard: 'tool-calls-per-reply', step: where.step, detail });
  }
  const run = async (index: number, call: ToolCall) => {
    ctx.throwIfStopped();
    outcomes.set(index, await dispatchToolCall(call, where.tools, toolContext));
    executionOrder.push(index);
  };
  const gates: number[] = [];
  for (const [index, call] of calls.entries()) {
    if (index >= limit) {
      outcomes.set(index, errorResult(`Not run: a reply may make at most ${limit} tool calls. Send the rest in your next reply.`));
    } else if (call.function?.name === GATE_TOOL) gates.push(index);
    else await run(index, call);
  }
  // The gate is judged once, after every other call of the reply; a repeated gate call gets the same verdict.
  const [firstGate, ...otherGates] = gates;
  if (firstGate !== undefined) {
    await run(firstGate, calls[firstGate] as ToolCall);
    const verdict = outcomes.get(firstGate) as ToolOutcome;
    for (const index of otherGates) outcomes.set(index, { status: verdict.status, content: verdict.content });
  }

  const toolMessages: ToolMessage[] = [];
  for (const [index, call] of calls.entries()) {
    const outcome = outcomes.get(index) as ToolOutcome;
    ctx.stage({ type: 'tool-call', step: where.step, turn: where.turn, callId: call.id, name: call.function?.name ?? '', arguments: call.function?.arguments ?? '' });
    if (outcome.check) ctx.stage({ type: 'check', step: where.step, turn: where.turn, trigger: outcome.check.trigger, result: outcome.check.summary });
    ctx.stage({ type: 'tool-result', step: where.step, turn: where.turn, callId: call.id, name: call.function?.name ?? '', status: outcome.status, content: outcome.content });
    toolMessages.push({ role: 'tool', tool_call_id: call.id, content: outcome.content });
  }

  const lastChecked = executionOrder
    .map((i) => outcomes.get(i))
    .filter((o): o is ToolOutcome => o?.check !== undefined)
    .at(-1);
  const gate = firstGate === undefined ? null : (outcomes.get(firstGate)?.gate ?? null);
  return { toolMessages, gate, checksFailed: lastChecked ? !lastChecked.check?.summary.ok : false };
}
