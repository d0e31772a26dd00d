/**
 * `window.harness.import`: existing code and follow-ups in the browser, with the real parts — the
 * ImportFiles and FollowUpDiff components mounted in the page (driven by the spec through their
 * accessible names), the control unit over IdbStore (Chromium's IndexedDB), the worker sandbox and the real
 * OpenAiLlm against the mock server. Until the app's New run form mounts ImportFiles, this is how a spec
 * runs "import, run, follow up, download the patch" in a browser.
 */
import { mount, unmount } from 'svelte';
import { followUp as followUpRun } from '../../src/l2mac/controls.ts';
import { runL2MAC, type DriveDeps } from '../../src/l2mac/run.ts';
import { DEFAULT_LIMITS } from '../../src/l2mac/run-state.ts';
import { resolveModel } from '../../src/llm/models.ts';
import { withRetries } from '../../src/llm/retry.ts';
import type { LlmSettings } from '../../src/llm/types.ts';
import { importOrigin, type ImportResult } from '../../src/import/index.ts';
import { WorkerSandbox } from '../../src/sandbox/worker-sandbox.ts';
import { IdbStore } from '../../src/store/indexeddb.ts';
import type { RunRecord, RunSettings, VersionRecord } from '../../src/store/types.ts';
import FollowUpDiff from '../../src/ui/followup/FollowUpDiff.svelte';
import ImportFiles from '../../src/ui/import/ImportFiles.svelte';

export interface LlmTarget {
  baseURL: string;
  apiKey: string;
  model: string;
  contextWindow: number;
}

export interface RunOutcome {
  run: RunRecord;
  files: Record<string, string>;
}

export interface RunSnapshot extends RunOutcome {
  startingFiles: Record<string, string>;
  versions: VersionRecord[];
}

let store: IdbStore | null = null;
let imported: ImportResult | null = null;
let imports = 0;
const mounted = new Map<string, ReturnType<typeof mount>>();

async function openStore(): Promise<IdbStore> {
  store ??= await IdbStore.open({ name: `followup-${Date.now()}-${Math.random().toString(36).slice(2)}` });
  return store;
}

function host(id: string): HTMLElement {
  const existing = mounted.get(id);
  if (existing) void unmount(existing);
  let element = document.getElementById(id);
  if (!element) {
    element = document.createElement('div');
    element.id = id;
    document.body.append(element);
  }
  return element;
}

async function settingsFor(target: LlmTarget, maxSteps: number): Promise<{ settings: RunSettings; deps: Pick<DriveDeps, 'llm' | 'sandboxFactory' | 'store'> }> {
  const llm: LlmSettings = { provider: 'custom', baseURL: target.baseURL, model: target.model, modelOverrides: { contextWindow: target.contextWindow } };
  const model = resolveModel(llm);
  if (!model) throw new Error(`No model row for ${target.model}.`);
  const { createOpenAiLlm } = await import('../../src/llm/openai.ts');
  const port = withRetries(await createOpenAiLlm(llm, target.apiKey, model), { maxRetries: 0 });
  const settings: RunSettings = { llm, model, limits: { ...DEFAULT_LIMITS, maxSteps }, requirePassingTests: true, sandbox: 'worker', planFirst: false };
  return { settings, deps: { llm: port, store: await openStore(), sandboxFactory: async () => new WorkerSandbox() } };
}

async function outcome(runId: string): Promise<RunOutcome> {
  const s = await openStore();
  const run = await s.getRun(runId);
  if (!run) throw new Error(`No run ${runId}.`);
  return { run, files: { ...(await s.readAllFiles(runId)) } };
}

window.harness.import = {
  /** Mounts ImportFiles; the last finished import is kept for `runImported`. */
  mountImport(options: { directoryPicker?: 'auto' | 'never' } = {}): void {
    const target = host('import-files');
    mounted.set(
      'import-files',
      mount(ImportFiles, {
        target,
        props: {
          directoryPicker: options.directoryPicker ?? 'never',
          onimport: (result: ImportResult) => {
            imported = result;
            imports++;
          },
          onclear: () => {
            imported = null;
          },
        },
      }),
    );
  },

  /** The last import as plain data (the files as a plain object), and how many imports finished. */
  lastImport(): { count: number; result: { files: Record<string, string>; summary: ImportResult['summary'] } | null } {
    return { count: imports, result: imported ? { files: { ...imported.files }, summary: imported.summary } : null };
  },

  /** A run on the imported files, driven to its end. */
  async runImported(target: LlmTarget, task: string, maxSteps = 2): Promise<RunOutcome> {
    if (!imported) throw new Error('Nothing was imported.');
    const { settings, deps } = await settingsFor(target, maxSteps);
    const handle = await runL2MAC({ ...deps, task, domain: 'codebase', settings, files: imported.files, origin: importOrigin(imported.summary) });
    const run = await handle.done;
    return outcome(run.id);
  },

  /** A follow-up task on a finished run, driven to its end. */
  async followUp(parentRunId: string, target: LlmTarget, task: string, maxSteps = 2): Promise<RunOutcome> {
    const { settings, deps } = await settingsFor(target, maxSteps);
    const handle = await followUpRun(parentRunId, task, { ...deps, settings });
    const run = await handle.done;
    return outcome(run.id);
  },

  /** Everything stored of a run, to compare before and after another run. */
  async snapshot(runId: string): Promise<RunSnapshot> {
    const s = await openStore();
    return { ...(await outcome(runId)), startingFiles: { ...(await s.filesAtStep(runId, 0)) }, versions: await s.listVersions(runId) };
  },

  /** Mounts FollowUpDiff for a run (its "Download patch" saves a real download). */
  async mountDiff(runId: string): Promise<void> {
    const s = await openStore();
    const run = await s.getRun(runId);
    mounted.set('follow-up-diff', mount(FollowUpDiff, { target: host('follow-up-diff'), props: { store: s, runId, title: run?.title ?? runId } }));
  },
};
