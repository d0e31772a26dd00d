/**
 * Runs the worker sandbox's runtime in this Node process (no worker, no browser): the same preparation,
 * loader, `node:test` and report path as `WorkerSandbox`, with `data:` URLs where the worker makes blob:
 * URLs. For unit tests of the pure parts end to end; it cannot stop a busy loop or contain an error nobody
 * catches (the browser spec covers those).
 */
import { findTestFiles } from '../../../src/sandbox/test-files.ts';
import { parseTap } from '../../../src/sandbox/tap.ts';
import type { TestReport } from '../../../src/sandbox/types.ts';
import { blockersOf, ProjectPreparer } from '../../../src/sandbox/worker-runtime/host/project.ts';
import { writeTap, type FileRun } from '../../../src/sandbox/worker-runtime/host/tap-writer.ts';
import type { ModuleFunction } from '../../../src/sandbox/worker-runtime/loader.ts';
import { PROJECT_ROOT } from '../../../src/sandbox/worker-runtime/prepare/resolve.ts';
import type { Job, WorkerMessage } from '../../../src/sandbox/worker-runtime/protocol.ts';
import { runJob, type RuntimeEnvironment } from '../../../src/sandbox/worker-runtime/runtime.ts';
import { registerModuleUrl } from '../../../src/sandbox/worker-runtime/stack.ts';

const SWAPPED_GLOBALS = ['setTimeout', 'setInterval', 'setImmediate', 'clearTimeout', 'clearInterval', 'clearImmediate', 'console'];

function environment(post: (message: WorkerMessage) => void): RuntimeEnvironment {
  const nativeSetTimeout = globalThis.setTimeout;
  const nativeClearTimeout = globalThis.clearTimeout;
  return {
    async compile(module) {
      const url = `data:text/javascript;base64,${Buffer.from(module.code).toString('base64')}`;
      registerModuleUrl(url, module.path, module);
      return ((await import(/* @vite-ignore */ url)) as { default: ModuleFunction }).default;
    },
    post,
    timers: {
      setTimeout: (callback, ms) => nativeSetTimeout(callback, ms) as unknown as number,
      clearTimeout: (id) => nativeClearTimeout(id),
    },
    installGlobals(globals) {
      const saved = new Map<string, PropertyDescriptor | undefined>();
      for (const name of SWAPPED_GLOBALS) {
        saved.set(name, Object.getOwnPropertyDescriptor(globalThis, name));
        Object.defineProperty(globalThis, name, { value: globals[name], writable: true, configurable: true });
      }
      return () => {
        for (const [name, descriptor] of saved) {
          if (descriptor) Object.defineProperty(globalThis, name, descriptor);
          else Reflect.deleteProperty(globalThis, name);
        }
      };
    },
    onUncaught: () => () => undefined,
  };
}

/** Runs one job in this process; resolves with its messages and exit code. */
export async function runJobInNode(job: Job): Promise<{ messages: WorkerMessage[]; exitCode: number }> {
  if (job.op === 'check') throw new Error('check jobs need a browser engine');
  const messages: WorkerMessage[] = [];
  let exitCode = -1;
  await runJob(job, environment((message) => {
    messages.push(message);
    if (message.type === 'done') exitCode = message.exitCode;
  }));
  return { messages, exitCode };
}

/** `runTests` of the worker sandbox, in this process: the test files `findTestFiles` finds by default. */
export async function runTestsInNode(files: Record<string, string>, paths = findTestFiles(Object.keys(files))): Promise<TestReport> {
  const project = new ProjectPreparer().prepare(new Map(Object.entries(files)));
  const runs: FileRun[] = [];
  const unsupported: string[] = [];
  for (const file of paths) {
    const blockers = blockersOf(project, file);
    if (blockers.length > 0) {
      unsupported.push(`${file}: ${blockers.join(', ')}`);
      continue;
    }
    const started = performance.now();
    const { messages, exitCode } = await runJobInNode({ op: 'test', project, file });
    runs.push({ file, messages, end: { kind: 'done', exitCode }, durationMs: performance.now() - started, timeoutMs: 10_000 });
  }
  const report = parseTap(writeTap(runs), { root: PROJECT_ROOT, files: runs.map((run) => run.file) });
  if (unsupported.length > 0) report.unsupported = `needs the full sandbox: ${unsupported.join('; ')}`;
  return report;
}
