/**
 * The final verification and the run report (DESIGN.md §4): a syntax check and test run over the whole
 * codebase (the outline check for a book), then the model's own assessment of the task's requirements
 * against the files, labelled as such, and the figures: steps, files, tests, tokens and cost.
 */
import { ContextLengthError } from '../errors.ts';
import type { ChatMessage } from '../llm/types.ts';
import type { VersionRecord } from '../store/types.ts';
import type { CheckSummary, ReportStep, RunReport } from './events.ts';
import { lineCount } from './paths.ts';
import { describeChecks } from './tools/result.ts';
import type { RunContext } from './run-context.ts';
import { systemMessage } from './step-context.ts';
import { fileListing } from './workspace.ts';

function stepsOf(ctx: RunContext, versions: VersionRecord[]): ReportStep[] {
  return ctx.plan.map((planStep, index) => {
    const step = index + 1;
    const written = [...new Set(versions.filter((v) => v.step === step && v.cause === 'tool' && v.hash !== null).map((v) => v.path))].sort();
    const entry: ReportStep = { step, instruction: planStep.instruction, state: planStep.state, filesWritten: written };
    if (planStep.summary !== undefined) entry.summary = planStep.summary;
    if (planStep.testsNotRun) entry.testsNotRun = true;
    return entry;
  });
}

async function assess(ctx: RunContext, checks: string): Promise<string | null> {
  const stepSummaries = ctx.plan.map((s, i) => `Step ${i + 1} (${s.state}): ${s.summary ?? '(no summary)'}`).join('\n');
  const messages: ChatMessage[] = [
    systemMessage(ctx),
    { role: 'user', content: ctx.prompts.report({ task: ctx.run.task, fileListing: fileListing(ctx.workspace), stepSummaries, checks }) },
  ];
  if (!ctx.fits(messages, undefined)) return null;
  try {
    const { message } = await ctx.callLlm({ kind: 'report', step: 0, turn: 0, restart: 0, messages });
    return message.content?.trim() || null;
  } catch (error) {
    // The assessment is a nicety; a report without it beats a run stuck at its last call.
    if (error instanceof ContextLengthError && !ctx.signal.aborted) return null;
    throw error;
  }
}

export async function verifyAndReport(ctx: RunContext): Promise<void> {
  const gate = await ctx.checks.gate();
  const check: CheckSummary | null = gate.check;
  const finalStep = ctx.plan.length;
  if (check) ctx.stage({ type: 'check', step: finalStep, turn: 0, trigger: 'verify', result: check });
  const assessment = await assess(ctx, check ? describeChecks(check) : gate.message);

  const files = ctx.workspace.snapshot();
  const report: RunReport = {
    steps: stepsOf(ctx, await ctx.store.listVersions(ctx.runId)),
    check,
    assessment,
    usage: { ...ctx.usage },
    files: Object.keys(files).length,
    lines: Object.values(files).reduce((n, content) => n + lineCount(content), 0),
    elapsedMs: ctx.elapsedMs(),
  };
  ctx.stage({ type: 'report', report });
  ctx.stage({ type: 'status', status: 'completed' });
  ctx.checkpoint.phase = 'done';
  await ctx.commitTurn(finalStep, { status: 'completed', statusReason: undefined, pauseReason: undefined, report, activeMs: report.elapsedMs, finishedAt: ctx.clock() });
}
