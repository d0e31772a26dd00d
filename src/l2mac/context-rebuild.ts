/**
 * Rebuilds the current context on resume from the durable events since the checkpoint's
 * `contextStartSeq` (DESIGN.md §6): the `step-started` event holds the fresh context, and the replies,
 * tool results and control messages after it are the turns, verbatim. The rebuilt messages equal those
 * an uninterrupted run would have, so the next request is the same.
 */
import type { ChatMessage } from '../llm/types.ts';
import type { DurableEvent } from './events.ts';
import type { RunContext } from './run-context.ts';
import type { ContextState } from './step-context.ts';

const CONTEXT_PURPOSES = new Set(['continue', 'fix', 'summary-request', 'plan-retry']);

export function messagesFromEvents(events: readonly DurableEvent[]): ContextState {
  const [first, ...rest] = events;
  if (!first || first.type !== 'step-started') {
    throw new Error('Cannot resume: the stored events do not start with the context the checkpoint points to.');
  }
  const messages: ChatMessage[] = structuredClone(first.messages);
  const fixedCount = messages.length;
  for (const event of rest) {
    if (event.type === 'step-started') break;
    if (event.type === 'llm-reply' && (event.kind === 'step' || event.kind === 'plan')) messages.push(structuredClone(event.message));
    else if (event.type === 'tool-result') messages.push({ role: 'tool', tool_call_id: event.callId, content: event.content });
    else if (event.type === 'control-message' && CONTEXT_PURPOSES.has(event.purpose)) messages.push({ role: 'user', content: event.content });
  }
  return { messages, fixedCount };
}

export async function rebuildContext(ctx: RunContext): Promise<ContextState> {
  const start = ctx.checkpoint.contextStartSeq;
  if (start === null) throw new Error('Cannot rebuild a context: the checkpoint has none.');
  const events = await ctx.store.listEvents(ctx.runId, start);
  return messagesFromEvents(events);
}
