import { describe, expect, it } from 'vitest';
import { ScriptDesyncError } from '../../../src/errors.ts';
import { deriveRequestMeta, parseScenario, SCENARIO_FORMAT, type Scenario } from '../../../src/llm/scenario.ts';
import { ScriptedLlm } from '../../../src/llm/scripted.ts';
import type { ChatMessage, RequestMeta } from '../../../src/llm/types.ts';

const scenario: Scenario = parseScenario({
  format: SCENARIO_FORMAT,
  name: 'tiny',
  title: 'Tiny',
  domain: 'codebase',
  task: 'Add two numbers.',
  turns: [
    { key: { kind: 'plan', step: 0, turn: 0 }, reply: { toolCalls: [{ name: 'provide_detailed_sub_task_steps_for_sub_agents', arguments: { steps: ['one'] } }] } },
    { key: { kind: 'step', step: 1, turn: 1, lastMessageIncludes: 'failing' }, reply: { content: 'fixing it' } },
    { key: { kind: 'step', step: 1, turn: 1 }, reply: { content: 'all good' } },
    { key: { kind: 'step', step: 1, turn: 0, restart: 1 }, reply: { toolCalls: [{ id: 'x', name: 'write_files', arguments: '{"broken' }] } },
  ],
});

const meta = (over: Partial<RequestMeta>): RequestMeta => ({ runId: 'r', kind: 'step', step: 1, turn: 0, restart: 0, ...over });
const user = (content: string): ChatMessage => ({ role: 'user', content });

describe('scenario format', () => {
  it('rejects a scenario with a bad key, naming where', () => {
    expect(() => parseScenario({ ...scenario, turns: [{ key: { kind: 'nope', step: 0, turn: 0 }, reply: {} }] })).toThrow(
      /turns\[0\]\.key\.kind/,
    );
    expect(() => parseScenario({ ...scenario, format: 'other' })).toThrow(/format/);
  });

  it('derives kind, step, turn and restart from a request alone', () => {
    expect(
      deriveRequestMeta({
        messages: [user('Plan it'), { role: 'assistant', content: 'x' }, user('more')],
        tools: [{ type: 'function', function: { name: 'provide_detailed_sub_task_steps_for_sub_agents', description: '', parameters: {} } }],
      }),
    ).toMatchObject({ kind: 'plan', step: 0, turn: 1, restart: 0 });
    expect(
      deriveRequestMeta({
        messages: [{ role: 'system', content: 's' }, user('Step 3 of 5. Context restart 2. Do it'), { role: 'assistant', content: null }],
      }),
    ).toMatchObject({ kind: 'step', step: 3, turn: 1, restart: 2 });
    expect(
      deriveRequestMeta({ messages: [user('Step 2 of 5'), { role: 'assistant', content: 'a' }, user('Write the hand-off summary now.')], tool_choice: 'none' }),
    ).toMatchObject({ kind: 'summary', step: 2, turn: 1 });
  });
});

describe('scripted LLM', () => {
  it('replays the reply keyed on meta and the last message, with tool calls and streamed text', async () => {
    const llm = new ScriptedLlm(scenario, { chunkSize: 3 });
    const plan = await llm.complete({ messages: [user('plan')], meta: meta({ kind: 'plan', step: 0 }) });
    expect(plan.message.tool_calls?.[0]?.function).toEqual({
      name: 'provide_detailed_sub_task_steps_for_sub_agents',
      arguments: '{"steps":["one"]}',
    });
    expect(plan.finishReason).toBe('tool_calls');

    const deltas: string[] = [];
    const fix = await llm.complete({ messages: [user('tests failing: 1')], meta: meta({ turn: 1 }) }, { onDelta: (d) => deltas.push(d) });
    expect(fix.message.content).toBe('fixing it');
    expect(deltas.join('')).toBe('fixing it');
    expect(deltas.length).toBe(3);

    const ok = await llm.complete({ messages: [user('is it done?')], meta: meta({ turn: 1 }) });
    expect(ok.message.content).toBe('all good');

    const raw = await llm.complete({ messages: [user('restarted')], meta: meta({ restart: 1 }) });
    expect(raw.message.tool_calls?.[0]).toEqual({ id: 'x', type: 'function', function: { name: 'write_files', arguments: '{"broken' } });
    expect(llm.requests).toHaveLength(4);
  });

  it('throws ScriptDesyncError naming the expected and the actual key', async () => {
    const llm = new ScriptedLlm(scenario);
    const error = await llm.complete({ messages: [user('hello')], meta: meta({ turn: 7 }) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScriptDesyncError);
    const desync = error as ScriptDesyncError;
    expect(desync.actual).toContain('step/1/7');
    expect(desync.expected).toContain('step/1/1');
    expect(desync.message).toContain('tiny');
  });

  it('stops at once when aborted', async () => {
    const llm = new ScriptedLlm(scenario, { delayMs: 10_000 });
    const controller = new AbortController();
    const pending = llm.complete({ messages: [user('plan')], meta: meta({ kind: 'plan', step: 0 }) }, { signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('counts a message once and reuses the count', () => {
    const llm = new ScriptedLlm(scenario);
    const message = user('x'.repeat(350));
    expect(llm.countTokens(message)).toBe(104);
    expect(llm.countTokens(message)).toBe(104);
  });
});
