/**
 * Bundles the worker sandbox's runtime (`src/sandbox/worker-runtime/main.ts` and everything it imports,
 * the npm ports of `assert` and `util` included) into ONE string, served as the virtual module
 * `virtual:l2mac-worker-runtime` (its default export). The page posts that string to each worker, which
 * runs it as a blob: module: the worker needs no file from the server, so it works offline and on any
 * static host, and its origin stays opaque.
 *
 * The same plugin serves `vite dev`, `vite build` and vitest: the bundle is made when the virtual module is
 * loaded, and its source files are watched, so an edit in dev rebuilds it.
 */
import { fileURLToPath } from 'node:url';
import { rolldown } from 'rolldown';
import type { Plugin } from 'vite';

export const WORKER_RUNTIME_ID = 'virtual:l2mac-worker-runtime';
const RESOLVED_ID = `\0${WORKER_RUNTIME_ID}`;
const ENTRY = fileURLToPath(new URL('../src/sandbox/worker-runtime/main.ts', import.meta.url));

export interface WorkerRuntimeBundle {
  code: string;
  /** The files it was built from (to watch). */
  files: string[];
}

/** Bundles the runtime as one ES module (no chunks: the worker imports nothing else). */
export async function bundleWorkerRuntime(entry = ENTRY): Promise<WorkerRuntimeBundle> {
  const bundle = await rolldown({
    input: entry,
    platform: 'browser',
    logLevel: 'warn',
    // The ports of Node's modules read `process` at run time; the worker installs it (see early.ts).
    transform: { define: { 'process.env.NODE_DEBUG': 'undefined' } },
  });
  try {
    // keepNames: class and function names show in the stack traces of failures (`TestContext.<anonymous>`).
    const { output } = await bundle.generate({ format: 'esm', minify: true, keepNames: true, codeSplitting: false });
    const chunk = output.find((item) => item.type === 'chunk');
    if (!chunk || output.length !== 1) throw new Error('The worker runtime must bundle into exactly one chunk.');
    return { code: chunk.code, files: chunk.moduleIds.filter((id) => !id.startsWith('\0')) };
  } finally {
    await bundle.close();
  }
}

export function workerRuntimePlugin(): Plugin {
  return {
    name: 'l2mac-worker-runtime',
    resolveId(id) {
      return id === WORKER_RUNTIME_ID ? RESOLVED_ID : undefined;
    },
    async load(id) {
      if (id !== RESOLVED_ID) return undefined;
      const { code, files } = await bundleWorkerRuntime();
      for (const file of files) this.addWatchFile(file);
      return `export default ${JSON.stringify(code)};`;
    },
  };
}
