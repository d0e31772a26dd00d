/**
 * `window.harness.workerSandbox`: drives `WorkerSandbox` in the page for the e2e
 * specs. Results are plain data; errors come back as `{ ok: false, error }` so a spec can assert on their
 * type. `probe` starts a bare opaque-origin worker like the sandbox's (same `data:` bootstrap, no runtime
 * and no lockdown) to show what the origin and the inherited CSP alone allow.
 */
import { errorMessage } from '../../src/errors.ts';
import type { ExecOptions, FileChange } from '../../src/sandbox/types.ts';
import { createOpaqueWorker } from '../../src/sandbox/worker-runtime/host/launch.ts';
import { WorkerSandbox, type WorkerSandboxOptions } from '../../src/sandbox/worker-sandbox.ts';
import { runContractCase, type ContractCaseData } from '../support/contract-projects/runner.ts';

type Outcome<T> = { ok: true; value: T } | { ok: false; error: { name: string; message: string } };

async function outcome<T>(work: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    return { ok: false, error: { name: error instanceof Error ? error.name : 'Error', message: errorMessage(error) } };
  }
}

interface Handle {
  sandbox: WorkerSandbox;
  states: string[];
  output: string[];
}

const handles = new Map<number, Handle>();
let nextId = 1;

function handle(id: number): Handle {
  const found = handles.get(id);
  if (!found) throw new Error(`No worker sandbox ${id} in this page.`);
  return found;
}

type PlainExec = Pick<ExecOptions, 'timeoutMs' | 'perFileTimeoutMs'>;

function exec(h: Handle, options: PlainExec = {}): ExecOptions {
  return { ...options, onOutput: (chunk) => h.output.push(chunk) };
}

/**
 * Counts main-thread timer ticks while `work` runs: a page that stays responsive keeps ticking even when
 * generated code spins in a worker.
 */
async function withHeartbeat<T>(work: () => Promise<T>): Promise<{ value: T; ticks: number; longestGapMs: number }> {
  let ticks = 0;
  let last = performance.now();
  let longestGapMs = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longestGapMs = Math.max(longestGapMs, now - last);
    last = now;
    ticks++;
  }, 20);
  try {
    return { value: await work(), ticks, longestGapMs };
  } finally {
    clearInterval(timer);
  }
}

window.harness.workerSandbox = {
  create(options: Omit<WorkerSandboxOptions, 'runtimeSource'> & { brokenRuntime?: boolean } = {}): number {
    const { brokenRuntime, ...rest } = options;
    const sandbox = new WorkerSandbox(brokenRuntime ? { ...rest, runtimeSource: 'throw new Error("broken runtime");' } : rest);
    const h: Handle = { sandbox, states: [], output: [] };
    sandbox.onStatus((status) => h.states.push(status.state));
    const id = nextId++;
    handles.set(id, h);
    return id;
  },
  sync: (id: number, changes: FileChange[]) => outcome(() => handle(id).sandbox.sync(changes)),
  runTests: (id: number, paths: string[], options?: PlainExec) => outcome(() => handle(id).sandbox.runTests(paths, exec(handle(id), options))),
  runFile: (id: number, path: string, args: string[], options?: PlainExec) =>
    outcome(() => handle(id).sandbox.runFile(path, args, exec(handle(id), options))),
  checkSyntax: (id: number, paths: string[]) => outcome(() => handle(id).sandbox.checkSyntax(paths)),
  /** Runs tests and aborts them after `afterMs`. */
  runTestsAborted: (id: number, paths: string[], afterMs: number) =>
    outcome(() => handle(id).sandbox.runTests(paths, { signal: AbortSignal.timeout(afterMs) })),
  status: (id: number) => ({ ...handle(id).sandbox.status, states: handle(id).states, output: handle(id).output.join('') }),
  dispose: async (id: number) => {
    await handle(id).sandbox.dispose();
    handles.delete(id);
  },
  /** One contract case in a fresh sandbox, with a heartbeat of the page's main thread. */
  async runCase(data: ContractCaseData) {
    const sandbox = new WorkerSandbox();
    try {
      const run = await withHeartbeat(() => outcome(() => runContractCase(sandbox, data)));
      return { ...run.value, ticks: run.ticks, longestGapMs: run.longestGapMs };
    } finally {
      await sandbox.dispose();
    }
  },
  /** Runs `source` as the whole program of a bare opaque-origin worker; resolves with its first message. */
  probe(source: string, timeoutMs = 10_000): Promise<unknown> {
    return new Promise((resolve) => {
      const worker = createOpaqueWorker(`data:text/javascript;base64,${btoa(source)}`);
      const timer = setTimeout(() => {
        worker.terminate();
        resolve({ timedOut: true });
      }, timeoutMs);
      worker.onmessage = (event) => {
        clearTimeout(timer);
        worker.terminate();
        resolve(event.data);
      };
      worker.onerror = (event) => {
        clearTimeout(timer);
        worker.terminate();
        resolve({ error: event.message });
      };
    });
  },
};
