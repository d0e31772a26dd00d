/**
 * Starts the sandbox worker and runs one job in it, on the main thread.
 *
 * The worker is a module worker created from a `data:` URL, so it runs at an opaque origin (not the app's:
 * a blob: worker would keep the app's origin and its storage). The `data:` script is a few lines that wait
 * for the runtime's source (the bundled `worker-runtime/main.ts`, posted by the page) and import it as a
 * blob: module of the worker's own; nothing is fetched, so it works offline and on a static host.
 *
 * A job ends with the worker's `done`, or is cut off: at its time limit, on abort, or when the worker
 * fails. In every case the worker is terminated (a busy loop cannot block the page: it is another thread).
 */
import type { ErrorInfo, Job, WorkerMessage } from '../protocol.ts';

const BOOTSTRAP = `const post = postMessage.bind(globalThis);
addEventListener('message', (event) => {
  const data = event.data;
  if (!data || data.type !== 'runtime') return;
  import(URL.createObjectURL(new Blob([data.source], { type: 'text/javascript' }))).catch((error) => {
    post({ type: 'boot-error', message: String((error && error.stack) || error) });
  });
}, { once: true });`;

/** The `data:` URL of the bootstrap (exported for the security tests, which start their own probes). */
export const BOOTSTRAP_URL = `data:text/javascript;base64,${btoa(BOOTSTRAP)}`;

/** Creates a module worker at an opaque origin from a `data:` URL. */
export function createOpaqueWorker(url: string = BOOTSTRAP_URL): Worker {
  return new Worker(url, { type: 'module', name: 'l2mac-sandbox' });
}

export type JobEnd =
  | { kind: 'done'; exitCode: number; error?: ErrorInfo }
  | { kind: 'timeout' }
  | { kind: 'aborted' }
  /** `boot`: the worker or its runtime could not start at all (the sandbox is unavailable here). */
  | { kind: 'failed'; message: string; boot: boolean };

export interface JobOptions {
  runtimeSource: string;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Every message of the job, in order (output, test events, unsupported). */
  onMessage(message: WorkerMessage): void;
}

/** Runs one job in a fresh worker; resolves with how it ended, never rejects. */
export function runJobInWorker(job: Job, options: JobOptions): Promise<JobEnd> {
  return new Promise((resolve) => {
    let worker: Worker;
    try {
      worker = createOpaqueWorker();
    } catch (error) {
      resolve({ kind: 'failed', message: `The worker sandbox could not start a worker: ${String(error)}`, boot: true });
      return;
    }
    let ended = false;
    const end = (outcome: JobEnd) => {
      if (ended) return;
      ended = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      worker.terminate();
      resolve(outcome);
    };
    const timer = setTimeout(() => end({ kind: 'timeout' }), options.timeoutMs);
    const onAbort = () => end({ kind: 'aborted' });
    if (options.signal?.aborted) return end({ kind: 'aborted' });
    options.signal?.addEventListener('abort', onAbort, { once: true });
    let booted = false;
    worker.addEventListener('message', (event: MessageEvent<WorkerMessage | { type: 'boot-error'; message: string }>) => {
      const message = event.data;
      if (ended || !message || typeof message !== 'object') return;
      if (message.type === 'boot-error') return end({ kind: 'failed', message: `The worker sandbox could not load its runtime: ${message.message}`, boot: true });
      if (message.type === 'ready') {
        booted = true;
        return worker.postMessage({ type: 'job', job });
      }
      options.onMessage(message);
      if (message.type === 'done') end(message.error ? { kind: 'done', exitCode: message.exitCode, error: message.error } : { kind: 'done', exitCode: message.exitCode });
    });
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      end({ kind: 'failed', message: `The worker sandbox's worker failed: ${event.message || 'unknown error'}`, boot: !booted });
    });
    worker.addEventListener('messageerror', () => end({ kind: 'failed', message: 'The worker sandbox received a message it could not read.', boot: false }));
    worker.postMessage({ type: 'runtime', source: options.runtimeSource });
  });
}
