/**
 * Token counts for the context budget (DESIGN.md §4 "Context", §8 "Tokens").
 *
 * - OpenAI models: exact counts with gpt-tokenizer (`o200k_base` or `cl100k_base`), whose encoding tables
 *   (1–2.4 MB) are loaded with a dynamic import on `ready()`, never in the initial bundle.
 * - Other models: the estimate of `estimate.ts` (3.5 characters per token, deliberately high).
 * - Either way, corrected from the provider's reported prompt tokens (`observe`), see `correctionFactor`.
 * - Each message's raw count is cached on the message object, so a turn tokenizes only its new messages;
 *   the correction is applied on read and never forces a recount.
 *
 * Per-message overhead follows OpenAI's accounting: 3 tokens of framing plus the role (1 token); a tool
 * call adds its name and arguments plus 3 tokens of structure (our margin: the exact framing is not
 * published). Tool definitions are counted as their JSON plus 12 tokens; OpenAI renders them more compactly
 * internally, so this errs high.
 */
import { DEFAULT_CHARS_PER_TOKEN, estimateMessageTokens, estimateToolTokens, MESSAGE_OVERHEAD_TOKENS } from './estimate.ts';
import type { ChatMessage, TokenizerKind, ToolSpec } from './types.ts';

/** Reply priming every request carries (as `requestTokens` of the control unit adds). */
export const REQUEST_OVERHEAD_TOKENS = 3;
const TOOL_CALL_OVERHEAD_TOKENS = 3;
const TOOLS_OVERHEAD_TOKENS = 12;

/** Safety margin kept on a corrected estimate. */
export const ESTIMATE_MARGIN = 0.1;
/** Bounds of the correction of an estimate: a misreporting provider cannot shrink or inflate it without limit. */
export const MIN_ESTIMATE_FACTOR = 0.5;
export const MAX_ESTIMATE_FACTOR = 4;
/** An exact count is only ever raised, at most by this factor. */
export const MAX_EXACT_FACTOR = 1.5;
/** Weight of the past in the running ratio (per observation), so a change of provider behaviour shows. */
const RATIO_DECAY = 0.8;

type CountText = (text: string) => number;

const encodings = new Map<Exclude<TokenizerKind, 'estimate'>, Promise<CountText>>();

/** Loads an encoding once per page; later counters share it. */
function loadEncoding(kind: Exclude<TokenizerKind, 'estimate'>): Promise<CountText> {
  let loading = encodings.get(kind);
  if (!loading) {
    const imported = kind === 'o200k_base' ? import('gpt-tokenizer/encoding/o200k_base') : import('gpt-tokenizer/encoding/cl100k_base');
    // Text that spells a special token ("<|endoftext|>") is ordinary text in a prompt, not a control token.
    const plain = { disallowedSpecial: new Set<string>() };
    loading = imported.then((module) => (text: string) => module.countTokens(text, plain));
    loading.catch(() => encodings.delete(kind));
    encodings.set(kind, loading);
  }
  return loading;
}

/**
 * The factor applied to raw counts, from the running ratio of reported to raw prompt tokens.
 *
 * - Estimates follow the ratio both ways (a provider's tokenizer may be denser or sparser than 3.5
 *   characters per token) but keep a 10 % margin on top of it, so the corrected count stays above what the
 *   provider reports; bounded to [0.5, 4] so one odd report cannot wreck the budget.
 * - Exact counts are never lowered (our count is the tokenizer's own); they rise when a provider reports
 *   consistently more (hidden framing), at most by half.
 */
export function correctionFactor(exact: boolean, ratio: number | undefined): number {
  if (ratio === undefined || !Number.isFinite(ratio) || ratio <= 0) return 1;
  if (exact) return Math.min(MAX_EXACT_FACTOR, Math.max(1, ratio));
  return Math.min(MAX_ESTIMATE_FACTOR, Math.max(MIN_ESTIMATE_FACTOR, ratio * (1 + ESTIMATE_MARGIN)));
}

