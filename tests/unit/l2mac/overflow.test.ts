import { describe, expect, it } from 'vitest';
import { ContextLengthError } from '../../../src/errors.ts';
import { requestTokens, toolMessageProblems } from '../../../src/l2mac/context.ts';
import { resumeRun } from '../../../src/l2mac/run.ts';
import type { RestartEvent } from '../../../src/l2mac/events.ts';
import { PROGRESS_REQUEST_MARKER } from '../../../src/l2mac/prompts/markers.ts';
import { ScriptedLlm } from '../../../src/llm/scripted.ts';
import type { CompleteOptions, CompletionRequest, CompletionResult, LlmPort } from '../../../src/llm/types.ts';
import type { Scenario } from '../../../src/llm/scenario.ts';
import { createNodeSandbox } from '../../support/node-sandbox.ts';
import { ADD_JS, ADD_TEST_JS, call, makeScenario, requestAt, settings, startRun, turn } from './harness.ts';

const FILLER = 'filler line with some words in it\n'.repeat(200);
const program = settings({ promptProgram: ['Write add.js with tests.'] });

/** Tokens of the step's first request, measured by a run with room to spare. */
async function firstStepRequestTokens(scenario: Scenario): Promise<number> {
  const { handle, llm } = await startRun(scenario, { sandboxFactory: createNodeSandbox, settings: program });
  await handle.done;
  const first = requestAt(llm, 'step', 1, 0);
  return requestTokens(llm, first.messages, first.tools);
}

const finish = (restart: number) => [
  turn('step', 1, 0, { toolCalls: [call.write({ 'add.js': ADD_JS, 'add.test.js': ADD_TEST_JS }), call.gate()] }, { restart }),
  turn('summary', 1, 1, { content: 'add.js is done.' }, { restart }),
  turn('report', 0, 0, { content: 'ok' }),
];

/** A window with room for the fresh context and a reply, but not for the filler the model writes. */
function smallModel(fixed: number) {
  return { contextWindow: fixed + 1500, maxOutputTokens: 1000 };
}

