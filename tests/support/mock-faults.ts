/**
 * The fault registry of the mock OpenAI-compatible server (`mock-server.ts`). A fault targets the n-th
 * request of a route (1-based) and, optionally, the ones after it; the same JSON specs arrive
 * programmatically or over HTTP (`POST /__mock/faults`), so a Playwright test in another process can inject
 * them too.
 */

export type MockRoute = 'chat' | 'models';

interface FaultTarget {
  /** 1-based index of the request on `route` the fault hits. Default: the next request on that route. */
  at?: number;
  /** How many requests from `at` on it hits (default 1); `'always'` for every later one. */
  times?: number | 'always';
  /** Default `chat` (POST …/chat/completions). */
  route?: MockRoute;
}

/** An HTTP error answer instead of a reply. */
export interface StatusFault extends FaultTarget {
  kind: 'status';
  status: number;
  /** Error code in the body: `context_length_exceeded` (400), `insufficient_quota` (429), `model_not_found` ... */
  code?: string;
  message?: string;
  /** `Retry-After` in seconds. */
  retryAfterSeconds?: number;
  /** `Retry-After` as an HTTP date this many seconds from now. */
  retryAfterDateSeconds?: number;
  /** `retry-after-ms`. */
  retryAfterMs?: number;
  /** Replaces the whole body (a string is sent as is, anything else as JSON). */
  body?: unknown;
  headers?: Record<string, string>;
}

/** The connection is destroyed in the middle of a streamed reply, without `[DONE]`. */
export interface CutFault extends FaultTarget {
  kind: 'cut';
  /** Chunks sent before the cut. Default: in the middle of the first tool call's arguments (or of the text). */
  afterChunks?: number;
  /** End the response cleanly instead (a proxy that closes the stream early): no error, just no finish. */
  graceful?: boolean;
}

/** The stream stops sending and holds the socket open. */
export interface IdleFault extends FaultTarget {
  kind: 'idle';
  /** Chunks sent before going idle. Default: as for `cut`. */
  afterChunks?: number;
}

/** The reply is not started until the test releases it (`release(name)` or `POST /__mock/release`). */
export interface HoldFault extends FaultTarget {
  kind: 'hold';
  name?: string;
}

/** A pause before every chunk of a streamed reply (and before a non-streamed one). */
export interface DelayFault extends FaultTarget {
  kind: 'delay';
  chunkDelayMs: number;
}

/** An in-stream error event (`data: {"error": {...}}`) after some chunks, as OpenRouter sends. */
export interface StreamErrorFault extends FaultTarget {
  kind: 'stream-error';
  afterChunks?: number;
  message?: string;
  code?: string | number;
}

export type FaultSpec = StatusFault | CutFault | IdleFault | HoldFault | DelayFault | StreamErrorFault;

export interface ActiveFault {
  id: number;
  spec: FaultSpec;
  route: MockRoute;
  at: number;
  times: number | 'always';
}

export interface HoldHandle {
  name: string;
  /** Resolves when a request reaches the hold (with its 1-based index on the route). */
  arrived: Promise<number>;
  release(): void;
}

interface HoldState {
  handle: HoldHandle;
  arrive: (index: number) => void;
  released: Promise<void>;
  release: () => void;
}

const ROUTES: readonly MockRoute[] = ['chat', 'models'];
const KINDS: readonly FaultSpec['kind'][] = ['status', 'cut', 'idle', 'hold', 'delay', 'stream-error'];

/** Validates a fault spec that came over HTTP, with a message naming the problem. */
export function parseFaultSpec(input: unknown): FaultSpec {
  if (typeof input !== 'object' || input === null) throw new Error('a fault must be an object');
  const spec = input as Record<string, unknown>;
  if (!KINDS.includes(spec.kind as FaultSpec['kind'])) throw new Error(`fault kind must be one of ${KINDS.join(', ')}`);
  if (spec.route !== undefined && !ROUTES.includes(spec.route as MockRoute)) throw new Error('route must be chat or models');
  if (spec.at !== undefined && !(Number.isInteger(spec.at) && (spec.at as number) >= 1)) throw new Error('at must be ≥ 1');
  if (spec.times !== undefined && spec.times !== 'always' && !(Number.isInteger(spec.times) && (spec.times as number) >= 1)) {
    throw new Error('times must be ≥ 1 or "always"');
  }
  if (spec.kind === 'status' && !(Number.isInteger(spec.status) && (spec.status as number) >= 400)) {
    throw new Error('a status fault needs a status ≥ 400');
  }
  if (spec.kind === 'delay' && !(typeof spec.chunkDelayMs === 'number' && spec.chunkDelayMs >= 0)) {
    throw new Error('a delay fault needs chunkDelayMs ≥ 0');
  }
  return spec as unknown as FaultSpec;
}

