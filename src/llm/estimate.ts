/**
 * Token estimates for models without an exact tokenizer here (DESIGN.md §8). Deliberately on the high
 * side: about 3.5 characters per token plus per-message overhead, so a context that the estimate says
 * fits does fit. `tokens.ts` corrects the ratio from the provider's reported usage.
 */
import type { ChatMessage, ToolSpec } from './types.ts';

/** Characters per token assumed before any correction. */
export const DEFAULT_CHARS_PER_TOKEN = 3.5;
/** Role, separators and priming per message, as in OpenAI's own accounting. */
export const MESSAGE_OVERHEAD_TOKENS = 4;

export function estimateTextTokens(text: string, charsPerToken = DEFAULT_CHARS_PER_TOKEN): number {
  return Math.ceil(text.length / charsPerToken);
}

/** The text of a message that counts towards the prompt. */
export function messageText(message: ChatMessage): string {
  let text = message.content ?? '';
  if (message.role === 'assistant' && message.tool_calls) {
    for (const call of message.tool_calls) text += call.function.name + call.function.arguments;
  }
  if (message.role === 'tool') text += message.tool_call_id;
  return text;
}

export function estimateMessageTokens(message: ChatMessage, charsPerToken = DEFAULT_CHARS_PER_TOKEN): number {
  return MESSAGE_OVERHEAD_TOKENS + estimateTextTokens(messageText(message), charsPerToken);
}

export function estimateToolTokens(tools: ToolSpec[], charsPerToken = DEFAULT_CHARS_PER_TOKEN): number {
  return tools.length ? 12 + estimateTextTokens(JSON.stringify(tools), charsPerToken) : 0;
}
