/**
 * Issue 12, "LLM and network": a run paused because the provider refused its key or does not know its
 * model says "fix it in Settings, then resume". Resume must then use the Settings as they are now (the run
 * records them), not the snapshot taken when the run started; other pauses keep the snapshot.
 */
import { describe, expect, it } from 'vitest';
import { BrowserRunDriver } from '../../../src/app/run-driver.ts';
import { defaultSettings } from '../../../src/app/settings-repository.ts';
import type { AppSettings } from '../../../src/app/types.ts';
import { ModelNotFoundError, ServerError } from '../../../src/errors.ts';
import { DEFAULT_LIMITS } from '../../../src/l2mac/run-state.ts';
import { SCRIPTED_MODEL, ScriptedLlm } from '../../../src/llm/scripted.ts';
import type { CompleteOptions, CompletionRequest, CompletionResult, LlmPort } from '../../../src/llm/types.ts';
import { MemoryStore } from '../../../src/store/memory.ts';
import type { RunRecord } from '../../../src/store/types.ts';
import { FakeSandbox } from '../../support/fake-sandbox.ts';
import { loadScenario } from '../l2mac/harness.ts';

const scenario = loadScenario('plan-retry');

/** An LLM whose every call fails with `error`. */
function failingLlm(error: () => Error): LlmPort {
  const inner = new ScriptedLlm(scenario);
  return {
    model: inner.model,
    countTokens: (m) => inner.countTokens(m),
    countToolTokens: (t) => inner.countToolTokens(t),
    complete: async (_request: CompletionRequest, _options?: CompleteOptions): Promise<CompletionResult> => {
      throw error();
    },
  };
}

function setup(firstError: () => Error) {
  const store = new MemoryStore();
  let saved: AppSettings = { ...defaultSettings(), llm: { provider: 'custom', baseURL: 'http://127.0.0.1:9/v1', model: 'gone-model' } };
  const usedModels: string[] = [];
  const driver = new BrowserRunDriver({
    store,
    createLlm: async (run) => {
      usedModels.push(run.settings.llm.model);
      return run.settings.llm.model === 'gone-model' ? failingLlm(firstError) : new ScriptedLlm(scenario);
    },
    sandboxFactory: () => async () => new FakeSandbox(),
    settings: async () => saved,
    resolveModel: (llm) => ({ ...SCRIPTED_MODEL, id: llm.model }),
    isOnline: () => true,
  });
  const ended: string[] = [];
  driver.onDriveEnd((runId) => ended.push(runId));
  const until = async (check: () => boolean) => {
    for (let i = 0; i < 1000 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
    if (!check()) throw new Error('condition not reached');
  };
  const start = () =>
    driver.start({ task: scenario.task, domain: 'codebase', limits: { ...DEFAULT_LIMITS, maxSteps: 3 }, requirePassingTests: false, sandbox: 'worker', planFirst: false });
  return { store, driver, ended, until, usedModels, start, setSaved: (next: AppSettings) => (saved = next) };
}

describe('resuming a run paused for its provider settings', () => {
  it('an unknown model: after the model is fixed in Settings, Resume uses it, records it in the run, and completes', async () => {
    const t = setup(() => new ModelNotFoundError('404 The model `gone-model` does not exist or you do not have access to it.', 'gone-model'));
    const runId = await t.start();
    await t.until(() => t.ended.length === 1);
    const paused = (await t.store.getRun(runId)) as RunRecord;
    expect(paused).toMatchObject({ status: 'paused', pauseReason: 'model-not-found' });
    expect(paused.statusReason).toContain('Check the model name in Settings, then resume.');

    t.setSaved({ ...defaultSettings(), llm: { provider: 'custom', baseURL: 'http://127.0.0.1:9/v1', model: 'mock-coder-1' } });
    await t.driver.resume(runId);
    await t.until(() => t.ended.length === 2);
    const run = (await t.store.getRun(runId)) as RunRecord;
    expect(run.status).toBe('completed');
    expect(t.usedModels).toEqual(['gone-model', 'mock-coder-1']);
    expect(run.settings.llm.model).toBe('mock-coder-1');
    expect(run.settings.model.id).toBe('mock-coder-1');
    expect(await t.store.readAllFiles(runId)).toEqual(scenario.expectedFiles);
  });

  it('a pause that Settings cannot fix (retries exhausted) resumes with the run’s own settings', async () => {
    const t = setup(() => new ServerError('500 The server had an error.', 500));
    const runId = await t.start();
    await t.until(() => t.ended.length === 1);
    expect(await t.store.getRun(runId)).toMatchObject({ status: 'paused', pauseReason: 'retries-exhausted' });
    t.setSaved({ ...defaultSettings(), llm: { provider: 'custom', baseURL: 'http://127.0.0.1:9/v1', model: 'mock-coder-1' } });
    await t.driver.resume(runId);
    await t.until(() => t.ended.length === 2);
    expect(t.usedModels).toEqual(['gone-model', 'gone-model']);
    expect((await t.store.getRun(runId))?.settings.llm.model).toBe('gone-model');
  });
});
