/**
 * The composition root (DESIGN.md §3): the one place that wires implementations together in the browser.
 * It opens the IndexedDB store (recovering runs a closed tab left running), keeps the key in
 * `KeyStorage`, makes an OpenAI-compatible LLM (with retries) from a run's settings, picks each drive's
 * sandbox, and hands the UI one `AppServices`.
 */
import { NetworkError } from '../errors.ts';
import { abortableSleep, withRetries } from '../llm/retry.ts';
import { lookupModel, resolveModel } from '../llm/models.ts';
import { PROVIDER_PRESETS, providerPreset } from '../llm/providers.ts';
import { estimateRunCost } from '../llm/usage.ts';
import { estimateTextTokens } from '../llm/estimate.ts';
import type { Scenario } from '../llm/scenario.ts';
import type { LlmPort } from '../llm/types.ts';
import { IdbStore } from '../store/indexeddb.ts';
import { KeyStorage, originOf } from '../store/key-storage.ts';
import { requestPersistentStorage } from '../store/persist.ts';
import { recoverInterruptedRuns } from '../store/recovery.ts';
import type { AppStore, RunRecord } from '../store/types.ts';
import { createDemoLlm, DEMOS, demoRunSettings, demoSandboxChoice, loadDemo } from '../ui/demos/demo-catalog.ts';
import { downloadName, saveDownload } from './download.ts';
import { BrowserRunEnvironment } from './environment.ts';
import { BrowserRunDriver } from './run-driver.ts';
import { withKeyRedacted } from './redact-key.ts';
import { followRun, RunChangeChannel } from './run-follower.ts';
import { PageSandboxes } from './sandboxes.ts';
import { SettingsRepository } from './settings-repository.ts';
import type { AppServices, LlmCatalog } from './types.ts';

/**
 * Waiting to retry while the browser is offline only delays the pause: the wait fails at once, so the run
 * pauses for `offline` (DESIGN.md §4) and resumes by itself when the browser is back online.
 */
export function offlineAwareSleep(ms: number, signal?: AbortSignal, online: () => boolean = () => navigator.onLine): Promise<void> {
  if (!online()) return Promise.reject(new NetworkError('The browser is offline.'));
  return abortableSleep(ms, signal);
}

/**
 * The stream idle limit of `?streamIdleMs=<positive integer>` in the page URL, so an end-to-end test of a
 * stalled stream need not wait the 60 s default (as `?wcBootMs=` does for WebContainer); else undefined.
 */
export function streamIdleMsFromSearch(search: string): number | undefined {
  const raw = new URLSearchParams(search).get('streamIdleMs')?.trim();
  if (!raw || !/^\d+$/.test(raw)) return undefined;
  const value = Number(raw);
  return value > 0 && Number.isSafeInteger(value) ? value : undefined;
}

/** Thrown when a run needs a key and none is stored for its base URL's origin. */
export class MissingKeyError extends Error {
  override name = 'MissingKeyError';
}

export const llmCatalog: LlmCatalog = {
  presets: PROVIDER_PRESETS,
  lookupModel: (id, provider) => lookupModel(id, {}, provider) ?? null,
  resolveModel: (settings) => resolveModel(settings) ?? null,
  testConnection: async (settings, apiKey, signal) => (await import('../llm/connection-test.ts')).testConnection(settings, apiKey, { signal }),
  estimateCost: ({ model, steps, task, completionReserveCap }) =>
    estimateRunCost({ model, steps, taskTokens: estimateTextTokens(task), completionReserveCap }),
};

/** The scenario of a scripted demo run (kept while this page lives; found again by task after a reload). */
class DemoScenarios {
  private readonly byTask = new Map<string, Scenario>();

  remember(scenario: Scenario): void {
    this.byTask.set(scenario.task, scenario);
  }

  async forRun(run: Pick<RunRecord, 'task'>): Promise<Scenario> {
    const known = this.byTask.get(run.task);
    if (known) return known;
    for (const demo of DEMOS) {
      const scenario = await loadDemo(demo).catch(() => null);
      if (scenario) this.remember(scenario);
      if (scenario?.task === run.task) return scenario;
    }
    throw new Error('This scripted demo’s recorded replies could not be found, so it cannot continue.');
  }
}

export interface ComposeOptions {
  /** IndexedDB database name (tests may isolate themselves). */
  dbName?: string;
  onStoreClosed?: () => void;
}

export async function createAppServices(options: ComposeOptions = {}): Promise<AppServices> {
  const changes = new RunChangeChannel(`l2mac-run-changes:${options.dbName ?? 'default'}`);
  const idb = await IdbStore.open({
    ...(options.dbName ? { name: options.dbName } : {}),
    ...(options.onStoreClosed ? { onVersionChange: options.onStoreClosed } : {}),
    onRunChanged: (runId) => changes.announce(runId),
  });
  const store: AppStore = idb;
  await recoverInterruptedRuns(store);
  void requestPersistentStorage();

  const keys = new KeyStorage();
  const sandboxes = new PageSandboxes();
  const environment = new BrowserRunEnvironment();
  const settings = new SettingsRepository(store);
  const demos = new DemoScenarios();

  const createLlm = async (run: Pick<RunRecord, 'settings' | 'task'>): Promise<LlmPort> => {
    const { llm, model, limits } = run.settings;
    if (llm.provider === 'scripted') return createDemoLlm(await demos.forRun(run));
    const key = keys.read(llm.baseURL).key;
    if (!key && providerPreset(llm.provider)?.needsKey !== false) {
      throw new MissingKeyError(`No API key is stored for ${originOf(llm.baseURL) ?? llm.baseURL}: enter it in Settings, then try again.`);
    }
    const { createOpenAiLlm } = await import('../llm/openai.ts');
    const idleMs = streamIdleMsFromSearch(location.search);
    const inner = await createOpenAiLlm(idleMs ? { ...llm, streamIdleMs: idleMs } : llm, key ?? '', model, { completionReserveCap: limits.completionReserveCap });
    return withRetries(withKeyRedacted(inner, key ?? ''), { maxRetries: limits.llmRetries, sleep: offlineAwareSleep });
  };

  const driver = new BrowserRunDriver({
    store,
    createLlm,
    sandboxFactory: (choice) => sandboxes.factory(choice),
    settings: () => settings.load(),
    resolveModel: (llm) => resolveModel(llm) ?? null,
    isOnline: () => navigator.onLine,
  });

  return {
    store,
    driver,
    keys,
    llm: llmCatalog,
    environment,
    sandboxInfo: () => ({ state: sandboxes.state, webContainerProblem: sandboxes.webContainerProblem() }),
    onSandboxState: (listener) => sandboxes.onState(listener),
    onServerPreview: (listener) => sandboxes.onPreview(listener),
    followRun: (runId, onChange) =>
      followRun({ store, onRunChanged: (listener) => changes.subscribe(listener), waitForLock: (id, signal) => idb.waitForLock(id, signal) }, runId, onChange),
    loadSettings: () => settings.load(),
    saveSettings: (next) => settings.save(next),
    async downloadZip(runId) {
      const run = await store.getRun(runId);
      const files = await store.readAllFiles(runId);
      const { zipFiles } = await import('../store/export.ts');
      saveDownload(zipFiles(files), downloadName(run?.title || run?.task || 'l2mac-run', '.zip'));
    },
    async startDemo(scenario) {
      demos.remember(scenario);
      return driver.startWith(demoRunSettings(scenario, demoSandboxChoice(navigator.onLine)), { task: scenario.task, domain: scenario.domain });
    },
  };
}
