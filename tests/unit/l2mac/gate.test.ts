import { describe, expect, it } from 'vitest';
import type { StepCompletedEvent, ToolResultEvent } from '../../../src/l2mac/events.ts';
import type { ScenarioToolCall } from '../../../src/llm/scenario.ts';
import { FakeSandbox } from '../../support/fake-sandbox.ts';
import { createNodeSandbox } from '../../support/node-sandbox.ts';
import { ADD_JS, ADD_TEST_JS, call, makeScenario, requestAt, settings, startRun, turn } from './harness.ts';

const program = (over = {}) => settings({ promptProgram: ['Write add.js with tests.'], ...over });

function gateResults(events: { type: string }[]) {
  return events
    .filter((e): e is ToolResultEvent => e.type === 'tool-result' && (e as ToolResultEvent).name === 'sub_task_step_complete')
    .map((e) => JSON.parse(e.content) as { status: string; message: string; checks?: Record<string, unknown> });
}

/** First gate call fails for the reason under test; then the model writes add.js + test and passes. */
function scenarioAfter(first: ScenarioToolCall[]) {
  return makeScenario([
    turn('step', 1, 0, { toolCalls: [...first, call.gate()] }),
    turn('step', 1, 1, { toolCalls: [call.write({ 'add.js': ADD_JS, 'add.test.js': ADD_TEST_JS }), call.gate()] }),
    turn('summary', 1, 2, { content: 'Done.' }),
    turn('report', 0, 0, { content: 'ok' }),
  ]);
}

describe('the gate (DESIGN.md §4)', () => {
  it('fails a codebase with zero tests, asking for tests', async () => {
    const { handle, events } = await startRun(scenarioAfter([call.write({ 'add.js': ADD_JS })]), { sandboxFactory: createNodeSandbox, settings: program() });
    expect((await handle.done).status).toBe('completed');
    const [first, second] = gateResults(events);
    expect(first).toMatchObject({ status: 'error', message: expect.stringMatching(/there are no tests: write unit tests/) });
    expect(first?.checks).toMatchObject({ tests: 'no test files found' });
    expect(second?.status).toBe('ok');
  });

  it('fails on a syntax error found by the in-app check, with file:line:column', async () => {
    const scenario = scenarioAfter([call.write({ 'add.js': 'export function add(a, b) {\n  return a +;\n}\n', 'add.test.js': ADD_TEST_JS })]);
    const { handle, events, llm } = await startRun(scenario, { sandboxFactory: createNodeSandbox, settings: program() });
    expect((await handle.done).status).toBe('completed');
    const write = JSON.parse(requestAt(llm, 'step', 1, 1).messages[3]?.content ?? '');
    expect(write.checks.syntax_errors[0]).toMatch(/^add\.js:2:\d+: /);
    expect(write.message).toMatch(/Syntax: 1 error .*The checks fail/);
    expect(gateResults(events)[0]?.message).toMatch(/syntax errors: add\.js:2:\d+/);
  });

  it('fails when a test file times out (a timeout is a failure, never a pass)', async () => {
    // Runs 1 and 2 (after the first write, at the first gate) time out; later ones pass.
    let runs = 0;
    const sandbox = new FakeSandbox(() => (++runs <= 2 ? { passed: 1, timedOut: ['add.test.js'] } : { passed: 1 }));
    const { handle, events } = await startRun(scenarioAfter([call.write({ 'add.js': ADD_JS, 'add.test.js': ADD_TEST_JS })]), { sandbox, settings: program() });
    expect((await handle.done).status).toBe('completed');
    expect(gateResults(events)[0]).toMatchObject({ status: 'error', message: expect.stringMatching(/stopped at the time limit \(a time-out fails\): add\.test\.js/) });
  });

  it('"Require passing tests" on: tests the sandbox cannot run fail the gate and say why', async () => {
    let calls = 0;
    const sandbox = new FakeSandbox(() => (++calls <= 2 ? { passed: 0, unsupported: 'add.test.js imports fs, which needs the full sandbox' } : { passed: 1 }), 'worker');
    const { handle, events, llm } = await startRun(scenarioAfter([call.write({ 'add.js': ADD_JS, 'add.test.js': ADD_TEST_JS })]), { sandbox, settings: program() });
    const run = await handle.done;
    expect(run.status).toBe('completed');
    expect(gateResults(events)[0]?.message).toMatch(/cannot run in the active sandbox: add\.test\.js imports fs, which needs the full sandbox\. "Require passing tests" is on/);
    expect(run.plan?.[0]?.testsNotRun).toBeUndefined();
    expect(requestAt(llm, 'step', 1, 0).messages[0]?.content).toContain('worker sandbox');
  });

  it('"Require passing tests" off: the step completes marked "tests not run"', async () => {
    const sandbox = new FakeSandbox(() => ({ passed: 0, unsupported: 'needs the full sandbox' }), 'worker');
    const scenario = makeScenario([
      turn('step', 1, 0, { toolCalls: [call.write({ 'add.js': ADD_JS, 'add.test.js': ADD_TEST_JS }), call.gate()] }),
      turn('summary', 1, 1, { content: 'Done.' }),
      turn('report', 0, 0, { content: 'ok' }),
    ]);
    const { handle, events } = await startRun(scenario, { sandbox, settings: program({ requirePassingTests: false }) });
    const run = await handle.done;
    expect(run.status).toBe('completed');
    expect(gateResults(events)[0]).toMatchObject({ status: 'ok', message: expect.stringContaining('tests not run') });
    expect(run.plan?.[0]?.testsNotRun).toBe(true);
    expect(events.find((e): e is StepCompletedEvent => e.type === 'step-completed')?.testsNotRun).toBe(true);
    expect(run.report?.steps[0]?.testsNotRun).toBe(true);
  });

  it('a reply that writes after a passing gate in the same reply has its write counted before the gate', async () => {
    const broken = 'export function add(a, b) {\n  return a - b;\n}\n';
    const scenario = makeScenario([
      turn('step', 1, 0, { toolCalls: [call.write({ 'add.js': broken, 'add.test.js': ADD_TEST_JS })] }),
      turn('step', 1, 1, { toolCalls: [call.gate(), call.write({ 'add.js': ADD_JS })] }),
      turn('summary', 1, 2, { content: 'Done.' }),
      turn('report', 0, 0, { content: 'ok' }),
    ]);
    const sandbox = new FakeSandbox((files) => (files.get('add.js')?.includes('a - b') ? { passed: 0, failed: 1, failures: [{ name: 'adds', file: 'add.test.js', message: 'x' }] } : { passed: 1 }));
    const { handle, store } = await startRun(scenario, { sandbox, settings: program() });
    const run = await handle.done;
    expect(run.status).toBe('completed');
    expect((await store.readAllFiles(run.id))['add.js']).toBe(ADD_JS);
  });
});
