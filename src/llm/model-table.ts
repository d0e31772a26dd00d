/**
 * The model table (DESIGN.md §8): one row per model id, each with its source and the date it was checked.
 * Only figures found in a source are here; a price that could not be confirmed is `prices: null` (the UI
 * shows tokens without dollars and asks the user for prices if they want a spend cap). Every value can be
 * overridden in settings. Looked up by exact id only (`models.ts`).
 *
 * Capabilities: `reasoning` rows get `max_completion_tokens` and never a temperature; `supportsTemperature`
 * is false wherever a provider rejects non-default sampling (Claude 5) or it is unknown — leaving the
 * temperature out is always safe. `strictTools` only for OpenAI models, which document strict schemas.
 */
import type { ModelInfo, ProviderId } from './types.ts';

export interface ModelRow extends ModelInfo {
  /** Providers this row is for; absent: any provider serving this id (OpenAI, Azure and proxies). */
  providers?: readonly ProviderId[];
  /** Other exact ids of the same model (dated snapshots). */
  aliases?: readonly string[];
}

const CHECKED = '2026-11-24';

const OPENAI_PRICES_2026_05 =
  'Prices: developers.openai.com/api/docs/pricing as transcribed on 2026-05-04 in https://github.com/api-evangelist/openai/blob/main/plans/openai-plans-pricing.yml';
const OPENAI_LIMITS = 'Limits: OpenAI model data shipped in gpt-tokenizer 4.0.0 (esm/models.gen.js)';

/** OpenAI's reasoning models (GPT-5 family, o-series). */
const openaiReasoning = {
  reasoning: true,
  supportsTemperature: false,
  strictTools: true,
  tokenizer: 'o200k_base',
  checked: CHECKED,
} as const;

const openaiChat = {
  reasoning: false,
  supportsTemperature: true,
  strictTools: true,
  tokenizer: 'o200k_base',
  checked: CHECKED,
} as const;

/** Local servers: no per-token price; the window is what the server allocates (see the connection test). */
const local = {
  reasoning: false,
  supportsTemperature: true,
  strictTools: false,
  tokenizer: 'estimate',
  prices: { input: 0, cachedInput: 0, output: 0 },
  checked: CHECKED,
} as const;

