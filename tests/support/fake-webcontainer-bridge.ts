/**
 * The Node half of the fake WebContainer for end-to-end tests: a `FakeWebContainer` (real node/npm in temp
 * folders) driven from the page through ONE function exposed with `page.exposeFunction`, and the page half
 * (`fake-webcontainer-page.ts`) installed with `page.addInitScript`, so `globalThis.__L2MAC_WEBCONTAINER__`
 * exists before any page script runs.
 *
 * Why `exposeFunction` rather than a loopback HTTP/WebSocket server: no port to pick or leak, nothing the
 * page's CSP (`connect-src`) or cross-origin isolation (COEP) could block, it survives navigations, and it
 * dies with the page. Its calls are request/response, so process output is long-polled (`read` waits
 * until a chunk or the end arrives), which keeps output live while a process runs.
 *
 *   const bridge = await installFakeWebContainer(page, { ignoreKill: 'for(;;)' });
 *   await page.goto('/tests/harness/index.html');
 *   ...
 *   await bridge.dispose();   // kills every process, removes every folder
 */
import type { Page } from '@playwright/test';
import type { WcBootOptions, WcFileTree, WcProcess } from '../../src/sandbox/webcontainer-api.ts';
import { FakeWebContainer, type FakeWebContainerFaults, type FakeWebContainerInstance } from './fake-webcontainer.ts';
import { installFakeWebContainerInPage } from './fake-webcontainer-page.ts';

export const FAKE_WEBCONTAINER_BINDING = '__l2macFakeWebContainer';

type ReadResult = { done: true } | { done: false; chunk: string };

/** One process's output, queued until the page reads it. */
class OutputQueue {
  #chunks: string[] = [];
  #done = false;
  #waiters: ((result: ReadResult) => void)[] = [];
  #reader: ReadableStreamDefaultReader<string>;

  constructor(readonly process: WcProcess) {
    this.#reader = process.output.getReader();
    void this.#pump();
  }

  async #pump(): Promise<void> {
    try {
      for (;;) {
        const { done, value } = await this.#reader.read();
        if (done) break;
        this.#chunks.push(value);
        this.#wake();
      }
    } catch {
      // Cancelled, or the instance was torn down.
    }
    this.#done = true;
    this.#wake();
  }

  #wake(): void {
    while (this.#waiters.length > 0 && (this.#chunks.length > 0 || this.#done)) this.#waiters.shift()?.(this.#take());
  }

  #take(): ReadResult {
    if (this.#chunks.length > 0) {
      const chunk = this.#chunks.join('');
      this.#chunks = [];
      return { done: false, chunk };
    }
    return { done: true };
  }

  read(): Promise<ReadResult> {
    if (this.#chunks.length > 0 || this.#done) return Promise.resolve(this.#take());
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  async cancel(): Promise<void> {
    this.#chunks = [];
    await this.#reader.cancel().catch(() => undefined);
  }
}

/** Server-ready events of one instance, long-polled by the page; null once it is torn down. */
class EventQueue {
  #events: { port: number; url: string }[] = [];
  #waiter: ((events: { port: number; url: string }[] | null) => void) | null = null;
  #closed = false;

  push(port: number, url: string): void {
    this.#events.push({ port, url });
    this.#flush();
  }

  close(): void {
    this.#closed = true;
    this.#flush();
  }

  #flush(): void {
    const waiter = this.#waiter;
    if (!waiter) return;
    if (this.#closed) {
      this.#waiter = null;
      waiter(null);
    } else if (this.#events.length > 0) {
      this.#waiter = null;
      waiter(this.#events.splice(0));
    }
  }

  next(): Promise<{ port: number; url: string }[] | null> {
    return new Promise((resolve) => {
      this.#waiter?.([]);
      this.#waiter = resolve;
      this.#flush();
    });
  }
}

export class FakeWebContainerBridge {
  readonly fake: FakeWebContainer;
  #instances = new Map<number, { instance: FakeWebContainerInstance; events: EventQueue }>();
  #processes = new Map<number, OutputQueue>();
  #nextId = 1;

  constructor(faults: FakeWebContainerFaults = {}) {
    this.fake = new FakeWebContainer(faults);
  }

  /** Change the faults mid-test (they apply to later boots and spawns). */
  setFaults(faults: FakeWebContainerFaults): void {
    this.fake.faults = faults;
  }

  #instance(id: unknown): FakeWebContainerInstance {
    const entry = this.#instances.get(Number(id));
    if (!entry) throw new Error(`No fake WebContainer instance ${String(id)}.`);
    return entry.instance;
  }

  #process(pid: unknown): OutputQueue {
    const entry = this.#processes.get(Number(pid));
    if (!entry) throw new Error(`No fake WebContainer process ${String(pid)}.`);
    return entry;
  }

  /** The one function the page calls. */
  async handle(op: string, ...args: unknown[]): Promise<unknown> {
    switch (op) {
      case 'boot': {
        const instance = (await this.fake.boot(args[0] as WcBootOptions)) as FakeWebContainerInstance;
        const id = this.#nextId++;
        const events = new EventQueue();
        instance.on('server-ready', (port, url) => events.push(port, url));
        this.#instances.set(id, { instance, events });
        return id;
      }
      case 'mount':
        return this.#instance(args[0]).mount(args[1] as WcFileTree);
      case 'fs': {
        const fs = this.#instance(args[0]).fs as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
        const method = String(args[1]);
        if (!['writeFile', 'readFile', 'rm', 'mkdir', 'readdir'].includes(method)) throw new Error(`fs.${method} is not in the subset.`);
        return fs[method]?.(...(args[2] as unknown[]));
      }
      case 'spawn': {
        const process_ = await this.#instance(args[0]).spawn(String(args[1]), args[2] as string[], args[3] as object);
        const pid = this.#nextId++;
        this.#processes.set(pid, new OutputQueue(process_));
        return pid;
      }
      case 'read':
        return this.#process(args[0]).read();
      case 'cancelRead':
        return this.#process(args[0]).cancel();
      case 'exit':
        return this.#process(args[0]).process.exit;
      case 'kill':
        this.#process(args[0]).process.kill();
        return null;
      case 'serverReady': {
        const entry = this.#instances.get(Number(args[0]));
        return entry ? entry.events.next() : null;
      }
      case 'teardown': {
        const entry = this.#instances.get(Number(args[0]));
        entry?.instance.teardown();
        entry?.events.close();
        return null;
      }
      default:
        throw new Error(`Unknown fake WebContainer operation: ${op}`);
    }
  }

  /** Tears down every instance; waits until their processes are gone and their folders removed. */
  async dispose(): Promise<void> {
    for (const { events } of this.#instances.values()) events.close();
    await this.fake.dispose();
  }
}

/** Installs the fake in `page` (call before `page.goto`). */
export async function installFakeWebContainer(page: Page, faults: FakeWebContainerFaults = {}): Promise<FakeWebContainerBridge> {
  const bridge = new FakeWebContainerBridge(faults);
  await page.exposeFunction(FAKE_WEBCONTAINER_BINDING, (op: string, ...args: unknown[]) => bridge.handle(op, ...args));
  await page.addInitScript(installFakeWebContainerInPage, FAKE_WEBCONTAINER_BINDING);
  return bridge;
}
