import { describe, expect, it } from 'vitest';
import { estimateMessageTokens, estimateToolTokens } from '../../../src/llm/estimate.ts';
import { correctionFactor, createTokenCounter, REQUEST_OVERHEAD_TOKENS } from '../../../src/llm/tokens.ts';
import type { ChatMessage, ToolSpec } from '../../../src/llm/types.ts';

const user = (content: string): ChatMessage => ({ role: 'user', content });
const tools: ToolSpec[] = [{ type: 'function', function: { name: 'list_files', description: 'List files', parameters: { type: 'object', properties: { path: { type: 'string' } } } } }];

describe('exact counter (gpt-tokenizer, loaded lazily)', () => {
  it('needs ready() before the first count', async () => {
    const counter = createTokenCounter('o200k_base');
    expect(() => counter.count(user('hello'))).toThrow(/ready/);
    await counter.ready();
    // "hello world" is 2 tokens in o200k_base; plus 3 of framing and 1 of role.
    expect(counter.count(user('hello world'))).toBe(6);
  });

  it('counts tool calls, tool messages and tool definitions; cl100k_base works too', async () => {
    const counter = createTokenCounter('cl100k_base');
    await counter.ready();
    const call: ChatMessage = { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'list_files', arguments: '{"path":"src"}' } }] };
    expect(counter.count(call)).toBeGreaterThan(4 + 3 + 2);
    expect(counter.count({ role: 'tool', tool_call_id: 'c1', content: 'ok' })).toBeGreaterThan(5);
    expect(counter.countTools(tools)).toBeGreaterThan(12);
    expect(counter.countTools([])).toBe(0);
  });

  it('treats text that spells a special token as text', async () => {
    const counter = createTokenCounter('o200k_base');
    await counter.ready();
    expect(counter.count(user('the string <|endoftext|> in a file'))).toBeGreaterThan(4);
  });
});

describe('estimate counter', () => {
  it('uses the estimate of estimate.ts until corrected', async () => {
    const counter = createTokenCounter('estimate');
    await counter.ready();
    const message = user('x'.repeat(700));
    expect(counter.count(message)).toBe(estimateMessageTokens(message));
    expect(counter.countTools(tools)).toBe(estimateToolTokens(tools));
    expect(counter.rawRequest([message], tools)).toBe(REQUEST_OVERHEAD_TOKENS + estimateMessageTokens(message) + estimateToolTokens(tools));
  });
});

describe('the cache: a turn counts only its new messages', () => {
  for (const kind of ['o200k_base', 'estimate'] as const) {
    it(`${kind}: the history is never recounted, also after a correction`, async () => {
      const counter = createTokenCounter(kind);
      await counter.ready();
      const history: ChatMessage[] = Array.from({ length: 40 }, (_, i) => user(`message ${i} `.repeat(50)));
      const turn = () => history.reduce((sum, m) => sum + counter.count(m), counter.countTools(tools));
      turn();
      expect(counter.textsCounted).toBe(41);
      history.push({ role: 'assistant', content: 'reply' }, user('next control message'));
      turn();
      expect(counter.textsCounted).toBe(43);
      counter.observe(counter.rawRequest(history, tools), counter.rawRequest(history, tools) * 1.3);
      const corrected = turn();
      expect(counter.textsCounted).toBe(43);
      expect(corrected).toBeGreaterThan(0);
    });
  }
});

describe('correction from reported usage', () => {
  it('moves an estimate towards the reports with a 10 % margin, within [0.5, 4]', async () => {
    const counter = createTokenCounter('estimate');
    const message = user('y'.repeat(3500));
    const raw = counter.count(message);
    counter.observe(1000, 500);
    expect(counter.factor).toBeCloseTo(0.55);
    expect(counter.count(message)).toBe(Math.ceil(raw * 0.55));
    // The margin keeps the corrected count above what the provider reports.
    expect(counter.count(message)).toBeGreaterThan(raw * 0.5);
    expect(correctionFactor(false, 0.1)).toBe(0.5);
    expect(correctionFactor(false, 10)).toBe(4);
    expect(correctionFactor(false, 2)).toBeCloseTo(2.2);
  });

  it('never lowers an exact count, raises it at most by half', () => {
    expect(correctionFactor(true, 0.8)).toBe(1);
    expect(correctionFactor(true, 1.2)).toBeCloseTo(1.2);
    expect(correctionFactor(true, 3)).toBe(1.5);
    expect(correctionFactor(true, undefined)).toBe(1);
  });

  it('follows a running ratio in which recent reports weigh more', () => {
    const counter = createTokenCounter('estimate');
    counter.observe(1000, 1000);
    const before = counter.factor;
    for (let i = 0; i < 20; i++) counter.observe(1000, 2000);
    expect(counter.factor).toBeGreaterThan(before);
    expect(counter.factor).toBeCloseTo(2.2, 1);
  });

  it('ignores empty reports', () => {
    const counter = createTokenCounter('estimate');
    counter.observe(0, 100);
    counter.observe(100, 0);
    expect(counter.factor).toBe(1);
  });
});
