/**
 * The server a generated project started with `runFile`, kept running for the UI's preview frame
 * (DESIGN.md §7): WebContainer's `server-ready` gives its URL. Only a server that appears while a `runFile`
 * waits for one becomes the preview: servers started by tests come and go with their test.
 */
import type { WcProcess } from './webcontainer-api.ts';

/** A server a generated project started (`server-ready`), for the preview frame. */
export interface ServerPreview {
  port: number;
  url: string;
}

export class PreviewServer {
  #current: ServerPreview | null = null;
  #process: WcProcess | null = null;
  #waiter: ((preview: ServerPreview) => void) | null = null;
  #listeners = new Set<(preview: ServerPreview | null) => void>();

  get current(): ServerPreview | null {
    return this.#current;
  }

  /** Called with the server's URL when one is ready, and with null when it stopped. */
  onChange(listener: (preview: ServerPreview | null) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Settles when the next server is ready (a `runFile` returns then, leaving its server running). */
  waitForServer(): Promise<ServerPreview> {
    return new Promise((resolve) => (this.#waiter = resolve));
  }

  stopWaiting(): void {
    this.#waiter = null;
  }

  /** The instance's `server-ready` listener. */
  serverReady(port: number, url: string): void {
    const waiter = this.#waiter;
    if (!waiter) return;
    this.#waiter = null;
    this.#set({ port, url });
    waiter({ port, url });
  }

  /** The process that serves the preview; when it exits, the preview ends. */
  keep(process: WcProcess): void {
    this.#process = process;
    const end = () => {
      if (this.#process !== process) return;
      this.#process = null;
      this.#set(null);
    };
    void process.exit.then(end, end);
  }

  /** Kills the server (a new `runFile`, or the sandbox is disposed). */
  stop(): void {
    const process = this.#process;
    this.forget();
    try {
      process?.kill();
    } catch {
      // Already gone.
    }
  }

  /** The container is gone (torn down, or another sandbox took it): nothing is served any more. */
  forget(): void {
    this.#process = null;
    this.#set(null);
  }

  #set(preview: ServerPreview | null): void {
    if (preview === null && this.#current === null) return;
    this.#current = preview;
    for (const listener of this.#listeners) listener(preview);
  }
}
