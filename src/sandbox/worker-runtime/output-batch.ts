/**
 * Console output leaves the worker in batches: a test that logs 100,000 lines would otherwise send 100,000
 * messages, and handling them one by one keeps the page's main thread busy for seconds. Output is held
 * until 64 KB gather, 20 ms pass since the last send, the stream changes, or any other message is posted
 * (so output and test events keep their order); a native timer sends what is left shortly after.
 */
import type { NativeTimers } from './builtins/timers.ts';
import type { WorkerMessage } from './protocol.ts';

export const BATCH_BYTES = 64 * 1024;
export const BATCH_MS = 20;

export interface OutputBatcher {
  write(stream: 'stdout' | 'stderr', text: string): void;
  /** Sends any held output, then `message`. */
  post(message: WorkerMessage): void;
  flush(): void;
}

export function createOutputBatcher(
  send: (message: WorkerMessage) => void,
  timers: NativeTimers,
  now: () => number = () => performance.now(),
): OutputBatcher {
  let stream: 'stdout' | 'stderr' = 'stdout';
  let pending: string[] = [];
  let pendingSize = 0;
  let lastSent = now();
  let timer: number | null = null;

  const flush = () => {
    if (timer !== null) {
      timers.clearTimeout(timer);
      timer = null;
    }
    if (pendingSize === 0) return;
    const text = pending.join('');
    pending = [];
    pendingSize = 0;
    lastSent = now();
    send({ type: 'output', stream, text });
  };

  return {
    write(next, text) {
      if (text.length === 0) return;
      if (next !== stream) {
        flush();
        stream = next;
      }
      pending.push(text);
      pendingSize += text.length;
      if (pendingSize >= BATCH_BYTES || now() - lastSent >= BATCH_MS) flush();
      else if (timer === null) timer = timers.setTimeout(flush, BATCH_MS);
    },
    post(message) {
      flush();
      send(message);
    },
    flush,
  };
}
