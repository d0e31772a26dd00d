/**
 * One process in the WebContainer, start to end: output collected (bounded) and streamed live, a hard time
 * limit, cancellation, and the one fault only a teardown cures: a process in a busy loop whose `exit` never
 * settles after `kill()` (DESIGN.md §7, the watchdog).
 */
import { AbortError } from '../errors.ts';
import type { WcInstance, WcProcess, WcSpawnOptions } from './webcontainer-api.ts';

/** Output kept in memory per process: the beginning and the end (TAP's results and summary are last). */
export const MAX_KEPT_OUTPUT = 2_000_000;
const KEPT_HEAD = 400_000;
/** Output forwarded live to the UI per process; a process printing megabytes would drown the page. */
export const MAX_LIVE_OUTPUT = 1_000_000;
/** How long `exit` may take to settle after `kill()` before the process counts as unkillable. */
export const DEFAULT_KILL_GRACE_MS = 3_000;
/** How long the output may trail behind `exit` (buffered chunks still arriving). */
const OUTPUT_DRAIN_MS = 1_000;
/** How long a server left running for the preview may print before its run_file result is returned. */
const DETACH_OUTPUT_MS = 300;

export interface ProcessOptions extends WcSpawnOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  onOutput?: (chunk: string) => void;
  killGraceMs?: number;
  /** Called with the live process as soon as it exists (so that `dispose` can kill it). */
  onSpawn?: (process: WcProcess) => void;
  /**
   * When this settles first, the call returns with what was printed so far and leaves the process running
   * (a server kept for the preview); its output keeps flowing to `onOutput`.
   */
  detachWhen?: Promise<unknown>;
}

export interface ProcessResult {
  output: string;
  /** null when the process did not exit on its own (killed, or unkillable). */
  exitCode: number | null;
  timedOut: boolean;
  cancelled: boolean;
  /** `exit` never settled after `kill()`: the container must be torn down. */
  unkillable: boolean;
  /** Returned at `detachWhen`; the process is still running. */
  detached: boolean;
  durationMs: number;
}

/** Collects output up to a bound, keeping its beginning and its end. */
export class OutputBuffer {
  #head = '';
  #tail = '';
  #dropped = 0;

  constructor(
    private readonly limit: number = MAX_KEPT_OUTPUT,
    private readonly headLimit: number = KEPT_HEAD,
  ) {}

  push(chunk: string): void {
    if (this.#head.length < this.headLimit) {
      const room = this.headLimit - this.#head.length;
      this.#head += chunk.slice(0, room);
      chunk = chunk.slice(room);
    }
    if (!chunk) return;
    this.#tail += chunk;
    const tailLimit = this.limit - this.headLimit;
    if (this.#tail.length > tailLimit * 2) this.#trim(tailLimit);
  }

  #trim(tailLimit: number): void {
    let cut = this.#tail.length - tailLimit;
    // Cut at a line start so that the kept tail begins with whole TAP lines.
    const newline = this.#tail.indexOf('\n', cut);
    if (newline >= 0 && newline - cut < 10_000) cut = newline + 1;
    this.#dropped += cut;
    this.#tail = this.#tail.slice(cut);
  }

  get text(): string {
    const tailLimit = this.limit - this.headLimit;
    if (this.#tail.length > tailLimit) this.#trim(tailLimit);
    if (this.#dropped === 0) return this.#head + this.#tail;
    return `${this.#head}\n# … ${this.#dropped} characters of output not kept …\n${this.#tail}`;
  }
}

function wait(ms: number): { promise: Promise<'timeout'>; cancel: () => void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const promise = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  return { promise, cancel: () => clearTimeout(timer) };
}

/** Runs `command args` to its end, its time limit, or its cancellation. Never throws for the process's sake. */
export async function runProcess(
  instance: WcInstance,
  command: string,
  args: string[],
  options: ProcessOptions,
): Promise<ProcessResult> {
  const started = Date.now();
  const spawnOptions: WcSpawnOptions = {};
  if (options.cwd !== undefined) spawnOptions.cwd = options.cwd;
  if (options.env !== undefined) spawnOptions.env = options.env;
  const child = await instance.spawn(command, args, spawnOptions);
  options.onSpawn?.(child);

  const buffer = new OutputBuffer();
  let live = 0;
  let liveCut = false;
  const reader = child.output.getReader();
  const reading = (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        buffer.push(value);
        if (!options.onOutput) continue;
        if (live < MAX_LIVE_OUTPUT) {
          const shown = value.slice(0, MAX_LIVE_OUTPUT - live);
          live += shown.length;
          options.onOutput(shown);
        } else if (!liveCut) {
          liveCut = true;
          options.onOutput('\r\n[output cut here: the process printed more than the page can show]\r\n');
        }
      }
    } catch {
      // The stream broke (the container was torn down): what arrived is all there is.
    }
  })();

  let stop: (reason: 'timeout' | 'cancelled') => void = () => undefined;
  const stopped = new Promise<'timeout' | 'cancelled'>((resolve) => (stop = resolve));
  const timer = setTimeout(() => stop('timeout'), options.timeoutMs);
  const onAbort = () => stop('cancelled');
  if (options.signal?.aborted) stop('cancelled');
  options.signal?.addEventListener('abort', onAbort, { once: true });

  let exitCode: number | null = null;
  let timedOut = false;
  let cancelled = false;
  let unkillable = false;
  let detached = false;
  const detach = options.detachWhen?.then(() => 'detach' as const, () => 'detach' as const) ?? new Promise<never>(() => undefined);
  try {
    const first = await Promise.race([child.exit.then((code) => ({ code })), stopped, detach]);
    if (typeof first === 'object') {
      exitCode = first.code;
    } else if (first === 'detach') {
      detached = true;
    } else {
      timedOut = first === 'timeout';
      cancelled = first === 'cancelled';
      try {
        child.kill();
      } catch {
        // A kill that throws is as good as one that is ignored: the grace period decides.
      }
      const grace = wait(options.killGraceMs ?? DEFAULT_KILL_GRACE_MS);
      const after = await Promise.race([child.exit.then(() => 'exited' as const, () => 'exited' as const), grace.promise]);
      grace.cancel();
      unkillable = after === 'timeout';
    }
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
  }

  if (detached) {
    // The server's first lines ("listening on …") usually arrive just after the port opens.
    await wait(DETACH_OUTPUT_MS).promise;
    return { output: buffer.text, exitCode: null, timedOut, cancelled, unkillable, detached, durationMs: Date.now() - started };
  }
  if (unkillable) {
    await reader.cancel().catch(() => undefined);
  } else {
    const drain = wait(OUTPUT_DRAIN_MS);
    const drained = await Promise.race([reading.then(() => 'done' as const), drain.promise]);
    drain.cancel();
    if (drained === 'timeout') await reader.cancel().catch(() => undefined);
  }
  await reading;
  return { output: buffer.text, exitCode, timedOut, cancelled, unkillable, detached, durationMs: Date.now() - started };
}

/** `promise`, or an AbortError as soon as `signal` fires (the work behind `promise` goes on). */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(new AbortError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new AbortError());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** A signal that fires when either does (`AbortSignal.any` is missing from browsers older than 2024). */
export function eitherSignal(a: AbortSignal, b: AbortSignal): AbortSignal {
  if (typeof AbortSignal.any === 'function') return AbortSignal.any([a, b]);
  const controller = new AbortController();
  const abort = () => controller.abort();
  if (a.aborted || b.aborted) abort();
  a.addEventListener('abort', abort, { once: true });
  b.addEventListener('abort', abort, { once: true });
  return controller.signal;
}
