/**
 * Timing wrappers around the ports: when each LLM request entered and left the port, and how long each
 * `commitTurn` took. The control unit's time per turn is the gap between one reply leaving the LLM port
 * and the next request entering it.
 */
import type { CompleteOptions, CompletionRequest, CompletionResult, LlmPort, RequestMeta } from '../../src/llm/types.ts';
import type { FileStore, TurnCommit } from '../../src/store/types.ts';

export type Clock = () => number;

export const defaultClock: Clock = () => performance.now();

export interface RequestTiming {
  meta: RequestMeta;
  enteredAt: number;
  leftAt: number;
}

/** Delegates to `inner`, recording when each request entered and left. */
export class TimedLlm implements LlmPort {
  readonly timings: RequestTiming[] = [];

  constructor(
    readonly inner: LlmPort,
    private readonly clock: Clock = defaultClock,
  ) {}

  get model() {
    return this.inner.model;
  }

  countTokens(message: Parameters<LlmPort['countTokens']>[0]): number {
    return this.inner.countTokens(message);
  }

  countToolTokens(tools: Parameters<LlmPort['countToolTokens']>[0]): number {
    return this.inner.countToolTokens(tools);
  }

  async complete(request: CompletionRequest, options?: CompleteOptions): Promise<CompletionResult> {
    const enteredAt = this.clock();
    const result = await this.inner.complete(request, options);
    this.timings.push({ meta: { ...request.meta }, enteredAt, leftAt: this.clock() });
    return result;
  }
}

/**
 * The control unit's time for each step turn: from the reply of turn k leaving the LLM port to the next
 * request of the same step entering it (a `step` request, or the `summary` request after the gate).
 */
export function turnGaps(timings: readonly RequestTiming[]): { step: number; turn: number; ms: number; next: RequestMeta['kind'] }[] {
  const gaps: { step: number; turn: number; ms: number; next: RequestMeta['kind'] }[] = [];
  for (let i = 1; i < timings.length; i++) {
    const previous = timings[i - 1] as RequestTiming;
    const current = timings[i] as RequestTiming;
    if (previous.meta.kind !== 'step' || current.meta.step !== previous.meta.step) continue;
    if (current.meta.kind !== 'step' && current.meta.kind !== 'summary') continue;
    gaps.push({ step: previous.meta.step, turn: previous.meta.turn + 1, ms: current.enteredAt - previous.leftAt, next: current.meta.kind });
  }
  return gaps;
}

export interface CommitTiming {
  ms: number;
  changes: number;
  events: number;
}

/** The store with every `commitTurn` timed; every other call passes through untouched. */
export function timeCommits<S extends FileStore>(store: S, clock: Clock = defaultClock): { store: S; commits: CommitTiming[] } {
  const commits: CommitTiming[] = [];
  const proxy = new Proxy(store, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (property === 'commitTurn') {
        return async (runId: string, commit: TurnCommit) => {
          const started = clock();
          await target.commitTurn(runId, commit);
          commits.push({ ms: clock() - started, changes: commit.changes.length, events: commit.events.length });
        };
      }
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { store: proxy, commits };
}
