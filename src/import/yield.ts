/**
 * Cooperative scheduling for long imports: work runs in slices of a few milliseconds, then gives the event
 * loop a turn so the page keeps painting and answering input while thousands of files are read.
 */
import { throwIfAborted } from '../errors.ts';

interface SchedulerLike {
  yield?: () => Promise<void>;
}

/**
 * One turn of the event loop. `scheduler.yield()` where the browser has it; otherwise a message on a fresh
 * channel, which (unlike a timer) a hidden tab does not throttle to once a second.
 */
export function yieldToEventLoop(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: SchedulerLike }).scheduler;
  if (typeof scheduler?.yield === 'function') return scheduler.yield();
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

export interface Slicer {
  /** Yields when the current slice is used up; throws AbortError when the signal has fired. */
  tick(): Promise<boolean>;
}

/** A slicer whose `tick` yields once `sliceMs` of work has passed since the last yield; true when it yielded. */
export function createSlicer(signal?: AbortSignal, sliceMs = 12, now: () => number = () => performance.now()): Slicer {
  let sliceStart = now();
  return {
    async tick() {
      throwIfAborted(signal);
      if (now() - sliceStart < sliceMs) return false;
      await yieldToEventLoop();
      throwIfAborted(signal);
      sliceStart = now();
      return true;
    },
  };
}
