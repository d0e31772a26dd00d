/**
 * The forced plan call when the provider refuses a forced function `tool_choice` (DESIGN.md §4 forces the
 * plan tool; Anthropic's OpenAI-compatible endpoint with thinking models, and some local servers, answer
 * that with a 400): the call is tried again with `required`, then with `auto` (the plan tool is the only
 * tool offered, and a reply without it goes through the plan retries). The choice that worked is kept in
 * the checkpoint, so the rest of the run asks with it at once.
 */
import { BadRequestError } from '../errors.ts';
import type { CompletionResult, ToolChoice } from '../llm/types.ts';
import type { LlmCall, RunContext } from './run-context.ts';

type Fallback = NonNullable<RunContext['checkpoint']['planToolChoice']>;

const FALLBACKS: readonly Fallback[] = ['required', 'auto'];

/** Whether the provider refused the request because of its `tool_choice` (classified at the LLM boundary). */
export function refusedToolChoice(error: unknown): boolean {
  return error instanceof BadRequestError && error.param === 'tool_choice';
}

/** The fallback after `current` (none yet: the first), or null when every one was refused. */
export function nextFallback(current: Fallback | undefined): Fallback | null {
  if (current === undefined) return FALLBACKS[0] ?? null;
  return FALLBACKS[FALLBACKS.indexOf(current) + 1] ?? null;
}

/**
 * Calls the LLM for a plan with the forced choice `forced`, or the run's remembered fallback; on a refused
 * `tool_choice` moves to the next fallback and tries again. Another error, or a refusal of the last
 * fallback, is thrown as it is (the run pauses with the provider's message).
 */
export async function callForPlan(ctx: RunContext, call: Omit<LlmCall, 'toolChoice'>, forced: ToolChoice): Promise<CompletionResult> {
  for (;;) {
    const remembered = ctx.checkpoint.planToolChoice;
    try {
      return await ctx.callLlm({ ...call, toolChoice: remembered ?? forced });
    } catch (error) {
      const next = refusedToolChoice(error) ? nextFallback(remembered) : null;
      if (!next) throw error;
      ctx.checkpoint.planToolChoice = next;
    }
  }
}