export const MODEL_TABLE: readonly ModelRow[] = [
  // OpenAI (also served by Azure OpenAI under the same ids).
  {
    id: 'gpt-5.5',
    aliases: ['gpt-5.5-2026-04-23'],
    contextWindow: 1_050_000,
    maxOutputTokens: 128_000,
    prices: { input: 5, cachedInput: 0.5, output: 30 },
    ...openaiReasoning,
    source: `${OPENAI_PRICES_2026_05}. ${OPENAI_LIMITS}.`,
  },
  {
    id: 'gpt-5.4',
    aliases: ['gpt-5.4-2026-03-05'],
    contextWindow: 1_050_000,
    maxOutputTokens: 128_000,
    prices: { input: 2.5, cachedInput: 0.25, output: 15 },
    ...openaiReasoning,
    source: `${OPENAI_PRICES_2026_05} (standard rate; input beyond 272K tokens is billed higher). ${OPENAI_LIMITS}.`,
  },
  {
    id: 'gpt-5.4-mini',
    aliases: ['gpt-5.4-mini-2026-03-17'],
    contextWindow: 400_000,
    maxOutputTokens: 128_000,
    prices: { input: 0.75, cachedInput: 0.075, output: 4.5 },
    ...openaiReasoning,
    source: `${OPENAI_PRICES_2026_05}. Limits: https://vercel.com/ai-gateway/models/openai/gpt-5.4-mini (2026) and ${OPENAI_LIMITS}.`,
  },
  {
    id: 'gpt-5.4-nano',
    aliases: ['gpt-5.4-nano-2026-03-17'],
    contextWindow: 400_000,
    maxOutputTokens: 128_000,
    prices: { input: 0.2, cachedInput: 0.02, output: 1.25 },
    ...openaiReasoning,
    source: `${OPENAI_PRICES_2026_05}. ${OPENAI_LIMITS}.`,
  },
  {
    id: 'gpt-5.2',
    aliases: ['gpt-5.2-2025-12-11'],
    contextWindow: 400_000,
    maxOutputTokens: 128_000,
    prices: { input: 1.75, cachedInput: 0.175, output: 14 },
    ...openaiReasoning,
    source: `Prices: https://benchlm.ai/blog/posts/openai-api-pricing (2026-04-13, quoting OpenAI's GPT-5.2 launch page). ${OPENAI_LIMITS}.`,
  },
  {
    id: 'gpt-5.1',
    aliases: ['gpt-5.1-2025-11-13'],
    contextWindow: 400_000,
    maxOutputTokens: 128_000,
    prices: { input: 1.25, cachedInput: 0.125, output: 10 },
    ...openaiReasoning,
    source: `Prices: https://benchlm.ai/blog/posts/openai-api-pricing (2026-04-13, quoting OpenAI). ${OPENAI_LIMITS}.`,
  },
  ...(['gpt-5', 'gpt-5-mini', 'gpt-5-nano'] as const).map(
    (id): ModelRow => ({
      id,
      aliases: [`${id}-2025-08-07`],
      contextWindow: 400_000,
      maxOutputTokens: 128_000,
      prices: null,
      ...openaiReasoning,
      source: `${OPENAI_LIMITS} (input at most 272,000 of the window). Prices not confirmed.`,
    }),
  ),
  {
    id: 'gpt-4.1',
    aliases: ['gpt-4.1-2025-04-14'],
    contextWindow: 1_047_576,
    maxOutputTokens: 32_768,
    prices: { input: 2, cachedInput: 0.5, output: 8 },
    ...openaiChat,
    source: 'https://vercel.com/ai-gateway/models/gpt-4.1/providers (OpenAI row: $2.00 / $8.00, cache read $0.50) and https://vercel.com/ai-gateway/models/gpt-4.1-fast.md (1,047,576 / 32,768), 2026.',
  },
  ...(['gpt-4.1-mini', 'gpt-4.1-nano'] as const).map(
    (id): ModelRow => ({
      id,
      aliases: [`${id}-2025-04-14`],
      contextWindow: 1_047_576,
      maxOutputTokens: 32_768,
      prices: null,
      ...openaiChat,
      source: `https://vercel.com/ai-gateway/models/${id}-fast.md (1,047,576 / 32,768), 2026. Prices not confirmed.`,
    }),
  ),
  {
    id: 'gpt-4o',
    aliases: ['gpt-4o-2024-08-06'],
    contextWindow: 128_000,
    maxOutputTokens: 16_384,
    prices: { input: 2.5, cachedInput: 1.25, output: 10 },
    ...openaiChat,
    source: `Prices: https://docs.rs/crate/openai-models/0.1.1/source/src/lib.rs (from openai.com/api/pricing). ${OPENAI_LIMITS}.`,
  },
  {
    id: 'gpt-4o-mini',
    aliases: ['gpt-4o-mini-2024-07-18'],
    contextWindow: 128_000,
    maxOutputTokens: 16_384,
    prices: { input: 0.15, cachedInput: 0.075, output: 0.6 },
    ...openaiChat,
    source: `Prices: https://docs.rs/crate/openai-models/0.1.1/source/src/lib.rs (from openai.com/api/pricing). ${OPENAI_LIMITS}.`,
  },
  ...(['o3', 'o4-mini'] as const).map(
    (id): ModelRow => ({
      id,
      aliases: [`${id}-2025-04-16`],
      contextWindow: 200_000,
      maxOutputTokens: 100_000,
      prices: null,
      ...openaiReasoning,
      source: `${OPENAI_LIMITS}. Prices not confirmed.`,
    }),
  ),
  {
    id: 'gpt-4',
    aliases: ['gpt-4-0613'],
    contextWindow: 8_192,
    maxOutputTokens: 8_192,
    // No prompt caching for this model: cached tokens never occur, so they are priced as input.
    prices: { input: 30, cachedInput: 30, output: 60 },
    ...openaiChat,
    strictTools: false,
    tokenizer: 'cl100k_base',
    source: 'https://developers.openai.com/api/docs/models/gpt-4.md (8,192 / 8,192; $30 / $60).',
  },

  // Anthropic, through its OpenAI-compatible endpoint.
  {
    id: 'claude-opus-5',
    providers: ['anthropic'],
    contextWindow: 1_000_000,
    maxOutputTokens: 128_000,
    prices: { input: 5, cachedInput: 0.5, output: 25 },
    reasoning: false,
    supportsTemperature: false,
    strictTools: false,
    tokenizer: 'estimate',
    checked: CHECKED,
    source: 'https://platform.claude.com/docs/about-claude/models/whats-new-opus-5 (1M / 128K; $5 / $25; cache read $0.50), released 2026-07-24.',
  },
  {
    id: 'claude-sonnet-5',
    providers: ['anthropic'],
    contextWindow: 1_000_000,
    maxOutputTokens: 128_000,
    prices: { input: 2, cachedInput: 0.2, output: 10 },
    reasoning: false,
    // "setting sampling parameters (temperature, top_p, top_k) to non-default values returns a 400 error"
    supportsTemperature: false,
    strictTools: false,
    tokenizer: 'estimate',
    checked: CHECKED,
    source: 'https://platform.claude.com/docs/zh-CN/models/sonnet-5/overview (1M / 128K; $2 / $10; cache read $0.20), released 2026-06-30.',
  },
  {
    id: 'claude-haiku-4-5',
    providers: ['anthropic'],
    contextWindow: 200_000,
    maxOutputTokens: 64_000,
    prices: null,
    reasoning: false,
    supportsTemperature: true,
    strictTools: false,
    tokenizer: 'estimate',
    checked: CHECKED,
    source: 'https://platform.claude.com/docs/models/overview (200K / 64K; $1 / $5 per MTok; cache-read price not confirmed, so no prices).',
  },

  // Google Gemini, through its OpenAI-compatible endpoint.
  {
    id: 'gemini-2.5-pro',
    providers: ['gemini'],
    contextWindow: 1_048_576,
    maxOutputTokens: 65_535,
    prices: null,
    reasoning: false,
    supportsTemperature: true,
    strictTools: false,
    tokenizer: 'estimate',
    checked: CHECKED,
    source: 'https://docs.cloud.google.com/gemini-enterprise-agent-platform/models/gemini/2-5-pro (input 1,048,576, output 65,535). Prices not confirmed.',
  },

  // OpenRouter ids (vendor/model); OpenRouter's /models lists live prices, which the connection test reads.
  {
    id: 'openai/gpt-5.4',
    providers: ['openrouter'],
    contextWindow: 1_050_000,
    maxOutputTokens: 128_000,
    prices: null,
    ...openaiReasoning,
    strictTools: false,
    source: `Id: https://docs.callmissed.com/docs/models-openrouter (2026). ${OPENAI_LIMITS}. Prices: read from OpenRouter's /models by the connection test.`,
  },
  {
    id: 'openai/gpt-5.4-mini',
    providers: ['openrouter'],
    contextWindow: 400_000,
    maxOutputTokens: 128_000,
    prices: null,
    ...openaiReasoning,
    strictTools: false,
    source: `Id: https://docs.callmissed.com/docs/models-openrouter (2026). Limits as OpenAI's gpt-5.4-mini. Prices: read from OpenRouter's /models by the connection test.`,
  },
  {
    id: 'anthropic/claude-haiku-4.5',
    providers: ['openrouter'],
    contextWindow: 200_000,
    maxOutputTokens: 64_000,
    prices: null,
    reasoning: false,
    supportsTemperature: true,
    strictTools: false,
    tokenizer: 'estimate',
    checked: CHECKED,
    source: 'Id: https://tensorfeed.ai/api-reference/premium-clean-openrouter (2026). Limits: https://platform.claude.com/docs/models/overview.',
  },

  // Ollama (library tags) and LM Studio (model keys): the model's own maximum; the server's allocated
  // context (Ollama's num_ctx, LM Studio's load setting) may be far smaller — set the window to that.
  { id: 'gpt-oss:20b', providers: ['ollama'], contextWindow: 131_072, maxOutputTokens: 131_072, ...local, tokenizer: 'o200k_base', source: 'https://code.crashlabs.io/dave/storkit (.story_kit/specs/tech/MODEL_SELECTION.md: 128K) and gpt-tokenizer 4.0.0 model data (131,072).' },
  { id: 'llama3.1:8b', providers: ['ollama'], contextWindow: 131_072, maxOutputTokens: 131_072, ...local, source: 'https://code.crashlabs.io/dave/storkit (.story_kit/specs/tech/MODEL_SELECTION.md: 128K tokens).' },
  { id: 'qwen2.5-coder:7b', providers: ['ollama'], contextWindow: 32_768, maxOutputTokens: 32_768, ...local, source: 'https://code.crashlabs.io/dave/storkit (.story_kit/specs/tech/MODEL_SELECTION.md: 32K tokens).' },
  { id: 'qwen2.5-coder:14b', providers: ['ollama'], contextWindow: 32_768, maxOutputTokens: 32_768, ...local, source: 'https://code.crashlabs.io/dave/storkit (.story_kit/specs/tech/MODEL_SELECTION.md: 32K tokens).' },
  { id: 'qwen2.5:14b', providers: ['ollama'], contextWindow: 32_768, maxOutputTokens: 32_768, ...local, source: 'https://discovery.graphsandnetworks.com/knwl/ollama.html (`ollama show qwen2.5:14b`: context length 32768).' },
  { id: 'openai/gpt-oss-20b', providers: ['lmstudio'], contextWindow: 131_072, maxOutputTokens: 131_072, ...local, tokenizer: 'o200k_base', source: 'gpt-tokenizer 4.0.0 model data for gpt-oss-20b (131,072).' },
];
