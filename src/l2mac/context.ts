/**
 * The context window (DESIGN.md §4 "Context"). The budget is the model's window minus the completion
 * reserve. When a request would not fit, whole turns are dropped, oldest first: an assistant message goes
 * with its tool messages and the control message after them, so no tool message is ever sent without the
 * assistant call it answers (the original L2MAC deleted single messages and orphaned them).
 */
import type { ChatMessage, LlmPort, ModelInfo, ToolSpec } from '../llm/types.ts';
import type { Limits } from './run-state.ts';

/** Tokens kept free for the reply: the model's output limit, at most `completionReserveCap`. */
export function completionReserve(model: ModelInfo, limits: Limits): number {
  return Math.min(model.maxOutputTokens, limits.completionReserveCap);
}

export function contextBudget(model: ModelInfo, limits: Limits): number {
  return model.contextWindow - completionReserve(model, limits);
}

/** Reply priming the providers add to every request. */
const REQUEST_OVERHEAD_TOKENS = 3;

export function requestTokens(llm: LlmPort, messages: readonly ChatMessage[], tools: ToolSpec[] | undefined): number {
  let total = REQUEST_OVERHEAD_TOKENS + (tools?.length ? llm.countToolTokens(tools) : 0);
  for (const message of messages) total += llm.countTokens(message);
  return total;
}

/** Start indices of the turns after the fixed prefix: each turn begins at an assistant message. */
export function turnStarts(messages: readonly ChatMessage[], fixedCount: number): number[] {
  const starts: number[] = [];
  for (let i = fixedCount; i < messages.length; i++) if (messages[i]?.role === 'assistant') starts.push(i);
  return starts;
}

export interface Trimmed {
  messages: ChatMessage[];
  droppedTurns: number;
}

/**
 * The messages with the fewest oldest whole turns dropped (at least `minDrop`) so that `fits` accepts
 * them, or null when even the fixed prefix alone (with whatever `fits` adds) does not fit, or there are
 * fewer than `minDrop` turns to drop.
 */
export function dropOldestTurns(
  messages: readonly ChatMessage[],
  fixedCount: number,
  fits: (candidate: ChatMessage[]) => boolean,
  minDrop = 0,
): Trimmed | null {
  const fixed = messages.slice(0, fixedCount);
  const starts = turnStarts(messages, fixedCount);
  if (minDrop > starts.length) return null;
  for (let drop = minDrop; drop <= starts.length; drop++) {
    const from = drop === starts.length ? messages.length : (starts[drop] as number);
    // Messages between the prefix and the first turn (none in practice) go with the first dropped turn.
    const rest = drop === 0 ? messages.slice(fixedCount) : messages.slice(from);
    const candidate = [...fixed, ...rest];
    if (fits(candidate)) return { messages: candidate, droppedTurns: drop };
  }
  return null;
}

/**
 * Problems with tool messages in a request: a tool message that does not follow the assistant message
 * calling it, or a call left without its tool message before the next message. Providers reject both.
 */
export function toolMessageProblems(messages: readonly ChatMessage[]): string[] {
  const problems: string[] = [];
  let open = new Set<string>();
  const closeTurn = () => {
    for (const id of open) problems.push(`the call ${id} has no tool message`);
    open = new Set();
  };
  for (const message of messages) {
    if (message.role === 'tool') {
      if (open.has(message.tool_call_id)) open.delete(message.tool_call_id);
      else problems.push(`the tool message for ${message.tool_call_id} follows no assistant call with that id`);
      continue;
    }
    closeTurn();
    if (message.role === 'assistant') open = new Set((message.tool_calls ?? []).map((c) => c.id));
  }
  closeTurn();
  return problems;
}
