/**
 * Figure 3: tokens of the fixed 5-step scenario, ours and the model of the original's request building
 * side by side; the prefix each request shares with the previous one of its step; the file listing's size
 * as the store grows.
 */
import { fileListing } from '../../src/l2mac/workspace.ts';
import { planToolSpec, stepTools, toolSpec } from '../../src/l2mac/tools/registry.ts';
import type { CompletionRequest } from '../../src/llm/types.ts';
import { MemoryStore } from '../../src/store/memory.ts';
import { generatedProject, lineTotal } from '../core/project.ts';
import { driveScripted } from '../core/scripted-run.ts';
import { originalRequests, pythonListRepr } from './original-model.ts';
import { analyzeSeries, seriesTotals, serializeRequest, type Encode, type RequestFigures, type SeriesRequest, type SeriesTotals } from './prefix.ts';
import { JudgingSandbox, TOKEN_PLAN, tokenScenario } from './scenario.ts';

function groupOf(request: CompletionRequest): string {
  const { kind, step, restart } = request.meta;
  if (kind === 'plan' || kind === 'report') return kind;
  return restart ? `step ${step} restart ${restart}` : `step ${step}`;
}

function labelOf(request: CompletionRequest): string {
  const { kind, step, turn } = request.meta;
  if (kind === 'plan' || kind === 'report') return kind;
  return kind === 'summary' ? `step ${step} summary` : `step ${step} turn ${turn}`;
}

export function ourSeries(requests: readonly CompletionRequest[]): SeriesRequest[] {
  return requests.map((r) => ({ group: groupOf(r), label: labelOf(r), messages: r.messages, tools: r.tools }));
}

export interface ListingPoint {
  files: number;
  lines: number;
  ours: { chars: number; tokens: number };
  original: { chars: number; tokens: number };
}

/** Our compact listing and the original's Python list of paths, for a project of each size. */
export function listingGrowth(sizes: readonly number[], encode: Encode): ListingPoint[] {
  return sizes.map((files) => {
    const project = generatedProject(files, 40);
    const contents = new Map(project.map((f) => [f.path, f.content]));
    const ours = fileListing({ paths: () => [...contents.keys()].sort(), read: (p) => contents.get(p) });
    const original = pythonListRepr(project.map((f) => f.path));
    return {
      files,
      lines: lineTotal(project),
      ours: { chars: ours.length, tokens: encode(ours).length },
      original: { chars: original.length, tokens: encode(original).length },
    };
  });
}

export interface StepTotals {
  group: string;
  ours: number;
  original: number;
}

export interface TokensResult {
  scenario: string;
  tokenizer: string;
  ours: { requests: RequestFigures[]; totals: SeriesTotals };
  original: { requests: RequestFigures[]; totals: SeriesTotals; overflowDeletions: number; skippedTurns: number };
  perGroup: StepTotals[];
  listing: ListingPoint[];
}

export async function measureTokens(encode: Encode, tokenizer: string, listingSizes: readonly number[] = [10, 50, 100, 200, 500, 1000, 2000, 5000]): Promise<TokensResult> {
  const scenario = tokenScenario();
  const captured: CompletionRequest[] = [];
  const { run } = await driveScripted({
    scenario,
    store: new MemoryStore(),
    sandbox: new JudgingSandbox(),
    limits: { maxSteps: TOKEN_PLAN.length },
    onRequest: (request) => captured.push(request),
  });
  const ours = analyzeSeries(ourSeries(captured), encode);
  const model = originalRequests({
    plan: TOKEN_PLAN,
    ours: captured,
    summaries: (run.plan ?? []).map((s) => s.summary ?? ''),
    stepTools: stepTools('codebase').map(toolSpec),
    planTool: planToolSpec(run.settings.limits.maxSteps),
    contextWindow: run.settings.model.contextWindow,
    countTokens: (request) => encode(serializeRequest(request)).length,
  });
  const original = analyzeSeries(model.requests, encode);
  const groups = [...new Set([...ours, ...original].map((f) => f.group))];
  const sum = (figures: RequestFigures[], group: string) => figures.filter((f) => f.group === group).reduce((n, f) => n + f.tokens, 0);
  return {
    scenario: scenario.name,
    tokenizer,
    ours: { requests: ours, totals: seriesTotals(ours) },
    original: { requests: original, totals: seriesTotals(original), overflowDeletions: model.overflowDeletions, skippedTurns: model.skippedTurns },
    perGroup: groups.map((group) => ({ group, ours: sum(ours, group), original: sum(original, group) })),
    listing: listingGrowth(listingSizes, encode),
  };
}
