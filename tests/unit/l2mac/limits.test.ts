import { describe, expect, it } from 'vitest';
import { NetworkError } from '../../../src/errors.ts';
import type { RetryWaitEvent, TextDeltaEvent } from '../../../src/l2mac/events.ts';
import { resumeRun, settingsProblem } from '../../../src/l2mac/run.ts';
import { DEFAULT_LIMITS } from '../../../src/l2mac/run-state.ts';
import { ScriptedLlm } from '../../../src/llm/scripted.ts';
import type { ExecOptions } from '../../../src/sandbox/types.ts';
import { faultyLlm } from '../../support/fake-llm.ts';
import { FakeSandbox } from '../../support/fake-sandbox.ts';
import { createNodeSandbox } from '../../support/node-sandbox.ts';
import { ADD_JS, ADD_TEST_JS, call, makeScenario, oneStepTurns, requestAt, settings, startRun, turn } from './harness.ts';

const program = settings({ promptProgram: ['Write add.js with tests.'] });

describe('guard defaults (DESIGN.md §4 table)', () => {
  it('are the documented ones', () => {
    expect(DEFAULT_LIMITS).toMatchObject({
      maxSteps: 10,
      turnsPerStep: 40,
      restartsPerStep: 5,
      toolCallsPerReply: 20,
      spendPerRun: 2,
      repeatedReplies: 3,
      testTimeoutPerFileMs: 10_000,
      testTimeoutPerRunMs: 60_000,
      runFileTimeoutMs: 10_000,
      llmRetries: 6,
      completionReserveCap: 8192,
      planRetries: 3,
      planExploreTurns: 5,
    });
  });

  it('a plan cap past 30, a negative guard or a program longer than the cap is refused before a run is created', async () => {
    expect(settingsProblem(settings())).toBeNull();
    expect(settingsProblem(settings({ limits: { maxSteps: 31 } }))).toMatch(/from 1 to 30/);
    expect(settingsProblem(settings({ limits: { turnsPerStep: -1 } }))).toMatch(/turnsPerStep/);
    expect(settingsProblem(settings({ limits: { maxSteps: 1 }, promptProgram: ['a', 'b'] }))).toMatch(/2 steps/);
    const scenario = makeScenario(oneStepTurns());
    await expect(startRun(scenario, { settings: settings({ limits: { maxSteps: 31 } }) })).rejects.toThrow(/Invalid run settings/);
  });

  it('gives the sandbox the per-file and per-run test timeouts', async () => {
    const seen: ExecOptions[] = [];
    const sandbox = new FakeSandbox((_files, _paths, options) => {
      if (options) seen.push(options);
      return {};
    });
    const limited = settings({ promptProgram: ['Write add.js with tests.'], limits: { testTimeoutPerFileMs: 1234, testTimeoutPerRunMs: 5678 } });
    await (await startRun(makeScenario(oneStepTurns()), { sandbox, settings: limited })).handle.done;
    expect(seen.length).toBeGreaterThan(0);
    for (const options of seen) expect(options).toMatchObject({ perFileTimeoutMs: 1234, timeoutMs: 5678 });
  });
});

describe('run_file (DESIGN §5)', () => {
  it('gives the sandbox the run_file time limit of the run\'s settings', async () => {
    const sandbox = new FakeSandbox();
    const turns = [
      turn('step', 1, 0, { toolCalls: [call.write({ 'add.js': ADD_JS, 'add.test.js': ADD_TEST_JS })] }),
      turn('step', 1, 1, { toolCalls: [call.raw('run_file', { file_name_to_run: 'add.js', arguments: ['7'] })] }),
      turn('step', 1, 2, { toolCalls: [call.gate()] }),
      turn('summary', 1, 3, { content: 'Step 1 wrote add.js.' }),
      turn('report', 0, 0, { content: '- add: done' }),
    ];
    const limited = settings({ promptProgram: ['Write add.js with tests.'], limits: { runFileTimeoutMs: 4321 } });
    const run = await (await startRun(makeScenario(turns), { sandbox, settings: limited })).handle.done;
    expect(run.status).toBe('completed');
    expect(sandbox.fileRuns).toHaveLength(1);
    expect(sandbox.fileRuns[0]).toMatchObject({ path: 'add.js', args: ['7'], options: { timeoutMs: 4321 } });
  });
});