describe('context overflow (DESIGN.md §4)', () => {
  it('drops whole turns, asks for a progress summary with tool_choice none, and restarts the step from it', async () => {
    const scenario = makeScenario([
      turn('step', 1, 0, { toolCalls: [call.write({ 'notes/filler.txt': FILLER })] }),
      turn('progress', 1, 0, { content: 'notes/filler.txt is written; add.js and its test remain.' }),
      ...finish(1),
    ]);
    const fixed = await firstStepRequestTokens(scenario);
    const llm = new ScriptedLlm(scenario, { model: smallModel(fixed) });
    const { handle, store, events } = await startRun(scenario, { llm, sandboxFactory: createNodeSandbox, settings: program });
    const run = await handle.done;
    expect(run.status).toBe('completed');

    for (const request of llm.requests) {
      expect(toolMessageProblems(request.messages)).toEqual([]);
      expect(requestTokens(llm, request.messages, request.tools)).toBeLessThanOrEqual(llm.model.contextWindow - 1000);
    }
    const progress = requestAt(llm, 'progress', 1, 0);
    expect(progress.toolChoice).toBe('none');
    expect(progress.messages.map((m) => m.role)).toEqual(['system', 'user', 'user']);
    expect(progress.messages.at(-1)?.content?.startsWith(PROGRESS_REQUEST_MARKER)).toBe(true);

    const restarted = requestAt(llm, 'step', 1, 0, 1);
    expect(restarted.messages).toHaveLength(2);
    expect(restarted.messages[1]?.content).toMatch(/^Step 1 of 1\. Context restart 1\./);
    expect(restarted.messages[1]?.content).toContain('notes/filler.txt is written; add.js and its test remain.');
    expect(restarted.messages[1]?.content).toContain('notes/filler.txt (200 lines)');
    expect(events.find((e): e is RestartEvent => e.type === 'restart') ?? {}).toMatchObject({ step: 1, restart: 1, droppedTurns: 1 });
    expect(Object.keys(await store.readAllFiles(run.id)).sort()).toEqual(['add.js', 'add.test.js', 'notes/filler.txt']);
    expect(run.plan?.[0]?.restarts).toBe(1);
  });

  it('takes a context-length error from the provider as an overflow, dropping at least one turn', async () => {
    const scenario = makeScenario([
      turn('step', 1, 0, { toolCalls: [call.raw('list_files', {})] }),
      turn('progress', 1, 0, { content: 'Nothing written yet.' }),
      ...finish(1),
    ]);
    const scripted = new ScriptedLlm(scenario);
    let refused = false;
    const llm: LlmPort = {
      model: scripted.model,
      countTokens: (m) => scripted.countTokens(m),
      countToolTokens: (t) => scripted.countToolTokens(t),
      async complete(request: CompletionRequest, options?: CompleteOptions): Promise<CompletionResult> {
        if (request.meta.kind === 'step' && request.meta.turn === 1 && !refused) {
          refused = true;
          throw new ContextLengthError('This model maximum context length is 4096 tokens.');
        }
        return scripted.complete(request, options);
      },
    };
    const { handle, events } = await startRun(scenario, { llm, sandboxFactory: createNodeSandbox, settings: program });
    expect((await handle.done).status).toBe('completed');
    expect(refused).toBe(true);
    expect(events.find((e) => e.type === 'restart')).toMatchObject({ droppedTurns: 1 });
  });

  it('the restart cap pauses the run; resuming allows more restarts', async () => {
    const fill = { toolCalls: [call.write({ 'notes/filler.txt': FILLER })] };
    const scenario = makeScenario([
      turn('step', 1, 0, fill),
      turn('progress', 1, 0, { content: 'Filler written.' }),
      turn('step', 1, 0, fill, { restart: 1 }),
      turn('progress', 1, 0, { content: 'Filler written again.' }, { restart: 1 }),
      ...finish(2),
    ]);
    const fixed = await firstStepRequestTokens(scenario);
    const capped = settings({ promptProgram: ['Write add.js with tests.'], limits: { restartsPerStep: 1 } });
    const first = await startRun(scenario, { llm: new ScriptedLlm(scenario, { model: smallModel(fixed + 50) }), sandboxFactory: createNodeSandbox, settings: capped });
    const paused = await first.handle.done;
    expect(paused).toMatchObject({ status: 'paused', pauseReason: 'guard' });
    expect(paused.statusReason).toMatch(/filled the model's context 2 times \(limit 1 restarts\)/);
    expect(first.events.filter((e) => e.type === 'guard').map((e) => e.type === 'guard' && e.guard)).toEqual(['restarts-per-step']);

    const llm = new ScriptedLlm(scenario, { model: smallModel(fixed + 50) });
    const resumed = await resumeRun(paused.id, { store: first.store, llm, sandboxFactory: createNodeSandbox });
    const run = await resumed.done;
    expect(run.status).toBe('completed');
    // The rebuilt context still does not fit, so the resumed drive goes straight to the progress summary.
    expect(llm.requests.map((r) => `${r.meta.kind}/${r.meta.turn}@${r.meta.restart}`)).toEqual(['progress/0@1', 'step/0@2', 'summary/1@2', 'report/0@0']);
  });

  it('pauses when not even a fresh step context fits the window', async () => {
    const scenario = makeScenario(finish(0));
    const llm = new ScriptedLlm(scenario, { model: { contextWindow: 1500, maxOutputTokens: 500 } });
    const { handle } = await startRun(scenario, { llm, sandboxFactory: createNodeSandbox, settings: program });
    const run = await handle.done;
    expect(run).toMatchObject({ status: 'paused', pauseReason: 'context-too-small' });
    expect(run.statusReason).toMatch(/context window \(1500 tokens, of which 1000 are left after the reply reserve\) is too small/);
    expect(llm.requests).toHaveLength(0);
  });
});
