/** Spend of one call from the model's prices (DESIGN.md §8: cached input counted apart). */
import type { Prices, Usage } from '../llm/types.ts';
import type { UsageTotals } from '../store/types.ts';

export function callCostUsd(prices: Prices | null, usage: Usage): number {
  if (!prices) return 0;
  const cached = Math.min(usage.cachedInputTokens, usage.inputTokens);
  return ((usage.inputTokens - cached) * prices.input + cached * prices.cachedInput + usage.outputTokens * prices.output) / 1_000_000;
}

export function emptyUsage(): UsageTotals {
  return { inputTokens: 0, cachedInputTokens: 0, outputTokens: 0, costUsd: 0, calls: 0 };
}

export function addUsage(totals: UsageTotals, usage: Usage, costUsd: number): UsageTotals {
  return {
    inputTokens: totals.inputTokens + usage.inputTokens,
    cachedInputTokens: totals.cachedInputTokens + usage.cachedInputTokens,
    outputTokens: totals.outputTokens + usage.outputTokens,
    costUsd: totals.costUsd + costUsd,
    calls: totals.calls + 1,
  };
}
