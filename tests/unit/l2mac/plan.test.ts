import { describe, expect, it } from 'vitest';
import { approvePlan } from '../../../src/l2mac/controls.ts';
import type { PlanEvent } from '../../../src/l2mac/events.ts';
import { PLAN_TOOL_NAME } from '../../../src/l2mac/prompts/markers.ts';
import { ScriptedLlm } from '../../../src/llm/scripted.ts';
import { createNodeSandbox } from '../../support/node-sandbox.ts';
import { call, loadScenario, makeScenario, oneStepTurns, requestAt, settings, startRun, turn } from './harness.ts';

const forced = { type: 'function', function: { name: PLAN_TOOL_NAME } };

describe('planning (DESIGN.md §4)', () => {
  it('forces the plan tool, sends the task and the cap, and adopts a valid plan', async () => {
    const scenario = makeScenario([turn('plan', 0, 0, { toolCalls: [call.plan(['  Write add.js with tests.  '])] }), ...oneStepTurns()]);
    const { handle, llm, events } = await startRun(scenario, { sandboxFactory: createNodeSandbox, settings: settings({ limits: { maxSteps: 4 } }) });
    expect((await handle.done).status).toBe('completed');
    const plan = requestAt(llm, 'plan', 0, 0);
    expect(plan.toolChoice).toEqual(forced);
    expect(plan.tools?.map((t) => t.function.name)).toEqual([PLAN_TOOL_NAME]);
    expect(plan.tools?.[0]?.function.parameters.properties?.steps?.maxItems).toBe(4);
    expect(plan.messages.at(-1)?.content).toContain(scenario.task);
    expect(plan.messages.at(-1)?.content).toContain('At most 4 steps');
    const planEvent = events.find((e): e is PlanEvent => e.type === 'plan');
    expect(planEvent).toMatchObject({ steps: ['Write add.js with tests.'], source: 'model' });
  });

  it('shows an invalid plan back to the model with its error, then accepts the corrected one', async () => {
    const scenario = makeScenario([
      turn('plan', 0, 0, { toolCalls: [call.raw(PLAN_TOOL_NAME, '{"steps": ["a", ')] }),
      turn('plan', 0, 1, { toolCalls: [call.plan(['1', '2', '3', '4'])] }, { lastMessageIncludes: 'not valid JSON' }),
      turn('plan', 0, 2, { content: 'I think the plan is fine.' }, { lastMessageIncludes: 'at most 3 items' }),
      turn('plan', 0, 3, { toolCalls: [call.plan(['Write add.js with tests.'])] }, { lastMessageIncludes: 'did not call' }),
      ...oneStepTurns(),
    ]);
    const { handle, llm, events } = await startRun(scenario, { sandboxFactory: createNodeSandbox, settings: settings({ limits: { maxSteps: 3 } }) });
    expect((await handle.done).status).toBe('completed');
    const retry = requestAt(llm, 'plan', 0, 1);
    expect(retry.toolChoice).toEqual(forced);
    // The retry request keeps the failed reply and answers its call before showing the error.
    expect(retry.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool', 'user']);
    expect(retry.messages[3]?.content).toContain('Invalid plan');
    const retries = events.filter((e) => e.type === 'control-message' && e.purpose === 'plan-retry');
    expect(retries).toHaveLength(3);
  });

  it('fails the run with a clear message after three retries', async () => {
    const bad = { toolCalls: [call.plan([])] };
    const scenario = makeScenario([0, 1, 2, 3].map((n) => turn('plan', 0, n, bad)));
    const { handle, store, llm } = await startRun(scenario, { sandboxFactory: createNodeSandbox });
    const run = await handle.done;
    expect(run.status).toBe('failed');
    expect(run.statusReason).toMatch(/no valid plan in 4 attempts \(the last problem: the plan\.steps must have at least 1 item\)/);
    expect(llm.requests).toHaveLength(4);
    expect(await store.getCheckpoint(run.id)).toMatchObject({ phase: 'planning', invalidPlans: 4 });
  });

  it('uses a prompt program supplied by the user without asking the model for a plan', async () => {
    const scenario = makeScenario(oneStepTurns());
    const { handle, llm, events } = await startRun(scenario, { sandboxFactory: createNodeSandbox, settings: settings({ promptProgram: ['Write add.js with tests.'] }) });
    expect((await handle.done).status).toBe('completed');
    expect(llm.requests.some((r) => r.meta.kind === 'plan')).toBe(false);
    expect(events.find((e) => e.type === 'plan')).toMatchObject({ source: 'user', steps: ['Write add.js with tests.'] });
  });

  it('"plan first" pauses for review; the user\'s edited steps become the plan', async () => {
    const scenario = makeScenario([turn('plan', 0, 0, { toolCalls: [call.plan(['Write add.js.', 'Write sub.js.'])] }), ...oneStepTurns()]);
    const { handle, store, events } = await startRun(scenario, { sandboxFactory: createNodeSandbox, settings: settings({ planFirst: true }) });
    const paused = await handle.done;
    expect(paused).toMatchObject({ status: 'paused', pauseReason: 'plan-review' });
    expect(paused.plan?.map((s) => s.instruction)).toEqual(['Write add.js.', 'Write sub.js.']);
    expect(events.filter((e) => e.type === 'status').map((e) => e.type === 'status' && e.status)).toEqual(['planning', 'paused']);

    const llm = new ScriptedLlm(scenario);
    const resumed = await approvePlan(paused.id, ['Write add.js with a test of 2 + 3.'], { store, llm, sandboxFactory: createNodeSandbox, onEvent: (e) => events.push(e) });
    const run = await resumed.done;
    expect(run.status).toBe('completed');
    expect(run.plan?.map((s) => [s.instruction, s.state])).toEqual([['Write add.js with a test of 2 + 3.', 'completed']]);
    expect(events.filter((e) => e.type === 'plan').map((e) => (e as PlanEvent).source)).toEqual(['model', 'edited']);
    expect(requestAt(llm, 'step', 1, 0).messages[1]?.content).toContain('Write add.js with a test of 2 + 3.');
    await expect(approvePlan(paused.id, ['x'], { store, llm })).rejects.toThrow(/completed/);
  });

  it('over existing files: read-only tools with tool_choice auto for up to 5 replies, then the forced plan call', async () => {
    const view = { toolCalls: [call.raw('view_files', { files: ['lib/math.js'] })] };
    const scenario = makeScenario([
      ...[0, 1, 2, 3, 4].map((n) => turn('plan', 0, n, n === 1 ? { toolCalls: [call.write({ 'x.js': '' })] } : view)),
      turn('plan', 0, 5, { toolCalls: [call.plan(['Write add.js with tests.'])] }),
      ...oneStepTurns(),
    ]);
    const files = { 'lib/math.js': 'export const pi = 3.14;\n' };
    const { handle, llm, store } = await startRun(scenario, { sandboxFactory: createNodeSandbox, files });
    const run = await handle.done;
    expect(run.status).toBe('completed');
    const first = requestAt(llm, 'plan', 0, 0);
    expect(first.toolChoice).toBe('auto');
    expect(first.tools?.map((t) => t.function.name)).toEqual(['list_files', 'view_files', 'search_files', PLAN_TOOL_NAME]);
    expect(first.messages[1]?.content).toContain('lib/math.js (1 line)');
    expect(first.messages[1]?.content).toMatch(/existing codebase/);
    const second = requestAt(llm, 'plan', 0, 1);
    expect(second.messages.find((m) => m.role === 'tool')?.content).toContain('1| export const pi = 3.14;');
    const refused = JSON.parse(requestAt(llm, 'plan', 0, 2).messages.filter((m) => m.role === 'tool').at(-1)?.content ?? '{}');
    expect(refused).toMatchObject({ status: 'error', message: expect.stringContaining('Unknown tool "write_files"') });
    expect(requestAt(llm, 'plan', 0, 5).toolChoice).toEqual(forced);
    expect(requestAt(llm, 'step', 1, 0).messages[1]?.content).toMatch(/existing codebase.*keep its existing tests passing/s);
    expect(await store.readAllFiles(run.id)).toMatchObject(files);
  });
});

describe('planning scenario files', () => {
  it('plan-retry: each invalid plan is shown back, then the valid one runs', async () => {
    const scenario = loadScenario('plan-retry');
    const { handle, store } = await startRun(scenario, { sandboxFactory: createNodeSandbox });
    const run = await handle.done;
    expect(run.status, run.statusReason).toBe('completed');
    expect(await store.readAllFiles(run.id)).toEqual(scenario.expectedFiles);
  });

  it('existing-code: planning looks at the imported files; the change keeps the existing test passing', async () => {
    const scenario = loadScenario('existing-code');
    const files = scenario.startingFiles ?? {};
    const { handle, store, llm } = await startRun(scenario, { sandboxFactory: createNodeSandbox, files });
    const run = await handle.done;
    expect(run.status, run.statusReason).toBe('completed');
    expect(run.origin).toMatchObject({ kind: 'import', files: 3 });
    expect(await store.readAllFiles(run.id)).toEqual(scenario.expectedFiles);
    expect(run.report?.check).toMatchObject({ passed: 2, failed: 0 });
    expect(JSON.parse(requestAt(llm, 'plan', 0, 2).messages.at(-2)?.content ?? '').content).toContain('1| export function total(items) {');
    const versions = await store.listVersions(run.id, 'src/cart.js');
    expect(versions.map((v) => [v.version, v.cause, v.step])).toEqual([
      [1, 'start', 0],
      [2, 'tool', 1],
    ]);
  });
});
