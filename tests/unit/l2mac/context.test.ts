import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { completionReserve, contextBudget, dropOldestTurns, toolMessageProblems, turnStarts } from '../../../src/l2mac/context.ts';
import { DEFAULT_LIMITS } from '../../../src/l2mac/run-state.ts';
import { SCRIPTED_MODEL } from '../../../src/llm/scripted.ts';
import type { ChatMessage } from '../../../src/llm/types.ts';

const fixed: ChatMessage[] = [
  { role: 'system', content: 'sys' },
  { role: 'user', content: 'Step 1 of 2.' },
];

/** A context with turns of 0..3 tool calls, each followed by its tool messages and a control message. */
const contextArb = fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 12 }).map((callsPerTurn) => {
  const messages = [...fixed];
  callsPerTurn.forEach((calls, t) => {
    const ids = Array.from({ length: calls }, (_, i) => `c${t}_${i}`);
    messages.push({ role: 'assistant', content: calls ? null : `text ${t}`, ...(calls ? { tool_calls: ids.map((id) => ({ id, type: 'function' as const, function: { name: 'x', arguments: '{}' } })) } : {}) });
    for (const id of ids) messages.push({ role: 'tool', tool_call_id: id, content: 'r'.repeat(10 + t) });
    messages.push({ role: 'user', content: `control ${t}` });
  });
  return messages;
});

describe('context budget', () => {
  it('is the window minus the reply reserve (the output limit, capped at 8,192)', () => {
    expect(completionReserve({ ...SCRIPTED_MODEL, maxOutputTokens: 16_384 }, DEFAULT_LIMITS)).toBe(8192);
    expect(completionReserve({ ...SCRIPTED_MODEL, maxOutputTokens: 4096 }, DEFAULT_LIMITS)).toBe(4096);
    expect(contextBudget({ ...SCRIPTED_MODEL, contextWindow: 32_000, maxOutputTokens: 4096 }, DEFAULT_LIMITS)).toBe(27_904);
  });
});

describe('dropping whole turns', () => {
  it('never leaves a tool message without its assistant call, nor a call without its tool message (property)', () => {
    fc.assert(
      fc.property(contextArb, fc.integer({ min: 0, max: 400 }), (messages, budgetChars) => {
        expect(toolMessageProblems(messages)).toEqual([]);
        const size = (c: ChatMessage[]) => c.reduce((n, m) => n + (m.content?.length ?? 0) + 5, 0);
        const trimmed = dropOldestTurns(messages, fixed.length, (c) => size(c) <= budgetChars);
        if (!trimmed) {
          expect(size(fixed)).toBeGreaterThan(budgetChars);
          return;
        }
        expect(toolMessageProblems(trimmed.messages)).toEqual([]);
        expect(trimmed.messages.slice(0, 2)).toEqual(fixed);
        expect(size(trimmed.messages)).toBeLessThanOrEqual(budgetChars);
        // What is kept is a suffix of whole turns: the newest ones, unchanged and in order.
        const kept = trimmed.messages.slice(2);
        expect(messages.slice(messages.length - kept.length)).toEqual(kept);
        expect(turnStarts(messages, 2).length - turnStarts(trimmed.messages, 2).length).toBe(trimmed.droppedTurns);
      }),
    );
  });

  it('drops at least minDrop turns, and gives up when there are not that many', () => {
    const messages: ChatMessage[] = [...fixed, { role: 'assistant', content: 'a' }, { role: 'user', content: 'b' }];
    expect(dropOldestTurns(messages, 2, () => true, 1)?.messages).toEqual(fixed);
    expect(dropOldestTurns(messages, 2, () => true, 2)).toBeNull();
  });

  it('reports orphaned tool messages and unanswered calls', () => {
    expect(toolMessageProblems([...fixed, { role: 'tool', tool_call_id: 'x', content: '' }])).toEqual(['the tool message for x follows no assistant call with that id']);
    expect(
      toolMessageProblems([
        ...fixed,
        { role: 'assistant', content: null, tool_calls: [{ id: 'y', type: 'function', function: { name: 'n', arguments: '' } }] },
        { role: 'user', content: 'u' },
      ]),
    ).toEqual(['the call y has no tool message']);
  });
});
