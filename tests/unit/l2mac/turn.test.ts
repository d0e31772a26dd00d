import { describe, expect, it } from 'vitest';
import type { ControlMessageEvent, GuardEvent, ToolResultEvent } from '../../../src/l2mac/events.ts';
import { ScriptedLlm } from '../../../src/llm/scripted.ts';
import type { ToolMessage } from '../../../src/llm/types.ts';
import { createNodeSandbox } from '../../support/node-sandbox.ts';
import { ADD_JS, ADD_TEST_JS, call, makeScenario, requestAt, settings, startRun, turn } from './harness.ts';

const program = settings({ promptProgram: ['Write add.js with tests.'] });
const tail = [turn('summary', 1, 2, { content: 'Done.' }), turn('report', 0, 0, { content: 'ok' })];

describe('a turn (DESIGN.md §4)', () => {
  it('evaluates the gate after the reply\'s other calls, answers every call in order with matching ids, then one control message', async () => {
    const scenario = makeScenario([
      turn('step', 1, 0, { toolCalls: [call.gate(), call.write({ 'add.js': ADD_JS }), call.write({ 'add.test.js': ADD_TEST_JS })] }),
      turn('summary', 1, 1, { content: 'Done.' }),
      turn('report', 0, 0, { content: 'ok' }),
    ]);
    const { handle, llm, events } = await startRun(scenario, { sandboxFactory: createNodeSandbox, settings: program });
    expect((await handle.done).status).toBe('completed');
    const summary = requestAt(llm, 'summary', 1, 1);
    const reply = summary.messages[2];
    const ids = reply?.role === 'assistant' ? reply.tool_calls?.map((c) => c.id) : [];
    expect(summary.messages.slice(3, 6).map((m) => (m as ToolMessage).tool_call_id)).toEqual(ids);
    expect(JSON.parse(summary.messages[3]?.content ?? '')).toMatchObject({ status: 'ok', message: expect.stringContaining('The step is complete') });
    expect(summary.messages.slice(6).map((m) => m.role)).toEqual(['user']);
    expect(summary.toolChoice).toBe('none');
    const checks = events.filter((e) => e.type === 'check').map((e) => e.type === 'check' && e.trigger);
    expect(checks).toEqual(['gate', 'write', 'write', 'verify']);
  });

  it('a plain text reply gets the control message; the user\'s note goes into the next control message', async () => {
    const scenario = makeScenario([
      turn('step', 1, 0, { content: 'Let me think about the design first.' }),
      turn('step', 1, 1, { toolCalls: [call.write({ 'add.js': ADD_JS, 'add.test.js': ADD_TEST_JS })] }),
      turn('step', 1, 2, { toolCalls: [call.gate()] }),
      turn('summary', 1, 3, { content: 'Done.' }),
      turn('report', 0, 0, { content: 'ok' }),
    ]);
    let noted = false;
    const llm = new ScriptedLlm(scenario, {
      onRequest: (request) => {
        if (request.meta.kind === 'step' && request.meta.turn === 0 && !noted) {
          noted = true;
          queueMicrotask(() => handleRef.addNote('Please name the function add.'));
        }
      },
    });
    let handleRef!: { addNote(text: string): void };
    const started = await startRun(scenario, { llm, sandboxFactory: createNodeSandbox, settings: program });
    handleRef = started.handle;
    expect((await started.handle.done).status).toBe('completed');
    const second = requestAt(llm, 'step', 1, 1);
    expect(second.messages.slice(-2).map((m) => m.role)).toEqual(['assistant', 'user']);
    expect(second.messages.at(-1)?.content).toMatch(/^Is step 1 complete\?/);
    expect(second.messages.at(-1)?.content).toContain('Please name the function add.');
    const controls = started.events.filter((e): e is ControlMessageEvent => e.type === 'control-message');
    expect(controls[0]?.note).toBe('Please name the function add.');
    expect(controls[1]?.note).toBeUndefined();
  });

  it('gives missing or repeated tool call ids unique ones, so every tool message answers exactly one call', async () => {
    const scenario = makeScenario([
      turn('step', 1, 0, { toolCalls: [{ id: 'same', ...call.write({ 'add.js': ADD_JS }) }, { id: 'same', ...call.write({ 'add.test.js': ADD_TEST_JS }) }] }),
      turn('step', 1, 1, { toolCalls: [call.gate()] }),
      turn('summary', 1, 2, { content: 'Done.' }),
      turn('report', 0, 0, { content: 'ok' }),
    ]);
    const { handle, llm } = await startRun(scenario, { sandboxFactory: createNodeSandbox, settings: program });
    expect((await handle.done).status).toBe('completed');
    const next = requestAt(llm, 'step', 1, 1).messages;
    const reply = next[2];
    expect(reply?.role === 'assistant' ? reply.tool_calls?.map((c) => c.id) : []).toEqual(['same', 'call_1_0_1']);
    expect(next.slice(3, 5).map((m) => (m as ToolMessage).tool_call_id)).toEqual(['same', 'call_1_0_1']);
  });

  it('runs at most 20 calls of one reply; the rest get error results', async () => {
    const many = Array.from({ length: 23 }, (_, i) => call.write({ [`f${i}.txt`]: `${i}` }));
    const scenario = makeScenario([
      turn('step', 1, 0, { toolCalls: many }),
      turn('step', 1, 1, { toolCalls: [call.write({ 'add.js': ADD_JS, 'add.test.js': ADD_TEST_JS }), call.gate()] }),
      ...tail,
    ]);
    const { handle, store, llm, events } = await startRun(scenario, { sandboxFactory: createNodeSandbox, settings: program });
    const run = await handle.done;
    expect(run.status).toBe('completed');
    const files = await store.readAllFiles(run.id);
    expect(Object.keys(files).filter((p) => p.startsWith('f'))).toHaveLength(20);
    expect(files['f20.txt']).toBeUndefined();
    const results = requestAt(llm, 'step', 1, 1).messages.filter((m): m is ToolMessage => m.role === 'tool');
    expect(results).toHaveLength(23);
    expect(JSON.parse(results[22]?.content ?? '')).toMatchObject({ status: 'error', message: expect.stringContaining('at most 20 tool calls') });
    expect(events.find((e): e is GuardEvent => e.type === 'guard')).toMatchObject({ guard: 'tool-calls-per-reply' });
  });

  it('a failed gate gets a "fix it" message naming the failing test; failed write checks are flagged in the next control message', async () => {
    const broken = 'export function add(a, b) {\n  return a - b;\n}\n';
    const scenario = makeScenario([
      turn('step', 1, 0, { toolCalls: [call.write({ 'add.js': broken, 'add.test.js': ADD_TEST_JS })] }),
      turn('step', 1, 1, { toolCalls: [call.gate()] }),
      turn('step', 1, 2, { toolCalls: [call.write({ 'add.js': ADD_JS })] }),
      turn('step', 1, 3, { toolCalls: [call.gate()] }),
      turn('summary', 1, 4, { content: 'Done.' }),
      turn('report', 0, 0, { content: 'ok' }),
    ]);
    const { handle, llm, events } = await startRun(scenario, { sandboxFactory: createNodeSandbox, settings: program });
    expect((await handle.done).status).toBe('completed');
    expect(requestAt(llm, 'step', 1, 1).messages.at(-1)?.content).toContain('The checks after your last change failed');
    const fix = requestAt(llm, 'step', 1, 2).messages.at(-1)?.content ?? '';
    expect(fix).toMatch(/^Step 1: sub_task_step_complete did not pass\. The step is not complete: 1 test failed: "adds" \(add\.test\.js\): Expected values to be strictly equal: -1 !== 5/);
    const gateResult = events.filter((e): e is ToolResultEvent => e.type === 'tool-result' && e.name === 'sub_task_step_complete')[0];
    expect(gateResult?.status).toBe('error');
    expect(JSON.parse(gateResult?.content ?? '').checks.tests.failing[0]).toMatchObject({ name: 'adds', message: expect.stringContaining('-1 !== 5') });
    expect(events.filter((e): e is ControlMessageEvent => e.type === 'control-message').map((e) => e.purpose)).toEqual(['continue', 'fix', 'continue', 'summary-request']);
  });

  it('varies the request when the model repeats itself: a nudge for a model without temperature', async () => {
    const same = { content: 'I am not sure what to do.' };
    const scenario = makeScenario([
      turn('step', 1, 0, same),
      turn('step', 1, 1, same),
      turn('step', 1, 2, same),
      turn('step', 1, 3, { toolCalls: [call.write({ 'add.js': ADD_JS, 'add.test.js': ADD_TEST_JS }), call.gate()] }),
      turn('summary', 1, 4, { content: 'Done.' }),
      turn('report', 0, 0, { content: 'ok' }),
    ]);
    const noTemperature = await startRun(scenario, { sandboxFactory: createNodeSandbox, settings: program, llm: new ScriptedLlm(scenario, { model: { supportsTemperature: false } }) });
    expect((await noTemperature.handle.done).status).toBe('completed');
    expect(requestAt(noTemperature.llm, 'step', 1, 2).messages.at(-1)?.content).not.toContain('same reply');
    expect(requestAt(noTemperature.llm, 'step', 1, 3).messages.at(-1)?.content).toContain('same reply several times');
    expect(noTemperature.llm.requests.every((r) => r.temperature === undefined)).toBe(true);
    expect(noTemperature.events.filter((e) => e.type === 'guard').map((e) => (e as GuardEvent).guard)).toEqual(['repeated-replies']);

    const withTemperature = await startRun(scenario, { sandboxFactory: createNodeSandbox, settings: program });
    expect((await withTemperature.handle.done).status).toBe('completed');
    expect(requestAt(withTemperature.llm, 'step', 1, 2).temperature).toBeUndefined();
    expect(requestAt(withTemperature.llm, 'step', 1, 3).temperature).toBe(0.4);
    expect(requestAt(withTemperature.llm, 'step', 1, 3).messages.at(-1)?.content).not.toContain('same reply');
  });

  it('turns malformed arguments and unknown tools into error results the model sees, and keeps going', async () => {
    const scenario = makeScenario([
      turn('step', 1, 0, { toolCalls: [call.raw('write_files', '{"list_of_file_objects": [{"file_path": "a.js", "file_contents": "x"'), call.raw('format_disk', {}), call.raw('write_files', { list_of_file_objects: [{ file_path: '../../etc/passwd', file_contents: 'x' }] })] }),
      turn('step', 1, 1, { toolCalls: [call.write({ 'add.js': ADD_JS, 'add.test.js': ADD_TEST_JS }), call.gate()] }),
      ...tail,
    ]);
    const { handle, store, llm } = await startRun(scenario, { sandboxFactory: createNodeSandbox, settings: program });
    const run = await handle.done;
    expect(run.status).toBe('completed');
    const results = requestAt(llm, 'step', 1, 1).messages.filter((m): m is ToolMessage => m.role === 'tool').map((m) => JSON.parse(m.content));
    expect(results.map((r) => r.status)).toEqual(['error', 'error', 'error']);
    expect(results[0].message).toMatch(/not valid JSON/);
    expect(results[1].message).toMatch(/Unknown tool "format_disk"/);
    expect(results[2].message).toMatch(/Nothing was written: file 1: .*"\.\."/);
    expect(Object.keys(await store.readAllFiles(run.id)).sort()).toEqual(['add.js', 'add.test.js']);
  });
});
