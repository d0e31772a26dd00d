/**
 * Offline, demos, book export and presets in the browser test page (`harness.offline`): a demo run through
 * the real control unit + IdbStore + WorkerSandbox + the scripted LLM (as the app runs it), the book export
 * as a real download, a preset read from this page's URL fragment and applied with the real key storage,
 * and the service worker's status. Results come back as plain objects.
 */
import { downloadBook } from '../../src/book/download.ts';
import type { BookFormat } from '../../src/book/export.ts';
import type { CheckEvent, RunEvent } from '../../src/l2mac/events.ts';
import { DEFAULT_LIMITS } from '../../src/l2mac/run-state.ts';
import { runL2MAC } from '../../src/l2mac/run.ts';
import { applyPreset, describePreset, readPresetFromHash, type PresetTarget } from '../../src/presets/index.ts';
import { pwaController } from '../../src/pwa/boot.ts';
import { WorkerSandbox } from '../../src/sandbox/worker-sandbox.ts';
import { IdbStore } from '../../src/store/indexeddb.ts';
import { KeyStorage } from '../../src/store/key-storage.ts';
import { createDemoLlm, demoById, demoRunSettings, loadDemo } from '../../src/ui/demos/demo-catalog.ts';

interface DemoRunOptions {
  /** The worker sandbox runs the generated tests; "none" for a book. */
  sandbox: 'worker' | 'none';
  dbName: string;
  delayMs?: number;
}

async function runDemo(id: string, options: DemoRunOptions) {
  const demo = demoById(id);
  if (!demo) throw new Error(`No demo ${id}`);
  const scenario = await loadDemo(demo);
  const store = await IdbStore.open({ name: options.dbName });
  const events: RunEvent[] = [];
  const sandboxKinds: string[] = [];
  try {
    const handle = await runL2MAC({
      task: scenario.task,
      domain: scenario.domain,
      settings: demoRunSettings(scenario, 'worker'),
      store,
      llm: createDemoLlm(scenario, { delayMs: options.delayMs ?? 0 }),
      ...(options.sandbox === 'worker'
        ? {
            sandboxFactory: async () => {
              const sandbox = new WorkerSandbox();
              sandboxKinds.push(sandbox.kind);
              return sandbox;
            },
          }
        : {}),
      onEvent: (event) => events.push(event),
      isOnline: () => navigator.onLine,
    });
    const run = await handle.done;
    const checks = events.filter((e): e is CheckEvent => e.type === 'check');
    return {
      runId: run.id,
      status: run.status,
      statusReason: run.statusReason ?? null,
      scripted: run.settings.llm.provider === 'scripted',
      files: await store.readAllFiles(run.id),
      expectedFiles: scenario.expectedFiles ?? null,
      checks: checks.map((c) => `${c.step}:${c.trigger}:${c.result.ok}`),
      failingTests: checks.flatMap((c) => c.result.failures.map((f) => f.name)),
      sandboxKinds,
      online: navigator.onLine,
    };
  } finally {
    store.close();
  }
}

/** Exports a stored run's files as a book and starts the browser download. */
async function downloadStoredBook(dbName: string, runId: string, format: BookFormat) {
  const store = await IdbStore.open({ name: dbName });
  try {
    const exported = downloadBook(await store.readAllFiles(runId), format);
    return { fileName: exported.fileName, chapters: exported.chapters, missing: exported.missing };
  } finally {
    store.close();
  }
}

const DEFAULT_SETTINGS: PresetTarget = {
  llm: { provider: 'openai', baseURL: 'https://api.openai.com/v1', model: 'gpt-5.4-mini' },
  limits: { ...DEFAULT_LIMITS },
  requirePassingTests: true,
  defaultSandbox: 'auto',
};

/** What the app does on open: read the preset in this page's fragment and apply it to the settings. */
function applyPresetFromLocation(current: PresetTarget = DEFAULT_SETTINGS) {
  const read = readPresetFromHash(window.location.hash);
  if (read === null) return { found: false as const };
  if (!read.ok) return { found: true as const, ok: false as const, error: read.error };
  const keys = new KeyStorage();
  const lines = describePreset(current, read.preset);
  const applied = applyPreset(current, read.preset, keys);
  return { found: true as const, ok: true as const, notices: read.notices, lines, settings: applied.settings, draft: applied.draft, keyCleared: applied.keyCleared, keyStatus: keys.status() };
}

/** Every value the page keeps in Web Storage (to prove a key is or is not there). */
function webStorage() {
  const dump = (storage: Storage) => Object.fromEntries(Array.from({ length: storage.length }, (_, i) => storage.key(i) ?? '').map((k) => [k, storage.getItem(k)]));
  return { local: dump(localStorage), session: dump(sessionStorage) };
}

function saveKey(key: string, baseURL: string) {
  new KeyStorage().save(key, baseURL, 'device');
}

window.harness.offline = {
  runDemo,
  downloadStoredBook,
  applyPresetFromLocation,
  webStorage,
  saveKey,
  pwaStatus: () => ({ ...pwaController().status }),
};
