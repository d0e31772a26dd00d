/**
 * The worker sandbox's worker (DESIGN.md §7), bundled into one string by `build/worker-runtime-plugin.ts`.
 * The page starts a module worker from a small `data:` URL (opaque origin) that receives this source and
 * imports it as a blob: module; this module locks the worker down first (`early.ts`), says `ready`, takes
 * ONE job (a test file, a program, or files to parse), runs it, and says `done`. The page terminates the worker afterwards,
 * or at the time limit.
 */
import { sealed } from './early.ts';
import { runJob, type RuntimeEnvironment } from './runtime.ts';
import { checkSources } from './syntax-check.ts';
import { registerModuleUrl } from './stack.ts';
import type { Job, WorkerMessage } from './protocol.ts';
import type { ModuleFunction } from './loader.ts';

const post = (message: WorkerMessage) => sealed.post(message);

const environment: RuntimeEnvironment = {
  async compile(module) {
    const url = sealed.createObjectURL(new Blob([module.code], { type: 'text/javascript' }));
    registerModuleUrl(url, module.path, module);
    const imported = (await import(/* @vite-ignore */ url)) as { default: ModuleFunction };
    return imported.default;
  },
  post,
  timers: { setTimeout: sealed.setTimeout, clearTimeout: sealed.clearTimeout },
  installGlobals(globals) {
    for (const [name, value] of Object.entries(globals)) {
      Object.defineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable: false });
    }
    return () => undefined;
  },
  onUncaught(handler) {
    const onError = (event: ErrorEvent) => {
      event.preventDefault();
      handler(event.error ?? new Error(event.message), 'uncaughtException');
    };
    const onRejection = (event: PromiseRejectionEvent) => {
      event.preventDefault();
      handler(event.reason, 'unhandledRejection');
    };
    addEventListener('error', onError);
    addEventListener('unhandledrejection', onRejection);
    return () => {
      removeEventListener('error', onError);
      removeEventListener('unhandledrejection', onRejection);
    };
  },
};

let started = false;
addEventListener('message', (event: MessageEvent<{ type?: unknown; job?: Job }>) => {
  if (started || event.data?.type !== 'job' || !event.data.job) return;
  started = true;
  const job = event.data.job;
  if (job.op === 'check') {
    const makeUrl = (code: string) => sealed.createObjectURL(new Blob([code], { type: 'text/javascript' }));
    void checkSources(job.files, makeUrl, post).then(() => post({ type: 'done', exitCode: 0 }));
  } else {
    void runJob(job, environment);
  }
});
post({ type: 'ready' });
