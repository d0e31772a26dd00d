import { describe, expect, it } from 'vitest';
import { customModel, knownModelIds, lookupModel, MODEL_TABLE, resolveModel } from '../../../src/llm/models.ts';

describe('lookupModel is exact', () => {
  it('gives gpt-4.1 its own 1M window, never gpt-4’s 8k (the original’s fuzzy-match bug)', () => {
    expect(lookupModel('gpt-4.1')?.contextWindow).toBe(1_047_576);
    expect(lookupModel('gpt-4')?.contextWindow).toBe(8_192);
    expect(lookupModel('gpt-4.1-2025-04-14')).toMatchObject({ id: 'gpt-4.1-2025-04-14', contextWindow: 1_047_576 });
  });

  it('returns undefined for anything not listed: near names, case changes, prefixes, suffixes', () => {
    for (const id of ['gpt-4.1-turbo', 'GPT-4.1', 'gpt-4.', 'gpt-5.4-mini-latest', ' gpt-4o', 'gpt', 'claude', 'llama3.1', 'llama3.1:70b']) {
      expect(lookupModel(id), id).toBeUndefined();
    }
  });

  it('applies the user’s overrides to a known row', () => {
    const model = lookupModel('gpt-4o', { contextWindow: 64_000, prices: null, supportsTemperature: undefined });
    expect(model).toMatchObject({ id: 'gpt-4o', contextWindow: 64_000, prices: null, supportsTemperature: true, maxOutputTokens: 16_384 });
  });

  it('prefers a row made for the provider and never uses another provider’s row', () => {
    expect(lookupModel('gpt-oss:20b', {}, 'ollama')?.prices).toEqual({ input: 0, cachedInput: 0, output: 0 });
    expect(lookupModel('gpt-oss:20b', {}, 'openai')).toBeUndefined();
    expect(lookupModel('openai/gpt-5.4', {}, 'openrouter')?.contextWindow).toBe(1_050_000);
    expect(lookupModel('openai/gpt-5.4', {}, 'custom')).toBeUndefined();
    // General rows serve any provider (Azure deployments of OpenAI models, proxies).
    expect(lookupModel('gpt-5.4-mini', {}, 'azure')?.reasoning).toBe(true);
  });
});

describe('capabilities', () => {
  it('marks reasoning models (max_completion_tokens, no temperature) and chat models apart', () => {
    expect(lookupModel('gpt-5.4-mini')).toMatchObject({ reasoning: true, supportsTemperature: false, tokenizer: 'o200k_base' });
    expect(lookupModel('gpt-4.1')).toMatchObject({ reasoning: false, supportsTemperature: true, strictTools: true });
    expect(lookupModel('gpt-4')?.tokenizer).toBe('cl100k_base');
    expect(lookupModel('claude-sonnet-5', {}, 'anthropic')?.supportsTemperature).toBe(false);
  });
});

describe('the table', () => {
  it('has a source and a date on every row, sane limits, and complete or null prices', () => {
    for (const row of MODEL_TABLE) {
      expect(row.source.length, row.id).toBeGreaterThan(10);
      expect(row.checked, row.id).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(row.contextWindow, row.id).toBeGreaterThan(0);
      expect(row.maxOutputTokens, row.id).toBeGreaterThan(0);
      expect(row.maxOutputTokens, row.id).toBeLessThanOrEqual(row.contextWindow);
      if (row.prices) {
        for (const price of Object.values(row.prices)) expect(price, row.id).toBeGreaterThanOrEqual(0);
        expect(row.prices.cachedInput, row.id).toBeLessThanOrEqual(row.prices.input);
      }
    }
  });

  it('has no id (or alias) twice for the same provider', () => {
    const seen = new Set<string>();
    for (const row of MODEL_TABLE) {
      for (const id of [row.id, ...(row.aliases ?? [])]) {
        for (const provider of row.providers ?? ['*']) {
          const key = `${provider}|${id}`;
          expect(seen.has(key), key).toBe(false);
          seen.add(key);
        }
      }
    }
  });

  it('covers every preset with a few models', () => {
    for (const provider of ['openai', 'anthropic', 'gemini', 'openrouter', 'ollama', 'lmstudio'] as const) {
      expect(knownModelIds(provider).length, provider).toBeGreaterThan(0);
    }
  });
});

describe('unknown models', () => {
  it('need a context window: resolveModel is undefined until the user gives one', () => {
    expect(resolveModel({ provider: 'custom', model: 'my-finetune' })).toBeUndefined();
    const model = resolveModel({ provider: 'custom', model: 'my-finetune', modelOverrides: { contextWindow: 16_000 } });
    expect(model).toMatchObject({ id: 'my-finetune', contextWindow: 16_000, maxOutputTokens: 4_000, prices: null, tokenizer: 'estimate', supportsTemperature: false });
  });

  it('keep what the user entered', () => {
    expect(customModel('x', { contextWindow: 100_000, maxOutputTokens: 20_000, prices: { input: 1, cachedInput: 1, output: 2 } })).toMatchObject({
      maxOutputTokens: 20_000,
      prices: { input: 1, cachedInput: 1, output: 2 },
    });
    expect(customModel('tiny', { contextWindow: 512 }).maxOutputTokens).toBe(256);
  });
});
