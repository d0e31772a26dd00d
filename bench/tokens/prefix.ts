/**
 * Token figures of a series of requests: each request serialized as a provider receives it (the tool
 * definitions, then the messages in order), its tokens, and how many of its leading tokens are exactly the
 * previous request's leading tokens in the same group (the same step's context): what provider prompt
 * caching can reuse.
 */
import type { ChatMessage, ToolSpec } from '../../src/llm/types.ts';
import { median } from '../core/stats.ts';

export type Encode = (text: string) => number[];

export interface SeriesRequest {
  /** Requests of one group share a context (a step, planning, the report). */
  group: string;
  label: string;
  messages: readonly ChatMessage[];
  tools?: readonly ToolSpec[] | undefined;
}

export interface RequestFigures {
  group: string;
  label: string;
  tokens: number;
  /** Leading tokens identical to the previous request's in the same group; null for a group's first. */
  prefixTokens: number | null;
  /** Tokens of the previous request of the group (null for a group's first). */
  previousTokens: number | null;
  /** Leading tokens identical to the previous request's, whatever its group (null for the very first). */
  prefixAnyTokens: number | null;
}

/** One string per request, in the order a provider reads it. Deterministic (JSON of each part). */
export function serializeRequest(request: Pick<SeriesRequest, 'messages' | 'tools'>): string {
  const parts: string[] = [];
  for (const tool of request.tools ?? []) parts.push(JSON.stringify(tool));
  for (const message of request.messages) parts.push(JSON.stringify(message));
  return parts.join('\n');
}

export function commonPrefixLength(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  return i;
}

export function analyzeSeries(requests: readonly SeriesRequest[], encode: Encode): RequestFigures[] {
  const lastOfGroup = new Map<string, number[]>();
  let previous: number[] | null = null;
  return requests.map((request) => {
    const tokens = encode(serializeRequest(request));
    const before = lastOfGroup.get(request.group);
    const figures: RequestFigures = {
      group: request.group,
      label: request.label,
      tokens: tokens.length,
      prefixTokens: before ? commonPrefixLength(before, tokens) : null,
      previousTokens: before ? before.length : null,
      prefixAnyTokens: previous ? commonPrefixLength(previous, tokens) : null,
    };
    lastOfGroup.set(request.group, tokens);
    previous = tokens;
    return figures;
  });
}

export interface SeriesTotals {
  requests: number;
  inputTokens: number;
  /** Requests that have a previous request in their group. */
  followUps: number;
  followUpTokens: number;
  followUpPrefixTokens: number;
  /** Token-weighted share of follow-up requests that is a prefix of the previous request of the group. */
  prefixShare: number;
  /**
   * How much of the previous request of the group each follow-up repeats exactly, token-weighted: 100 %
   * when contexts are append-only (nothing before the new turn changed). The prefix share can then go no
   * higher than the previous request's size over this one's.
   */
  previousReuse: number;
  /** The median of the follow-up requests' own shares. */
  medianRequestShare: number;
  /** Share of every input token (first requests of groups included) reusable from the request before. */
  anyPrefixShare: number;
}

export function seriesTotals(figures: readonly RequestFigures[]): SeriesTotals {
  const followUps = figures.filter((f) => f.prefixTokens !== null);
  const followUpTokens = followUps.reduce((n, f) => n + f.tokens, 0);
  const followUpPrefixTokens = followUps.reduce((n, f) => n + (f.prefixTokens ?? 0), 0);
  const inputTokens = figures.reduce((n, f) => n + f.tokens, 0);
  return {
    requests: figures.length,
    inputTokens,
    followUps: followUps.length,
    followUpTokens,
    followUpPrefixTokens,
    prefixShare: followUpTokens ? followUpPrefixTokens / followUpTokens : Number.NaN,
    previousReuse: followUpPrefixTokens / followUps.reduce((n, f) => n + (f.previousTokens ?? 0), 0),
    medianRequestShare: median(followUps.map((f) => (f.prefixTokens ?? 0) / f.tokens)),
    anyPrefixShare: inputTokens ? figures.reduce((n, f) => n + (f.prefixAnyTokens ?? 0), 0) / inputTokens : Number.NaN,
  };
}