describe('the LLM port\'s callbacks become events', () => {
  it('retry waits are durable events published while the call waits; streamed text is transient, with discards', async () => {
    const scenario = makeScenario(oneStepTurns());
    const inner = new ScriptedLlm(scenario, { chunkSize: 4 });
    let publishedBeforeReply = false;
    const events: { type: string }[] = [];
    const llm = faultyLlm(inner, (request, _index, options) => {
      if (request.meta.kind !== 'summary') return undefined;
      options.onDelta?.('half a rep');
      options.onDiscard?.();
      options.onWait?.({ attempt: 1, maxAttempts: 6, delayMs: 1000, reason: 'stream-broken', message: 'The stream broke.' });
      return new Promise<void>((resolve) => setTimeout(resolve, 20)).then(() => {
        publishedBeforeReply = events.some((e) => e.type === 'retry-wait');
      });
    });
    const { handle, store } = await startRun(scenario, { llm, sandboxFactory: createNodeSandbox, settings: program, onEvent: (e) => events.push(e) });
    const run = await handle.done;
    expect(run.status).toBe('completed');
    expect(publishedBeforeReply).toBe(true);
    const stored = await store.listEvents(run.id);
    expect(stored.find((e): e is RetryWaitEvent => e.type === 'retry-wait')).toMatchObject({ attempt: 1, delayMs: 1000, reason: 'stream-broken' });
    expect(stored.some((e) => (e.type as string) === 'text-delta')).toBe(false);
    const deltas = events.filter((e): e is TextDeltaEvent => e.type === 'text-delta' && (e as TextDeltaEvent).kind === 'summary');
    expect(deltas.slice(0, 2).map((d) => (d.discard ? '<discard>' : d.text))).toEqual(['half a rep', '<discard>']);
    expect(deltas.slice(2).map((d) => d.text).join('')).toBe('Step 1 wrote add.js.');
    expect(deltas.slice(2).length).toBeGreaterThan(1);
  });
});

describe('offline and notes', () => {
  it('a network failure while the browser is offline pauses with reason offline; a note given on resume reaches the agent', async () => {
    const scenario = makeScenario([
      turn('step', 1, 0, { toolCalls: [call.write({ 'add.js': ADD_JS, 'add.test.js': ADD_TEST_JS })] }),
      turn('step', 1, 1, { content: 'Let me check the tests once more.' }),
      turn('step', 1, 2, { toolCalls: [call.gate()] }),
      turn('summary', 1, 3, { content: 'Done.' }),
      turn('report', 0, 0, { content: 'ok' }),
    ]);
    let online = true;
    const llm = faultyLlm(new ScriptedLlm(scenario), (r) => {
      if (r.meta.kind !== 'step' || r.meta.turn !== 1) return undefined;
      online = false;
      return new NetworkError('Failed to fetch');
    });
    const { handle, store } = await startRun(scenario, { llm, sandboxFactory: createNodeSandbox, settings: program, isOnline: () => online });
    const paused = await handle.done;
    expect(paused).toMatchObject({ status: 'paused', pauseReason: 'offline' });
    online = true;
    const resumed = new ScriptedLlm(scenario);
    const run = await (await resumeRun(paused.id, { store, llm: resumed, sandboxFactory: createNodeSandbox }, { note: 'Keep it short.' })).done;
    expect(run.status).toBe('completed');
    expect(requestAt(resumed, 'step', 1, 1).messages.some((m) => m.content?.includes('Keep it short.'))).toBe(false);
    expect(requestAt(resumed, 'step', 1, 2).messages.at(-1)?.content).toContain('Keep it short.');
    expect((await store.getCheckpoint(run.id))?.pendingNote).toBeNull();
  });
});