export interface TokenCounter {
  readonly tokenizer: TokenizerKind;
  /** Whether counts come from the model's own tokenizer. */
  readonly exact: boolean;
  /** Loads the encoding (exact counters); call once before the first count. */
  ready(): Promise<void>;
  /** Corrected tokens of one message. */
  count(message: ChatMessage): number;
  /** Corrected tokens of tool definitions. */
  countTools(tools: readonly ToolSpec[]): number;
  /** Uncorrected tokens of a whole request (for `observe`). */
  rawRequest(messages: readonly ChatMessage[], tools?: readonly ToolSpec[]): number;
  /** The provider reported `reported` prompt tokens for a request whose raw count was `raw`. */
  observe(raw: number, reported: number): void;
  readonly factor: number;
  /** How many texts were tokenized or estimated (tests prove the cache with it). */
  readonly textsCounted: number;
}

class MessageTokenCounter implements TokenCounter {
  readonly exact: boolean;
  private countText: CountText | undefined;
  private readonly rawCounts = new WeakMap<ChatMessage, number>();
  private readonly toolCounts = new WeakMap<readonly ToolSpec[], number>();
  private weightedReported = 0;
  private weightedRaw = 0;
  textsCounted = 0;

  constructor(readonly tokenizer: TokenizerKind) {
    this.exact = tokenizer !== 'estimate';
  }

  async ready(): Promise<void> {
    if (this.tokenizer !== 'estimate' && !this.countText) this.countText = await loadEncoding(this.tokenizer);
  }

  get factor(): number {
    return correctionFactor(this.exact, this.weightedRaw > 0 ? this.weightedReported / this.weightedRaw : undefined);
  }

  private encoder(): CountText {
    if (!this.countText) throw new Error(`Token counter for ${this.tokenizer} used before ready()`);
    return this.countText;
  }

  private rawMessage(message: ChatMessage): number {
    let raw = this.rawCounts.get(message);
    if (raw === undefined) {
      this.textsCounted += 1;
      raw = this.exact ? this.exactMessage(message) : estimateMessageTokens(message, DEFAULT_CHARS_PER_TOKEN);
      this.rawCounts.set(message, raw);
    }
    return raw;
  }

  private exactMessage(message: ChatMessage): number {
    const encode = this.encoder();
    let tokens = MESSAGE_OVERHEAD_TOKENS + encode(message.content ?? '');
    if (message.role === 'assistant') {
      for (const call of message.tool_calls ?? []) {
        tokens += TOOL_CALL_OVERHEAD_TOKENS + encode(call.function.name) + encode(call.function.arguments);
      }
    }
    if (message.role === 'tool') tokens += encode(message.tool_call_id);
    return tokens;
  }

  private rawTools(tools: readonly ToolSpec[]): number {
    if (tools.length === 0) return 0;
    let raw = this.toolCounts.get(tools);
    if (raw === undefined) {
      this.textsCounted += 1;
      raw = this.exact ? TOOLS_OVERHEAD_TOKENS + this.encoder()(JSON.stringify(tools)) : estimateToolTokens([...tools]);
      this.toolCounts.set(tools, raw);
    }
    return raw;
  }

  count(message: ChatMessage): number {
    return Math.ceil(this.rawMessage(message) * this.factor);
  }

  countTools(tools: readonly ToolSpec[]): number {
    return Math.ceil(this.rawTools(tools) * this.factor);
  }

  rawRequest(messages: readonly ChatMessage[], tools: readonly ToolSpec[] = []): number {
    return messages.reduce((sum, m) => sum + this.rawMessage(m), REQUEST_OVERHEAD_TOKENS + this.rawTools(tools));
  }

  observe(raw: number, reported: number): void {
    if (!(raw > 0 && reported > 0)) return;
    this.weightedRaw = this.weightedRaw * RATIO_DECAY + raw;
    this.weightedReported = this.weightedReported * RATIO_DECAY + reported;
  }
}

export function createTokenCounter(tokenizer: TokenizerKind): TokenCounter {
  return new MessageTokenCounter(tokenizer);
}