export class MockFaults {
  private nextId = 1;
  private active: ActiveFault[] = [];
  private readonly holds = new Map<string, HoldState>();

  /** `counts()` tells how many requests each route has seen, so a fault without `at` hits the next one. */
  constructor(private readonly counts: () => Record<MockRoute, number>) {}

  get list(): readonly ActiveFault[] {
    return this.active;
  }

  add(spec: FaultSpec): ActiveFault {
    const route = spec.route ?? 'chat';
    const fault: ActiveFault = { id: this.nextId++, spec, route, at: spec.at ?? this.counts()[route] + 1, times: spec.times ?? 1 };
    this.active.push(fault);
    if (spec.kind === 'hold') this.ensureHold(spec.name ?? `hold-${fault.id}`);
    return fault;
  }

  /** An HTTP error at request `at` (default the next): 401, 404, 429, 500, 502, ... */
  status(status: number, options: Omit<StatusFault, 'kind' | 'status'> = {}): ActiveFault {
    return this.add({ kind: 'status', status, ...options });
  }

  /** 429 with `Retry-After` (seconds) and/or `retry-after-ms`. */
  rateLimit(options: Omit<StatusFault, 'kind' | 'status'> = {}): ActiveFault {
    return this.status(429, options);
  }

  contextLength(options: Omit<StatusFault, 'kind' | 'status' | 'code'> = {}): ActiveFault {
    return this.status(400, { code: 'context_length_exceeded', ...options });
  }

  insufficientQuota(options: Omit<StatusFault, 'kind' | 'status' | 'code'> = {}): ActiveFault {
    return this.status(429, { code: 'insufficient_quota', ...options });
  }

  cut(options: Omit<CutFault, 'kind'> = {}): ActiveFault {
    return this.add({ kind: 'cut', ...options });
  }

  idle(options: Omit<IdleFault, 'kind'> = {}): ActiveFault {
    return this.add({ kind: 'idle', ...options });
  }

  delay(chunkDelayMs: number, options: Omit<DelayFault, 'kind' | 'chunkDelayMs'> = {}): ActiveFault {
    return this.add({ kind: 'delay', chunkDelayMs, ...options });
  }

  streamError(options: Omit<StreamErrorFault, 'kind'> = {}): ActiveFault {
    return this.add({ kind: 'stream-error', ...options });
  }

  /** Holds request `at` (default the next) until `release()`. */
  hold(options: Omit<HoldFault, 'kind'> = {}): HoldHandle {
    const fault = this.add({ kind: 'hold', ...options });
    return this.ensureHold((fault.spec as HoldFault).name ?? `hold-${fault.id}`).handle;
  }

  /** Releases a hold by name; false when there is none. */
  release(name: string): boolean {
    const state = this.holds.get(name);
    state?.release();
    return state !== undefined;
  }

  releaseAll(): void {
    for (const state of this.holds.values()) state.release();
  }

  clear(): void {
    this.releaseAll();
    this.active = [];
    this.holds.clear();
  }

  /** The faults that hit request `index` of `route`. */
  matching(route: MockRoute, index: number): FaultSpec[] {
    return this.active
      .filter((f) => f.route === route && index >= f.at && (f.times === 'always' || index < f.at + f.times))
      .map((f) => f.spec);
  }

  /** Waits for the hold's release, reporting the arrival first. */
  async waitForRelease(spec: HoldFault, faultIndex: number): Promise<void> {
    const fault = this.active.find((f) => f.spec === spec);
    const name = spec.name ?? `hold-${fault?.id ?? 0}`;
    const state = this.ensureHold(name);
    state.arrive(faultIndex);
    await state.released;
  }

  private ensureHold(name: string): HoldState {
    let state = this.holds.get(name);
    if (!state) {
      let arrive: (index: number) => void = () => {};
      let release: () => void = () => {};
      const arrived = new Promise<number>((resolve) => (arrive = resolve));
      const released = new Promise<void>((resolve) => (release = resolve));
      state = { handle: { name, arrived, release: () => release() }, arrive, released, release: () => release() };
      this.holds.set(name, state);
    }
    return state;
  }
}
