import { describe, expect, it } from 'vitest';
import { editStepAndRerun, followUp, restoreFilesToStep, skipStep } from '../../../src/l2mac/controls.ts';
import type { GuardEvent, StepCompletedEvent } from '../../../src/l2mac/events.ts';
import { resumeRun } from '../../../src/l2mac/run.ts';
import { ScriptedLlm } from '../../../src/llm/scripted.ts';
import { createNodeSandbox } from '../../support/node-sandbox.ts';
import { ADD_JS, ADD_TEST_JS, call, makeScenario, requestAt, settings, startRun, turn } from './harness.ts';

const idle = (step: number, n: number) => turn('step', step, n, { content: 'Still thinking.' + ' '.repeat(n) });

describe('the turns-per-step guard', () => {
  it('pauses a step that does not complete in its turns; resuming gives it more', async () => {
    const scenario = makeScenario([
      idle(1, 0),
      idle(1, 1),
      idle(1, 2),
      turn('step', 1, 3, { toolCalls: [call.write({ 'add.js': ADD_JS, 'add.test.js': ADD_TEST_JS }), call.gate()] }),
      turn('summary', 1, 4, { content: 'Done.' }),
      turn('report', 0, 0, { content: 'ok' }),
    ]);
    const limited = settings({ promptProgram: ['Write add.js with tests.'], limits: { turnsPerStep: 3 } });
    const { handle, store, events } = await startRun(scenario, { sandboxFactory: createNodeSandbox, settings: limited });
    const paused = await handle.done;
    expect(paused).toMatchObject({ status: 'paused', pauseReason: 'guard', statusReason: expect.stringContaining('used 3 turns without completing (limit 3)') });
    expect(events.find((e): e is GuardEvent => e.type === 'guard')).toMatchObject({ guard: 'turns-per-step', step: 1 });
    expect(await store.getCheckpoint(paused.id)).toMatchObject({ trippedGuard: 'turns-per-step', stepTurns: 3 });
    const run = await (await resumeRun(paused.id, { store, llm: new ScriptedLlm(scenario), sandboxFactory: createNodeSandbox })).done;
    expect(run.status).toBe('completed');
    expect(run.plan?.[0]?.turns).toBe(4);
  });
});

describe('the spend guard', () => {
  it('pauses before a call once the run has spent its limit, at the model\'s prices', async () => {
    const scenario = makeScenario([
      turn('step', 1, 0, { content: 'thinking' }),
      turn('step', 1, 1, { toolCalls: [call.write({ 'add.js': ADD_JS, 'add.test.js': ADD_TEST_JS }), call.gate()] }),
      turn('summary', 1, 2, { content: 'Done.' }),
      turn('report', 0, 0, { content: 'ok' }),
    ]);
    // $10 per million input tokens: each request of ~2,000 tokens costs about 2 cents.
    const llm = new ScriptedLlm(scenario, { model: { prices: { input: 10, cachedInput: 1, output: 10 } } });
    const { handle, store } = await startRun(scenario, { llm, sandboxFactory: createNodeSandbox, settings: settings({ promptProgram: ['Write add.js.'], limits: { spendPerRun: 0.01 } }) });
    const paused = await handle.done;
    expect(paused).toMatchObject({ status: 'paused', pauseReason: 'guard', statusReason: expect.stringMatching(/has spent \$0\.0\d of its \$0\.01 limit/) });
    expect(llm.requests).toHaveLength(1);
    expect(paused.usage.costUsd).toBeGreaterThan(0.01);
    expect(paused.usage.calls).toBe(1);
    const resumed = new ScriptedLlm(scenario, { model: { prices: { input: 10, cachedInput: 1, output: 10 } } });
    const run = await (await resumeRun(paused.id, { store, llm: resumed, sandboxFactory: createNodeSandbox })).done;
    // Resuming allows another $0.01: one more call, then the guard trips again.
    expect(run).toMatchObject({ status: 'paused', pauseReason: 'guard' });
    expect(resumed.requests).toHaveLength(1);
  });
});

const twoSteps = ['Write add.js with tests.', 'Write sub.js with tests.'];
const SUB_JS = 'export const sub = (a, b) => a - b;\n';
const SUB_TEST_JS = "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { sub } from './sub.js';\ntest('subs', () => assert.equal(sub(3, 2), 1));\n";

