/**
 * The benchmarks' entry points in the browser test page (`window.harness.bench`, set by
 * `tests/harness/expose-bench.ts`): the same benchmark code as in Node, on Chromium's real IndexedDB and
 * the worker sandbox. Every result is plain data for `page.evaluate`.
 */
import { DEFAULT_LIMITS } from '../../src/l2mac/run-state.ts';
import { WorkerSandbox } from '../../src/sandbox/worker-sandbox.ts';
import { IdbStore } from '../../src/store/indexeddb.ts';
import { DEFAULT_DB_NAME } from '../../src/store/schema.ts';
import { measureSyntax, measureTestRun } from '../core/checks-bench.ts';
import { measureTurnOverhead } from '../core/overhead.ts';
import { asRecord, generatedProject } from '../core/project.ts';
import { measureScale, SCALE_SHAPE, type ScaleShape } from '../core/scale.ts';
import { benchSettings } from '../core/scripted-run.ts';
import { measureStore } from '../core/store-bench.ts';
import { monacoLoad } from './monaco-load.ts';
import { treeRender } from './tree-render.ts';

let databases = 0;

/** A fresh database for one measurement, deleted afterwards. */
async function withFreshStore<T>(work: (store: IdbStore) => Promise<T>): Promise<T> {
  const name = `l2mac-bench-${Date.now()}-${databases++}`;
  const store = await IdbStore.open({ name });
  try {
    return await work(store);
  } finally {
    store.close();
    await new Promise<void>((resolve) => {
      const request = indexedDB.deleteDatabase(name);
      request.onsuccess = request.onerror = request.onblocked = () => resolve();
    });
  }
}

function heapUsed(): number {
  const memory = (performance as Performance & { memory?: { usedJSHeapSize: number } }).memory;
  return memory?.usedJSHeapSize ?? Number.NaN;
}

export const benchHarness = {
  overhead: (files: number, turns: number) => withFreshStore((store) => measureTurnOverhead({ files, turns, store })),
  store: (files: number, turnCommits: number) => withFreshStore((store) => measureStore(store, files, turnCommits)),
  syntax: (counts: number[], repetitions: number) => measureSyntax(counts, repetitions),
  async workerTests(tests: number, repetitions: number) {
    const sandbox = new WorkerSandbox();
    try {
      return await measureTestRun(sandbox, tests, repetitions);
    } finally {
      await sandbox.dispose();
    }
  },
  scale: (shape: ScaleShape = SCALE_SHAPE) => withFreshStore((store) => measureScale(store, () => ({ heapUsed: heapUsed() }), { shape })),
  treeRender,
  monacoLoad,
  /**
   * A completed run of `files` files in the app's own database (the one the app opens), so the app
   * reopens it as the most recent run. Returns its id.
   */
  async seedAppRun(files: number, title: string): Promise<string> {
    const store = await IdbStore.open({ name: DEFAULT_DB_NAME });
    try {
      const run = await store.createRun({ task: title, title, domain: 'codebase', settings: benchSettings({ maxSteps: DEFAULT_LIMITS.maxSteps }), files: asRecord(generatedProject(files, 20)) });
      await store.updateRun(run.id, { status: 'completed', finishedAt: Date.now() });
      return run.id;
    } finally {
      store.close();
    }
  },
};

export type BenchHarness = typeof benchHarness;
