/**
 * Usage and cost (DESIGN.md §8): the cost of one call from its usage and the model's prices (cached input
 * counted apart, at its own price), totals per call, step and run (`UsageTotals` of the store), and the
 * cost estimate the New run form shows before Run.
 */
import type { UsageTotals } from '../store/types.ts';
import type { ModelInfo, Prices, Usage } from './types.ts';

export const EMPTY_USAGE_TOTALS: Readonly<UsageTotals> = Object.freeze({ inputTokens: 0, cachedInputTokens: 0, outputTokens: 0, costUsd: 0, calls: 0 });

/**
 * US dollars for one call, or null when the model's prices are unknown. `inputTokens` includes the cached
 * ones (as providers report them); those are billed at `cachedInput`, the rest at `input`.
 */
export function callCost(usage: Usage, prices: Prices | null): number | null {
  if (!prices) return null;
  const cached = Math.min(Math.max(0, usage.cachedInputTokens), usage.inputTokens);
  const uncached = usage.inputTokens - cached;
  return (uncached * prices.input + cached * prices.cachedInput + usage.outputTokens * prices.output) / 1_000_000;
}

/** Totals with one more call added (a call of a model without prices adds tokens but no cost). */
export function addUsage(totals: Readonly<UsageTotals>, usage: Usage, prices: Prices | null): UsageTotals {
  return {
    inputTokens: totals.inputTokens + usage.inputTokens,
    cachedInputTokens: totals.cachedInputTokens + usage.cachedInputTokens,
    outputTokens: totals.outputTokens + usage.outputTokens,
    costUsd: totals.costUsd + (callCost(usage, prices) ?? 0),
    calls: totals.calls + 1,
  };
}

export function sumUsage(a: Readonly<UsageTotals>, b: Readonly<UsageTotals>): UsageTotals {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    cachedInputTokens: a.cachedInputTokens + b.cachedInputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    costUsd: a.costUsd + b.costUsd,
    calls: a.calls + b.calls,
  };
}

/** Usage per step (0: planning and the report) and for the whole run, built call by call. */
export class UsageLedger {
  private totals: UsageTotals;
  private readonly steps = new Map<number, UsageTotals>();

  constructor(
    private readonly prices: Prices | null,
    initialRun: Readonly<UsageTotals> = EMPTY_USAGE_TOTALS,
  ) {
    this.totals = { ...initialRun };
  }

  /** Records a call; returns its cost (null when prices are unknown). */
  record(step: number, usage: Usage): number | null {
    this.totals = addUsage(this.totals, usage, this.prices);
    this.steps.set(step, addUsage(this.steps.get(step) ?? EMPTY_USAGE_TOTALS, usage, this.prices));
    return callCost(usage, this.prices);
  }

  get run(): UsageTotals {
    return { ...this.totals };
  }

  step(step: number): UsageTotals {
    return { ...(this.steps.get(step) ?? EMPTY_USAGE_TOTALS) };
  }
}

export interface RunCostInputs {
  model: ModelInfo;
  /** Steps the run may take: the plan's length when known, else the step cap. */
  steps: number;
  /** Tokens of the task text (count it with the LLM port, or `estimateTextTokens`). */
  taskTokens: number;
  /** System prompt and tool definitions (default 2,500). */
  systemTokens?: number;
  /** A listing and summaries of starting files, for a run over existing code (default 0). */
  existingFileTokens?: number;
  /** Cap of the completion reserve (default 8,192). */
  completionReserveCap?: number;
}

export interface RunTokens {
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
  calls: number;
}

export interface RunCostEstimate {
  low: RunTokens;
  high: RunTokens;
  /** Null when the model's prices are unknown. */
  lowUsd: number | null;
  highUsd: number | null;
  /** The assumptions, in words, for the UI to show beside the range. */
  assumptions: string[];
}

/** One bound of the estimate. */
interface Scenario {
  turnsPerStep: number;
  outputPerTurn: number;
  /** History added per turn: the reply, tool results, the control message. */
  growthPerTurn: number;
  /** Share of input served from the provider's prompt cache (messages are append-only within a step). */
  cachedShare: number;
}

const LOW: Scenario = { turnsPerStep: 4, outputPerTurn: 600, growthPerTurn: 1_500, cachedShare: 0.5 };
const HIGH: Scenario = { turnsPerStep: 12, outputPerTurn: 1_500, growthPerTurn: 3_000, cachedShare: 0 };
const STEP_PREAMBLE = 600;
const SUMMARY_OUTPUT = 150;
const PLAN_OUTPUT = 1_200;

function tokensFor(inputs: RunCostInputs, s: Scenario): RunTokens {
  const reserve = Math.min(inputs.model.maxOutputTokens, inputs.completionReserveCap ?? 8_192);
  const budget = Math.max(1, inputs.model.contextWindow - reserve);
  const base = (inputs.systemTokens ?? 2_500) + inputs.taskTokens + (inputs.existingFileTokens ?? 0);
  let input = base + 400;
  let output = PLAN_OUTPUT;
  let calls = 1;
  for (let step = 0; step < inputs.steps; step++) {
    let history = 0;
    for (let turn = 0; turn < s.turnsPerStep; turn++) {
      // A context that fills up is restarted from a summary (DESIGN.md §4): it never exceeds the budget.
      input += Math.min(budget, base + STEP_PREAMBLE + history);
      output += s.outputPerTurn;
      history += s.growthPerTurn;
      calls += 1;
    }
    input += Math.min(budget, base + STEP_PREAMBLE + history);
    output += SUMMARY_OUTPUT;
    calls += 1;
  }
  return { inputTokens: input, cachedInputTokens: Math.round(input * s.cachedShare), outputTokens: output, calls };
}

function usdFor(tokens: RunTokens, prices: Prices | null): number | null {
  return callCost(tokens, prices);
}

/**
 * A cost range for a run before it starts. Assumptions (shown to the user): one planning call; per step
 * 4 to 12 turns of 600 to 1,500 output tokens each, each turn adding 1,500 to 3,000 tokens of history, and
 * a hand-off summary; contexts never exceed the model's window (restarts); the low bound assumes half the
 * input is served from the provider's prompt cache, the high bound none. Retries, restarts' extra calls and
 * reasoning tokens (billed as output) are not counted, so a run with many failing tests can exceed the high
 * bound; the spend guard stops it at its cap.
 */
export function estimateRunCost(inputs: RunCostInputs): RunCostEstimate {
  const low = tokensFor(inputs, LOW);
  const high = tokensFor(inputs, HIGH);
  return {
    low,
    high,
    lowUsd: usdFor(low, inputs.model.prices),
    highUsd: usdFor(high, inputs.model.prices),
    assumptions: [
      `${inputs.steps} steps, ${LOW.turnsPerStep}–${HIGH.turnsPerStep} turns each, ${LOW.outputPerTurn}–${HIGH.outputPerTurn} output tokens per turn`,
      'each turn adds 1,500–3,000 tokens of history; contexts stay within the model window',
      'low: half the input from the prompt cache; high: no caching',
      'not counted: retries, context restarts, reasoning tokens (billed as output)',
      inputs.model.prices ? `prices of ${inputs.model.id} as of ${inputs.model.checked}` : `no known prices for ${inputs.model.id}: tokens only`,
    ],
  };
}