describe('skip, edit and re-run, restore', () => {
  const stuck = makeScenario([
    turn('step', 1, 0, { toolCalls: [call.write({ 'add.js': ADD_JS, 'add.test.js': ADD_TEST_JS })] }),
    turn('step', 1, 1, { toolCalls: [call.gate()] }),
    turn('summary', 1, 2, { content: 'add.js written.' }),
    turn('step', 2, 0, { toolCalls: [call.write({ 'sub.js': 'export const sub = (a, b) => a + b;\n', 'notes.txt': 'wip' })] }),
    idle(2, 1),
  ]);
  const limited = settings({ promptProgram: twoSteps, limits: { turnsPerStep: 2 } });

  it('skip: the step is marked skipped, its files stay, and the run goes on', async () => {
    const { handle, store } = await startRun(stuck, { sandboxFactory: createNodeSandbox, settings: limited });
    const paused = await handle.done;
    expect(paused.pauseReason).toBe('guard');
    const events: StepCompletedEvent[] = [];
    const llm = new ScriptedLlm(makeScenario([turn('report', 0, 0, { content: 'ok' })]));
    const run = await (await skipStep(paused.id, { store, llm, sandboxFactory: createNodeSandbox, onEvent: (e) => e.type === 'step-completed' && events.push(e) })).done;
    expect(run.status).toBe('completed');
    expect(run.plan?.map((s) => s.state)).toEqual(['completed', 'skipped']);
    expect(events).toMatchObject([{ step: 2, outcome: 'skipped' }]);
    expect(Object.keys(await store.readAllFiles(run.id)).sort()).toEqual(['add.js', 'add.test.js', 'notes.txt', 'sub.js']);
  });

  it('edit and re-run: the files go back to the end of the step before (as new versions) and the edited step runs', async () => {
    const { handle, store } = await startRun(stuck, { sandboxFactory: createNodeSandbox, settings: limited });
    const paused = await handle.done;
    const rerun = makeScenario([
      turn('step', 2, 0, { toolCalls: [call.write({ 'sub.js': SUB_JS, 'sub.test.js': SUB_TEST_JS }), call.gate()] }),
      turn('summary', 2, 1, { content: 'sub.js written.' }),
      turn('report', 0, 0, { content: 'ok' }),
    ]);
    const llm = new ScriptedLlm(rerun);
    const run = await (await editStepAndRerun(paused.id, 1, 'Write sub.js (subtraction) with a test.', { store, llm, sandboxFactory: createNodeSandbox })).done;
    expect(run.status).toBe('completed');
    expect(run.plan?.map((s) => [s.instruction, s.state])).toEqual([
      ['Write add.js with tests.', 'completed'],
      ['Write sub.js (subtraction) with a test.', 'completed'],
    ]);
    const first = requestAt(llm, 'step', 2, 0).messages[1]?.content ?? '';
    expect(first).toContain('Write sub.js (subtraction) with a test.');
    expect(first).toContain('add.js written.');
    expect(first).not.toContain('notes.txt');
    expect(Object.keys(await store.readAllFiles(run.id)).sort()).toEqual(['add.js', 'add.test.js', 'sub.js', 'sub.test.js']);
    const notes = await store.listVersions(run.id, 'notes.txt');
    expect(notes.map((v) => [v.version, v.cause, v.hash === null])).toEqual([
      [1, 'tool', false],
      [2, 'restore', true],
    ]);
  });

  it('restore: the files as they were at the end of an earlier step, written as new versions; nothing erased', async () => {
    const { handle, store } = await startRun(stuck, { sandboxFactory: createNodeSandbox, settings: limited });
    const paused = await handle.done;
    const target = await restoreFilesToStep(paused.id, 1, { store });
    expect(Object.keys(target).sort()).toEqual(['add.js', 'add.test.js']);
    expect(await store.readAllFiles(paused.id)).toEqual(target);
    const sub = await store.listVersions(paused.id, 'sub.js');
    expect(sub.map((v) => v.cause)).toEqual(['tool', 'restore']);
    expect(await store.readBlob(sub[0]?.hash ?? '')).toContain('a + b');
    expect((await store.getRun(paused.id))?.status).toBe('paused');
    const none = await restoreFilesToStep(paused.id, 0, { store });
    expect(none).toEqual({});
    expect(await store.readAllFiles(paused.id)).toEqual({});
  });

  it('a follow-up run starts from a finished run\'s files and leaves that run as it was', async () => {
    const first = await startRun(makeScenario([turn('step', 1, 0, { toolCalls: [call.write({ 'add.js': ADD_JS, 'add.test.js': ADD_TEST_JS }), call.gate()] }), turn('summary', 1, 1, { content: 'Done.' }), turn('report', 0, 0, { content: 'ok' })]), {
      sandboxFactory: createNodeSandbox,
      settings: settings({ promptProgram: ['Write add.js.'] }),
    });
    const parent = await first.handle.done;
    const follow = makeScenario([
      turn('plan', 0, 0, { toolCalls: [call.raw('search_files', { pattern: 'export' })] }),
      turn('plan', 0, 1, { toolCalls: [call.plan(['Add sub.js with tests.'])] }),
      turn('step', 1, 0, { toolCalls: [call.write({ 'sub.js': SUB_JS, 'sub.test.js': SUB_TEST_JS }), call.gate()] }),
      turn('summary', 1, 1, { content: 'sub.js added.' }),
      turn('report', 0, 0, { content: 'ok' }),
    ]);
    const llm = new ScriptedLlm(follow);
    const handle = await followUp(parent.id, 'Now add sub(a, b).', { store: first.store, llm, sandboxFactory: createNodeSandbox, settings: settings() });
    const child = await handle.done;
    expect(child).toMatchObject({ status: 'completed', parentRunId: parent.id, origin: { kind: 'follow-up', files: 2 } });
    expect(Object.keys(await first.store.readAllFiles(child.id)).sort()).toEqual(['add.js', 'add.test.js', 'sub.js', 'sub.test.js']);
    expect(Object.keys(await first.store.readAllFiles(parent.id)).sort()).toEqual(['add.js', 'add.test.js']);
    expect(JSON.parse(requestAt(llm, 'plan', 0, 1).messages[3]?.content ?? '').matches).toContain('add.js:1: export function add(a, b) {');
  });

  it('refuses a follow-up of a run that is not completed or cancelled', async () => {
    const { MemoryStore } = await import('../../../src/store/memory.ts');
    const store = new MemoryStore();
    const llm = new ScriptedLlm(makeScenario([]));
    const run = await store.createRun({ task: 't', domain: 'codebase', settings: settings() });
    for (const status of ['planning', 'paused', 'failed'] as const) {
      await store.updateRun(run.id, { status });
      await expect(followUp(run.id, 'more', { store, llm, sandboxFactory: createNodeSandbox, settings: settings() })).rejects.toThrow(
        /completed or cancelled/,
      );
    }
    expect((await store.listRuns()).length).toBe(1);
  });
});

