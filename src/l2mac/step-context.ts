/**
 * Fresh contexts (DESIGN.md §4): a step's starts from the system prompt and one message holding the step
 * header, the original task (without the planning instructions), the step's instruction, the previous
 * step's summary verbatim and the compact file list. Planning's starts from the system prompt and the
 * planning message. Each is recorded as a `step-started` event, from which a resumed run rebuilds it.
 */
import type { ChatMessage } from '../llm/types.ts';
import type { RunContext } from './run-context.ts';
import { RunStop } from './stop.ts';
import { toolNames } from './tools/registry.ts';
import { fileListing } from './workspace.ts';

export interface ContextState {
  messages: ChatMessage[];
  /** Messages at the start that are never dropped (system prompt and the first user message). */
  fixedCount: number;
}

/** The `turn` of a request: assistant messages already in its context. */
export function assistantCount(messages: readonly ChatMessage[]): number {
  return messages.reduce((n, m) => n + (m.role === 'assistant' ? 1 : 0), 0);
}

export function systemMessage(ctx: RunContext): ChatMessage {
  return { role: 'system', content: ctx.prompts.system({ sandbox: ctx.sandbox.kind }) };
}

export function startStepContext(ctx: RunContext, progressSummary: string | null): ContextState {
  const index = ctx.checkpoint.stepIndex;
  const planStep = ctx.plan[index];
  if (!planStep) throw new Error(`There is no step ${index + 1} in the plan.`);
  const messages: ChatMessage[] = [
    systemMessage(ctx),
    {
      role: 'user',
      content: ctx.prompts.stepStart({
        step: index + 1,
        totalSteps: ctx.plan.length,
        restart: ctx.checkpoint.restart,
        task: ctx.run.task,
        instruction: planStep.instruction,
        previousSummary: ctx.checkpoint.previousSummary,
        progressSummary,
        fileListing: fileListing(ctx.workspace),
        toolNames: toolNames(ctx.stepTools),
        existingCode: ctx.existingCode,
      }),
    },
  ];
  ctx.stage({ type: 'step-started', step: index + 1, instruction: planStep.instruction, restart: ctx.checkpoint.restart, messages });
  return { messages: [...messages], fixedCount: messages.length };
}

export function startPlanningContext(ctx: RunContext): ContextState {
  const existing = ctx.workspace.size > 0 ? fileListing(ctx.workspace) : null;
  const messages: ChatMessage[] = [
    systemMessage(ctx),
    {
      role: 'user',
      content: ctx.prompts.planning({
        task: ctx.run.task,
        maxSteps: ctx.limits.maxSteps,
        existingFiles: existing,
        exploreTurns: ctx.limits.planExploreTurns,
      }),
    },
  ];
  ctx.stage({ type: 'step-started', step: 0, instruction: ctx.run.task, restart: 0, messages });
  return { messages: [...messages], fixedCount: messages.length };
}

/** The pause when not even a fresh context fits the model's window (DESIGN.md §4). */
export function contextTooSmall(ctx: RunContext, what: string): RunStop {
  return new RunStop({
    status: 'paused',
    pauseReason: 'context-too-small',
    reason:
      `The model's context window (${ctx.llm.model.contextWindow} tokens, of which ${ctx.budget} are left after the reply reserve) ` +
      `is too small for ${what}. Choose a model with a larger window (or correct its context window in Settings), then resume.`,
  });
}
