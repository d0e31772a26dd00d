/**
 * The browser half of the fake WebContainer: installed by `page.addInitScript` before any page script, it
 * defines `globalThis.__L2MAC_WEBCONTAINER__` (the test seam of DESIGN.md §7) as thin proxies that call the
 * Node half (`fake-webcontainer-bridge.ts`) through one function exposed with `page.exposeFunction`.
 *
 * Playwright serialises this function's source into the page, so it must be self-contained: no imports,
 * no classes or private fields (a transpiler could add helpers that live outside the function), only plain
 * closures. Output streams are pulled with long-polling calls (`read`), so a process's output arrives
 * while it runs. Only string file contents cross the bridge (the adapter writes nothing else).
 */
export function installFakeWebContainerInPage(binding: string): void {
  type Call = (op: string, ...args: unknown[]) => Promise<unknown>;
  const call: Call = (op, ...args) => {
    const bridge = (globalThis as unknown as Record<string, Call>)[binding];
    if (!bridge) return Promise.reject(new Error(`The fake WebContainer bridge "${binding}" is not exposed.`));
    return bridge(op, ...args);
  };

  function makeProcess(pid: number) {
    const output = new ReadableStream<string>({
      async pull(controller) {
        const next = (await call('read', pid)) as { done: true } | { done: false; chunk: string };
        if (next.done) controller.close();
        else controller.enqueue(next.chunk);
      },
      cancel() {
        return call('cancelRead', pid).then(() => undefined);
      },
    });
    return {
      output,
      exit: call('exit', pid) as Promise<number>,
      kill() {
        call('kill', pid).catch(() => undefined);
      },
    };
  }

  function makeInstance(id: number) {
    const listeners = new Set<(port: number, url: string) => void>();
    let polling = false;
    async function poll(): Promise<void> {
      while (listeners.size > 0) {
        const events = (await call('serverReady', id)) as { port: number; url: string }[] | null;
        if (events === null) break;
        for (const event of events) for (const listener of listeners) listener(event.port, event.url);
      }
      polling = false;
    }
    const fs = {
      writeFile: (path: string, data: string) => call('fs', id, 'writeFile', [path, data]),
      readFile: (path: string, encoding: string) => call('fs', id, 'readFile', [path, encoding]),
      rm: (path: string, options?: unknown) => call('fs', id, 'rm', [path, options ?? {}]),
      mkdir: (path: string, options?: unknown) => call('fs', id, 'mkdir', [path, options ?? {}]),
      readdir: (path: string) => call('fs', id, 'readdir', [path]),
    };
    return {
      fs,
      mount: (tree: unknown) => call('mount', id, tree),
      async spawn(command: string, args?: string[], options?: unknown) {
        const pid = (await call('spawn', id, command, args ?? [], options ?? {})) as number;
        return makeProcess(pid);
      },
      on(event: string, listener: (port: number, url: string) => void) {
        if (event !== 'server-ready') throw new Error(`The fake WebContainer has no '${event}' event.`);
        listeners.add(listener);
        if (!polling) {
          polling = true;
          void poll();
        }
        return () => {
          listeners.delete(listener);
        };
      },
      teardown() {
        call('teardown', id).catch(() => undefined);
      },
    };
  }

  (globalThis as unknown as Record<string, unknown>).__L2MAC_WEBCONTAINER__ = {
    async boot(options: unknown) {
      return makeInstance((await call('boot', options)) as number);
    },
  };
}
