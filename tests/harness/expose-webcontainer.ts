/**
 * `window.harness.webcontainer`: drives `WebContainerSandbox` in the page for the e2e specs. Results are
 * plain data (Playwright serialises them); errors come back as `{ ok: false, error }` so a spec can assert
 * on the error's type. Whether the fake or the real WebContainer runs depends only on whether the spec
 * installed the seam (`installFakeWebContainer`) before loading the page.
 */
import { errorMessage } from '../../src/errors.ts';
import type { ExecOptions, FileChange } from '../../src/sandbox/types.ts';
import { WebContainerUnavailableError, pageBootLock } from '../../src/sandbox/webcontainer-boot.ts';
import { WebContainerSandbox, type ServerPreview } from '../../src/sandbox/webcontainer.ts';
import { runContractCase, type ContractCaseData } from '../support/contract-projects/runner.ts';

type Outcome<T> = { ok: true; value: T } | { ok: false; error: { name: string; message: string; reason?: string } };

interface Handle {
  sandbox: WebContainerSandbox;
  states: string[];
  output: string[];
  previews: (ServerPreview | null)[];
}

/** What crosses `page.evaluate`: the limits, never callbacks (the output is collected per sandbox). */
type PlainExec = Pick<ExecOptions, 'timeoutMs' | 'perFileTimeoutMs'>;

const handles = new Map<number, Handle>();
let nextId = 1;

async function outcome<T>(work: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    const name = error instanceof Error ? error.name : 'Error';
    const plain: { name: string; message: string; reason?: string } = { name, message: errorMessage(error) };
    if (error instanceof WebContainerUnavailableError) plain.reason = error.reason;
    return { ok: false, error: plain };
  }
}

function handle(id: number): Handle {
  const found = handles.get(id);
  if (!found) throw new Error(`No WebContainer sandbox ${id} in this page.`);
  return found;
}

function exec(h: Handle, options: PlainExec = {}): ExecOptions {
  return { ...options, onOutput: (chunk) => h.output.push(chunk) };
}

function create(options: { bootTimeoutMs?: number } = {}): number {
  const sandbox = new WebContainerSandbox(options.bootTimeoutMs ? { bootTimeoutMs: options.bootTimeoutMs } : {});
  const h: Handle = { sandbox, states: [], output: [], previews: [] };
  sandbox.onStatus((status) => h.states.push(status.state));
  sandbox.onServerReady((preview) => h.previews.push(preview));
  const id = nextId++;
  handles.set(id, h);
  return id;
}

window.harness.webcontainer = {
  create,
  start: (id: number) => outcome(() => handle(id).sandbox.start()),
  sync: (id: number, changes: FileChange[]) => outcome(() => handle(id).sandbox.sync(changes)),
  runTests: (id: number, paths: string[], options?: PlainExec) =>
    outcome(() => handle(id).sandbox.runTests(paths, exec(handle(id), options))),
  runFile: (id: number, path: string, args: string[], options?: PlainExec) =>
    outcome(() => handle(id).sandbox.runFile(path, args, exec(handle(id), options))),
  checkSyntax: (id: number, paths: string[], options?: PlainExec) =>
    outcome(() => handle(id).sandbox.checkSyntax(paths, exec(handle(id), options))),
  dispose: (id: number) => outcome(() => handle(id).sandbox.dispose()),
  info(id: number) {
    const h = handle(id);
    return {
      status: h.sandbox.status,
      states: h.states,
      unavailable: h.sandbox.unavailable,
      preview: h.sandbox.preview,
      previews: h.previews,
      output: h.output.join(''),
    };
  },
  /** The page-wide boot lock, and whether anything of WebContainer is in the page. */
  page() {
    return {
      attempts: pageBootLock.attempts,
      booted: pageBootLock.booted,
      failure: pageBootLock.failure?.message ?? null,
      lastBootOptions: pageBootLock.lastBootOptions,
      seamInstalled: globalThis.__L2MAC_WEBCONTAINER__ !== undefined,
      iframes: [...document.querySelectorAll('iframe')].map((frame) => frame.src),
    };
  },
  /** One case of the sandbox contract in a fresh sandbox (disposed after), as plain data. */
  runContractCase: (data: ContractCaseData) =>
    outcome(async () => {
      const sandbox = new WebContainerSandbox();
      try {
        return await runContractCase(sandbox, data);
      } finally {
        await sandbox.dispose();
      }
    }),
};
