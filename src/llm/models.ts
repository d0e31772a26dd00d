/**
 * Model lookup (DESIGN.md §8). EXACT: an id matches a row's id or one of its listed aliases, character for
 * character — never a prefix or a "closest" row (the original L2MAC's fuzzy match gave gpt-4.1, a 1M-token
 * model, gpt-4's 8k window). An unknown id returns undefined, and the UI asks for its context window.
 */
import { MODEL_TABLE, type ModelRow } from './model-table.ts';
import type { LlmSettings, ModelInfo, ProviderId } from './types.ts';

export { MODEL_TABLE, type ModelRow } from './model-table.ts';

export type ModelOverrides = Partial<Omit<ModelInfo, 'id'>>;

function matches(row: ModelRow, id: string): boolean {
  return row.id === id || (row.aliases?.includes(id) ?? false);
}

function toInfo(row: ModelRow, id: string): ModelInfo {
  const { providers: _providers, aliases: _aliases, ...info } = row;
  return { ...info, id };
}

/**
 * The row for `id` (exact), with the user's overrides applied. With a provider, a row made for that
 * provider wins over a general one; a row made only for other providers does not match.
 */
export function lookupModel(id: string, overrides: ModelOverrides = {}, provider?: ProviderId): ModelInfo | undefined {
  const candidates = MODEL_TABLE.filter((row) => matches(row, id));
  const row =
    (provider ? candidates.find((r) => r.providers?.includes(provider)) : undefined) ??
    candidates.find((r) => r.providers === undefined) ??
    (provider === undefined ? candidates[0] : undefined);
  return row ? { ...toInfo(row, id), ...withoutUndefined(overrides) } : undefined;
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * A model the table does not know, from what the user entered (at least its context window). Conservative
 * defaults: no known prices, no strict schemas, the estimate tokenizer, an output limit of a quarter of the
 * window (at most 8,192), and a temperature only if the user says the model takes one.
 */
export function customModel(id: string, overrides: ModelOverrides & { contextWindow: number }): ModelInfo {
  const contextWindow = overrides.contextWindow;
  return {
    id,
    maxOutputTokens: Math.max(256, Math.min(8_192, Math.floor(contextWindow / 4))),
    prices: null,
    reasoning: false,
    supportsTemperature: false,
    strictTools: false,
    tokenizer: 'estimate',
    source: 'entered by the user',
    checked: new Date().toISOString().slice(0, 10),
    ...withoutUndefined(overrides),
    contextWindow,
  };
}

/**
 * The model in effect for the settings: the table's row with the user's overrides, or a custom model when
 * the user gave a context window for an unknown id; undefined when the UI must ask for the window.
 */
export function resolveModel(settings: Pick<LlmSettings, 'model' | 'provider' | 'modelOverrides'>): ModelInfo | undefined {
  const overrides = settings.modelOverrides ?? {};
  const known = lookupModel(settings.model, overrides, settings.provider);
  if (known) return known;
  const contextWindow = overrides.contextWindow;
  if (typeof contextWindow === 'number' && contextWindow > 0) return customModel(settings.model, { ...overrides, contextWindow });
  return undefined;
}

/** The ids the table knows for a provider (for a datalist of suggestions; the Model field stays free text). */
export function knownModelIds(provider: ProviderId): string[] {
  return MODEL_TABLE.filter((row) => (row.providers ? row.providers.includes(provider) : provider === 'openai' || provider === 'azure')).map((row) => row.id);
}
