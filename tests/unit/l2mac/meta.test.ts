import { describe, expect, it } from 'vitest';
import { requestTokens, toolMessageProblems } from '../../../src/l2mac/context.ts';
import { deriveRequestMeta } from '../../../src/llm/scenario.ts';
import { ScriptedLlm } from '../../../src/llm/scripted.ts';
import type { CompletionRequest } from '../../../src/llm/types.ts';
import { createNodeSandbox } from '../../support/node-sandbox.ts';
import { ADD_JS, ADD_TEST_JS, call, loadScenario, makeScenario, settings, startRun, turn } from './harness.ts';

/** What the mock server sees: the wire request, no meta. */
function derived(request: CompletionRequest) {
  const { runId: _runId, ...meta } = deriveRequestMeta({
    messages: request.messages,
    ...(request.tools ? { tools: request.tools } : {}),
    ...(request.toolChoice ? { tool_choice: request.toolChoice } : {}),
  });
  return meta;
}

function expectConsistent(requests: CompletionRequest[]): void {
  expect(requests.length).toBeGreaterThan(0);
  for (const request of requests) {
    const { runId: _runId, ...meta } = request.meta;
    expect(derived(request), JSON.stringify(meta)).toEqual(meta);
    expect(toolMessageProblems(request.messages)).toEqual([]);
    expect(request.messages.at(-1)?.role).toBe('user');
  }
}

describe('requests carry meta the mock server can derive from the request alone', () => {
  it('the three-step scenario', async () => {
    const scenario = loadScenario('three-step-fix');
    const { handle, llm } = await startRun(scenario, { sandboxFactory: createNodeSandbox });
    expect((await handle.done).status).toBe('completed');
    expectConsistent(llm.requests);
    expect(new Set(llm.requests.map((r) => r.meta.kind))).toEqual(new Set(['plan', 'step', 'summary', 'report']));
  });

  it('planning over files with retries, and a context restart', async () => {
    const filler = 'some filler text for the context\n'.repeat(150);
    const scenario = makeScenario([
      turn('plan', 0, 0, { toolCalls: [call.raw('list_files', {})] }),
      turn('plan', 0, 1, { toolCalls: [call.plan([])] }),
      turn('plan', 0, 2, { toolCalls: [call.plan(['Write add.js with tests.'])] }),
      turn('step', 1, 0, { toolCalls: [call.write({ 'filler.txt': filler })] }),
      turn('progress', 1, 0, { content: 'filler.txt written.' }),
      turn('step', 1, 0, { toolCalls: [call.write({ 'add.js': ADD_JS, 'add.test.js': ADD_TEST_JS }), call.gate()] }, { restart: 1 }),
      turn('summary', 1, 1, { content: 'Done.' }, { restart: 1 }),
      turn('report', 0, 0, { content: 'ok' }),
    ]);
    const probe = await startRun(scenario, { sandboxFactory: createNodeSandbox, files: { 'README.md': '# x' } });
    await probe.handle.done;
    const first = probe.llm.requests.find((r) => r.meta.kind === 'step') as CompletionRequest;
    const fixed = requestTokens(probe.llm, first.messages, first.tools);

    const llm = new ScriptedLlm(scenario, { model: { contextWindow: fixed + 1500, maxOutputTokens: 1000 } });
    const { handle } = await startRun(scenario, { llm, sandboxFactory: createNodeSandbox, files: { 'README.md': '# x' }, settings: settings() });
    expect((await handle.done).status).toBe('completed');
    expectConsistent(llm.requests);
    expect(llm.requests.map((r) => `${r.meta.kind}/${r.meta.turn}@${r.meta.restart}`)).toEqual([
      'plan/0@0',
      'plan/1@0',
      'plan/2@0',
      'step/0@0',
      'progress/0@0',
      'step/0@1',
      'summary/1@1',
      'report/0@0',
    ]);
  });

  it('within a step, every request extends the one before it (provider prompt caching)', async () => {
    const scenario = loadScenario('three-step-fix');
    const { handle, llm } = await startRun(scenario, { sandboxFactory: createNodeSandbox });
    await handle.done;
    for (const step of [1, 2, 3]) {
      const requests = llm.requests.filter((r) => r.meta.step === step && (r.meta.kind === 'step' || r.meta.kind === 'summary'));
      for (let i = 1; i < requests.length; i++) {
        const before = requests[i - 1]?.messages ?? [];
        expect(requests[i]?.messages.slice(0, before.length)).toEqual(before);
        expect(requests[i]?.tools).toEqual(requests[0]?.tools);
      }
    }
  });
});
