import { describe, expect, it } from 'vitest';
import type { ModelInfo, Prices } from '../../../src/llm/types.ts';
import { addUsage, callCost, EMPTY_USAGE_TOTALS, estimateRunCost, sumUsage, UsageLedger } from '../../../src/llm/usage.ts';

const prices: Prices = { input: 2, cachedInput: 0.5, output: 8 };
const model: ModelInfo = {
  id: 'priced',
  contextWindow: 128_000,
  maxOutputTokens: 16_384,
  prices,
  reasoning: false,
  supportsTemperature: true,
  strictTools: true,
  tokenizer: 'o200k_base',
  source: 'fixture',
  checked: '2026-11-24',
};

describe('callCost', () => {
  it('bills cached input apart at its own price', () => {
    // 1M input of which 400k cached, 100k output: 0.6M × $2 + 0.4M × $0.5 + 0.1M × $8.
    expect(callCost({ inputTokens: 1_000_000, cachedInputTokens: 400_000, outputTokens: 100_000 }, prices)).toBeCloseTo(1.2 + 0.2 + 0.8);
    expect(callCost({ inputTokens: 1_000, cachedInputTokens: 0, outputTokens: 0 }, prices)).toBeCloseTo(0.002);
  });

  it('never bills more cached tokens than input tokens, and is null without prices', () => {
    expect(callCost({ inputTokens: 100, cachedInputTokens: 500, outputTokens: 0 }, prices)).toBeCloseTo((100 * 0.5) / 1e6);
    expect(callCost({ inputTokens: 100, cachedInputTokens: 0, outputTokens: 10 }, null)).toBeNull();
  });
});

describe('accumulation per call, step and run', () => {
  it('adds calls into totals without changing the inputs', () => {
    const one = addUsage(EMPTY_USAGE_TOTALS, { inputTokens: 1000, cachedInputTokens: 200, outputTokens: 100 }, prices);
    const two = addUsage(one, { inputTokens: 500, cachedInputTokens: 0, outputTokens: 50 }, prices);
    expect(two).toMatchObject({ inputTokens: 1500, cachedInputTokens: 200, outputTokens: 150, calls: 2 });
    expect(two.costUsd).toBeCloseTo((800 * 2 + 200 * 0.5 + 100 * 8 + 500 * 2 + 50 * 8) / 1e6);
    expect(one.calls).toBe(1);
    expect(EMPTY_USAGE_TOTALS.calls).toBe(0);
    expect(sumUsage(one, one)).toMatchObject({ calls: 2, inputTokens: 2000 });
  });

  it('keeps a ledger per step and for the run, resuming from stored run totals', () => {
    const ledger = new UsageLedger(prices, { inputTokens: 10, cachedInputTokens: 0, outputTokens: 1, costUsd: 0.5, calls: 3 });
    ledger.record(0, { inputTokens: 100, cachedInputTokens: 0, outputTokens: 10 });
    ledger.record(1, { inputTokens: 200, cachedInputTokens: 100, outputTokens: 20 });
    const cost = ledger.record(1, { inputTokens: 300, cachedInputTokens: 0, outputTokens: 30 });
    expect(cost).toBeCloseTo((300 * 2 + 30 * 8) / 1e6);
    expect(ledger.step(1)).toMatchObject({ inputTokens: 500, cachedInputTokens: 100, outputTokens: 50, calls: 2 });
    expect(ledger.step(0).calls).toBe(1);
    expect(ledger.step(7).calls).toBe(0);
    expect(ledger.run).toMatchObject({ inputTokens: 610, calls: 6 });
    expect(ledger.run.costUsd).toBeCloseTo(0.5 + (100 * 2 + 10 * 8 + 100 * 2 + 100 * 0.5 + 20 * 8 + 300 * 2 + 30 * 8) / 1e6);
  });

  it('counts tokens but no cost for a model without prices', () => {
    const ledger = new UsageLedger(null);
    expect(ledger.record(1, { inputTokens: 100, cachedInputTokens: 0, outputTokens: 10 })).toBeNull();
    expect(ledger.run).toMatchObject({ inputTokens: 100, costUsd: 0, calls: 1 });
  });
});

describe('estimateRunCost', () => {
  it('gives a range, low below high, that grows with the steps', () => {
    const three = estimateRunCost({ model, steps: 3, taskTokens: 200 });
    const ten = estimateRunCost({ model, steps: 10, taskTokens: 200 });
    expect(three.lowUsd).toBeGreaterThan(0);
    expect(three.lowUsd!).toBeLessThan(three.highUsd!);
    expect(ten.lowUsd!).toBeGreaterThan(three.lowUsd!);
    expect(ten.highUsd!).toBeGreaterThan(three.highUsd!);
    // 1 plan call, per step 4–12 turns and a summary.
    expect(three.low.calls).toBe(1 + 3 * 5);
    expect(three.high.calls).toBe(1 + 3 * 13);
    expect(three.assumptions.join(' ')).toMatch(/prompt cache/);
  });

  it('never assumes a prompt larger than the context budget', () => {
    const small = estimateRunCost({ model: { ...model, contextWindow: 8_192, maxOutputTokens: 2_048 }, steps: 1, taskTokens: 100 });
    const perCallCeiling = 8_192 - 2_048;
    expect(small.high.inputTokens).toBeLessThanOrEqual(small.high.calls * perCallCeiling);
  });

  it('gives tokens but no dollars when prices are unknown', () => {
    const estimate = estimateRunCost({ model: { ...model, prices: null }, steps: 2, taskTokens: 100 });
    expect(estimate.lowUsd).toBeNull();
    expect(estimate.highUsd).toBeNull();
    expect(estimate.high.inputTokens).toBeGreaterThan(0);
    expect(estimate.assumptions.at(-1)).toMatch(/no known prices/);
  });
});
