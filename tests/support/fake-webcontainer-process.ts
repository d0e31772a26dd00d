/**
 * A process of the fake WebContainer (`fake-webcontainer.ts`): a real child process whose stdout and stderr
 * arrive merged with a pseudo-terminal's line endings, or a scripted one (faults) that prints a text and
 * exits. `kill()` kills the process group, unless the fault says to ignore it; `forceKill()` is teardown's.
 */
import type { ChildProcess } from 'node:child_process';
import type { WcProcess } from '../../src/sandbox/webcontainer-api.ts';

/** A preload that reports listening servers the way WebContainer's `server-ready` does. */
export const SERVER_READY_PRELOAD = `
const net = require('node:net');
const fs = require('node:fs');
const file = process.env.L2MAC_FAKE_WC_READY_FILE;
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  this.once('listening', () => {
    const address = this.address();
    if (file && address && typeof address === 'object') {
      try { fs.appendFileSync(file, address.port + '\\n'); } catch {}
    }
  });
  return listen.apply(this, args);
};
`;

export function toPtyText(text: string): string {
  return text.replace(/\r?\n/g, '\r\n');
}

export class FakeProcess implements WcProcess {
  readonly output: ReadableStream<string>;
  readonly exit: Promise<number>;
  #child: ChildProcess | null;
  #ignoreKill: boolean;

  constructor(child: ChildProcess | null, ignoreKill: boolean, scripted?: { text: string; code: number }) {
    this.#child = child;
    this.#ignoreKill = ignoreKill;
    if (scripted || !child) {
      const { text, code } = scripted ?? { text: '', code: 0 };
      this.output = new ReadableStream<string>({
        start(controller) {
          if (text) controller.enqueue(text);
          controller.close();
        },
      });
      this.exit = Promise.resolve(code);
      return;
    }
    let openStreams = 2;
    let cancelled = false;
    this.output = new ReadableStream<string>({
      start(controller) {
        const close = () => {
          if (!cancelled) controller.close();
        };
        for (const stream of [child.stdout, child.stderr]) {
          if (!stream) {
            openStreams -= 1;
            continue;
          }
          stream.setEncoding('utf8');
          // A reader that cancelled still leaves the process running: its output goes nowhere.
          stream.on('data', (chunk: string) => {
            if (!cancelled) controller.enqueue(toPtyText(chunk));
          });
          stream.on('close', () => {
            openStreams -= 1;
            if (openStreams === 0) close();
          });
        }
        if (openStreams === 0) close();
      },
      cancel() {
        cancelled = true;
      },
    });
    this.exit = new Promise<number>((resolveExit) => {
      child.on('exit', (code, signal) => resolveExit(code ?? (signal === 'SIGKILL' ? 137 : 143)));
      child.on('error', () => resolveExit(127));
    });
  }

  kill(): void {
    if (this.#ignoreKill) return;
    this.forceKill();
  }

  /** Kills the process group (the process and its children): what teardown does whatever the faults. */
  forceKill(): void {
    const pid = this.#child?.pid;
    if (pid === undefined) return;
    // The group, even when its leader has exited: children it left behind (a server) go too.
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // ESRCH: the group is already gone.
    }
  }
}
