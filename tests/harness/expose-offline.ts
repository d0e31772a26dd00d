/**
 * Offline, demos, book export and presets in the browser test page (`harness.offline`): a demo run through
 * the real control unit + IdbStore + WorkerSandbox + the scripted LLM (as the app runs it), the book export
 * as a real download, a preset read from this page's URL fragment and applied with the real key storage,
 * and the service worker's status. Results come back as plain objects.
 */
import { mount, unmount } from 'svelte';
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
import { createDemoLlm, demoById, demoRunSettings, loadDemo, type DemoEntry } from '../../src/ui/demos/demo-catalog.ts';
import DemoGallery from '../../src/ui/demos/DemoGallery.svelte';
import CopyPresetLink from '../../src/ui/presets/CopyPresetLink.svelte';
import PresetBanner from '../../src/ui/presets/PresetBanner.svelte';
import type { AppliedPreset, PresetRunDraft } from '../../src/presets/index.ts';

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

/** A fresh element for a component under test. */
function host(): HTMLElement {
  const element = document.createElement('div');
  document.body.append(element);
  return element;
}

/**
 * Mounts the demo gallery wired the way the app should wire it: the started demo runs through the real
 * control unit, IdbStore and WorkerSandbox. The run's result lands in `window.galleryRuns`.
 */
function mountGallery(dbName: string) {
  const runs: unknown[] = [];
  (window as unknown as { galleryRuns: unknown[] }).galleryRuns = runs;
  const component = mount(DemoGallery, {
    target: host(),
    props: {
      online: navigator.onLine,
      onStart: async (demo: DemoEntry) => {
        runs.push(await runDemo(demo.id, { sandbox: demo.domain === 'codebase' ? 'worker' : 'none', dbName }));
      },
    },
  });
  return { unmount: () => unmount(component) };
}

/** Mounts the preset banner for this page's fragment; what it applies lands in `window.appliedPreset`. */
function mountPresetBanner(current: PresetTarget = DEFAULT_SETTINGS) {
  const read = readPresetFromHash(window.location.hash);
  if (read === null) return false;
  const target = window as unknown as { appliedPreset: AppliedPreset<PresetTarget> | null; presetDismissed: boolean };
  target.appliedPreset = null;
  target.presetDismissed = false;
  mount(PresetBanner, {
    target: host(),
    props: {
      read,
      current,
      onApply: (applied: AppliedPreset<PresetTarget>) => {
        target.appliedPreset = applied;
      },
      onDismiss: () => {
        target.presetDismissed = true;
      },
    },
  });
  return true;
}

function mountCopyLink(settings: PresetTarget, draft: Partial<PresetRunDraft>, secrets: string[], pageUrl: string) {
  mount(CopyPresetLink, { target: host(), props: { settings, draft, secrets, pageUrl } });
}

window.harness.offline = {
  mountGallery,
  mountPresetBanner,
  mountCopyLink,
  runDemo,
  downloadStoredBook,
  applyPresetFromLocation,
  webStorage,
  saveKey,
  pwaStatus: () => ({ ...pwaController().status }),
};
