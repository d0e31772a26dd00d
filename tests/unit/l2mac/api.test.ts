import { afterEach, describe, expect, it } from 'vitest';
import { generateCodebase } from '../../../src/api.ts';
import { AbortError, RunPausedError } from '../../../src/errors.ts';
import { RunFailedError } from '../../../src/l2mac/run-errors.ts';
import { ScriptedLlm } from '../../../src/llm/scripted.ts';
import { MemoryStore } from '../../../src/store/memory.ts';
import { createMockServer, type MockServer } from '../../support/mock-server.ts';
import { FakeSandbox } from '../../support/fake-sandbox.ts';
import { createNodeSandbox } from '../../support/node-sandbox.ts';
import { call, loadScenario, makeScenario, turn } from './harness.ts';

const scenario = loadScenario('three-step-fix');
const textstatsSandbox = () =>
  new FakeSandbox((files) =>
    !files.has('src/freq.js') || files.get('src/freq.js')?.includes('toLowerCase') ? { passed: 3 } : { passed: 2, failed: 1, failures: [{ name: 'counts words case-insensitively', file: 'src/freq.test.js', message: 'Expected 2, got 1' }] },
  );

let server: MockServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

describe('generateCodebase (DESIGN.md §4 API)', () => {
  it('returns the final files, driving an OpenAI-compatible endpoint over HTTP (the mock server playing the scenario)', async () => {
    server = await createMockServer({ scenario });
    const files = await generateCodebase(scenario.task, {
      baseURL: server.url,
      apiKey: 'sk-test-not-a-real-key',
      model: 'mock-model',
      modelInfo: { contextWindow: 128_000 },
      sandboxFactory: createNodeSandbox,
      limits: { maxSteps: 3 },
      retry: { maxRetries: 0 },
    });
    expect(files).toEqual(scenario.expectedFiles);
    expect(server.chatRequests).toHaveLength(scenario.turns.length);
    expect(server.chatRequests[0]?.headers.authorization).toBe('Bearer sk-test-not-a-real-key');
  });

  it('refuses to start a codebase that no sandbox could test, unless passing tests are not required', async () => {
    await expect(generateCodebase(scenario.task, { llm: new ScriptedLlm(scenario) })).rejects.toThrow(/needs a sandbox/);
  });

  it('a model the table does not know needs its context window', async () => {
    await expect(generateCodebase('x', { baseURL: 'http://127.0.0.1:9/v1', apiKey: 'k', model: 'my-local-model', sandbox: new FakeSandbox() })).rejects.toThrow(/give modelInfo\.contextWindow/);
  });

  it('rejects with RunPausedError {runId, reason, files} when the run pauses', async () => {
    const store = new MemoryStore();
    const error = await generateCodebase(scenario.task, { llm: new ScriptedLlm(scenario), store, sandbox: textstatsSandbox(), planFirst: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunPausedError);
    const paused = error as RunPausedError;
    expect(paused.reason).toMatch(/plan is ready for review/);
    expect(paused.files).toEqual({});
    expect((await store.getRun(paused.runId))?.pauseReason).toBe('plan-review');
  });

  it('rejects with RunFailedError (files kept) when the run fails, and AbortError when cancelled', async () => {
    const failing = makeScenario([turn('plan', 0, 0, { toolCalls: [call.plan(['Write add.js.'])] }), turn('step', 1, 0, { toolCalls: [call.write({ 'a.txt': 'kept' })] })]);
    const error = await generateCodebase(failing.task, { llm: new ScriptedLlm(failing), sandboxFactory: createNodeSandbox }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunFailedError);
    expect((error as RunFailedError).files).toEqual({ 'a.txt': 'kept' });

    const controller = new AbortController();
    controller.abort();
    await expect(generateCodebase(scenario.task, { llm: new ScriptedLlm(scenario), sandboxFactory: createNodeSandbox, signal: controller.signal })).rejects.toBeInstanceOf(AbortError);
  });
});
