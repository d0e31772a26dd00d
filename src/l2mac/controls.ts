/**
 * What a user can do with a stopped run (DESIGN.md §4): approve or edit the plan ("plan first"), skip the
 * step that tripped a guard, edit a step and run again from it, restore the files to the end of an earlier
 * step, or start a follow-up run from a finished run's files. Nothing written is ever lost: a restore
 * writes a new version of each file.
 */
import { initialCheckpoint } from './checkpoint.ts';
import { RunEmitter } from './emitter.ts';
import { adoptPlan, checkPlanSteps } from './plan.ts';
import type { RunContext } from './run-context.ts';
import { RunLockedError, RunStateError } from './run-errors.ts';
import { canFollowUp, isResumable } from './run-state.ts';
import { driveRun, latestVersions, runL2MAC, type DriveDeps, type NewRunOptions, type RunHandle } from './run.ts';
import { finishStep } from './step-end.ts';
import { Workspace } from './workspace.ts';
import type { RunRecord } from '../store/types.ts';

function requireStopped(ctx: RunContext): void {
  if (!isResumable(ctx.run.status) && ctx.run.status !== 'running' && ctx.run.status !== 'planning') {
    throw new RunStateError(ctx.runId, `Run ${ctx.runId} is ${ctx.run.status}.`);
  }
}

function requireExecuting(ctx: RunContext, what: string): void {
  requireStopped(ctx);
  if (ctx.checkpoint.phase !== 'executing' || ctx.checkpoint.stepIndex >= ctx.plan.length) {
    throw new RunStateError(ctx.runId, `Cannot ${what}: run ${ctx.runId} is not executing its steps.`);
  }
}

/** Makes the workspace hold exactly `target` (as changes of the current turn). */
function restoreInto(workspace: Workspace, target: Record<string, string>): void {
  for (const path of workspace.paths()) if (!(path in target)) workspace.delete(path);
  for (const [path, content] of Object.entries(target)) workspace.write(path, content);
}

/**
 * "Plan first": starts the run with the reviewed plan. `steps` may be the generated plan unchanged or the
 * user's edit of it (which becomes the plan, recorded as `edited`).
 */
export function approvePlan(runId: string, steps: string[], deps: DriveDeps): Promise<RunHandle> {
  return driveRun(runId, deps, {
    prepare: (ctx) => {
      if (ctx.run.pauseReason !== 'plan-review') throw new RunStateError(runId, `Run ${runId} is not waiting for its plan to be reviewed.`);
      const check = checkPlanSteps(steps, ctx.limits.maxSteps);
      if (!check.ok) throw new RunStateError(runId, `The plan cannot be used: ${check.reason}.`);
      const current = ctx.plan.map((s) => s.instruction);
      const unchanged = current.length === check.steps.length && current.every((s, i) => s === check.steps[i]);
      if (!unchanged) adoptPlan(ctx, check.steps, 'edited');
    },
  });
}

/** Marks the current step skipped (its files stay) and continues with the next one. */
export function skipStep(runId: string, deps: DriveDeps): Promise<RunHandle> {
  return driveRun(runId, deps, {
    prepare: (ctx) => {
      requireExecuting(ctx, 'skip a step');
      finishStep(ctx, 'skipped', `Step ${ctx.checkpoint.stepIndex + 1} was skipped by the user.`);
    },
  });
}

/**
 * Replaces the instruction of step `stepIndex` (0-based), restores the files to the end of the step before
 * it (a new version of each changed file), and runs again from that step.
 */
export function editStepAndRerun(runId: string, stepIndex: number, instruction: string, deps: DriveDeps): Promise<RunHandle> {
  return driveRun(runId, deps, {
    prepare: async (ctx) => {
      requireStopped(ctx);
      if (ctx.checkpoint.phase === 'planning' || !ctx.plan.length) throw new RunStateError(runId, `Run ${runId} has no plan yet.`);
      const target = ctx.plan[stepIndex];
      if (!Number.isInteger(stepIndex) || !target) throw new RunStateError(runId, `There is no step index ${stepIndex} (the plan has ${ctx.plan.length} steps).`);
      const text = instruction.trim();
      if (!text) throw new RunStateError(runId, 'The step instruction is empty.');
      if (stepIndex > ctx.checkpoint.stepIndex) throw new RunStateError(runId, `Step ${stepIndex + 1} has not run yet; edit it in the plan instead.`);

      restoreInto(ctx.workspace, await ctx.store.filesAtStep(runId, stepIndex));
      ctx.plan = ctx.plan.map((s, i) => (i < stepIndex ? s : { instruction: i === stepIndex ? text : s.instruction, state: 'pending' }));
      ctx.stage({ type: 'plan', steps: ctx.plan.map((s) => s.instruction), source: 'edited' });
      const previous = ctx.plan.slice(0, stepIndex).findLast((s) => s.state === 'completed');
      Object.assign(ctx.checkpoint, {
        phase: 'executing',
        stepIndex,
        previousSummary: previous?.summary ?? '',
        restart: 0,
        stepTurns: 0,
        contextStartSeq: null,
        awaitingSummary: false,
        repeatCount: 0,
        lastReplyFingerprint: null,
        guardBase: { ...ctx.checkpoint.guardBase, turns: 0, restarts: 0 },
        trippedGuard: null,
      });
      await ctx.commitTurn(stepIndex + 1, {}, 'restore');
    },
  });
}

/**
 * Writes the files as they were at the end of `step` (0: the starting files) as new versions; files made
 * later are deleted (their versions stay). The run stays where it was; resume it to continue.
 */
export async function restoreFilesToStep(
  runId: string,
  step: number,
  deps: Pick<DriveDeps, 'store' | 'clock' | 'onEvent'>,
): Promise<Record<string, string>> {
  const { store } = deps;
  const lock = await store.lockRun(runId);
  if (!lock) throw new RunLockedError(runId);
  try {
    const run = await store.getRun(runId);
    if (!run) throw new RunStateError(runId, `There is no run ${runId}.`);
    if (!isResumable(run.status)) throw new RunStateError(runId, `Run ${runId} is ${run.status}; only a paused or interrupted run can be restored.`);
    const checkpoint = (await store.getCheckpoint(runId)) ?? initialCheckpoint();
    const [target, current, versionList] = await Promise.all([store.filesAtStep(runId, step), store.readAllFiles(runId), store.listVersions(runId)]);
    const workspace = new Workspace(current);
    restoreInto(workspace, target);
    const changes = workspace.changes();
    if (!changes.length) return target;
    const versions = latestVersions(versionList);
    const emitter = new RunEmitter(store, runId, run.lastSeq, deps.clock ?? Date.now);
    if (deps.onEvent) emitter.subscribe(deps.onEvent);
    const atStep = checkpoint.phase === 'executing' ? checkpoint.stepIndex + 1 : 0;
    emitter.stage({
      type: 'files-changed',
      step: atStep,
      turn: checkpoint.stepTurns,
      changes: changes.map((c) => ({
        path: c.path,
        change: c.content === null ? 'deleted' : workspace.existedBefore(c.path) ? 'modified' : 'added',
        version: (versions.get(c.path) ?? 0) + 1,
      })),
    });
    await emitter.commit(() => ({ step: atStep, turn: checkpoint.stepTurns, changes, checkpoint, cause: 'restore' }));
    return target;
  } finally {
    lock.release();
  }
}

/**
 * A follow-up task on a finished (or cancelled) run: a new run that starts from that run's files, which
 * stays as it was. Domain and settings default to the parent's.
 */
export async function followUp(
  parentRunId: string,
  task: string,
  options: DriveDeps & Partial<Pick<NewRunOptions, 'domain' | 'settings' | 'title'>>,
): Promise<RunHandle> {
  const parent: RunRecord | undefined = await options.store.getRun(parentRunId);
  if (!parent) throw new RunStateError(parentRunId, `There is no run ${parentRunId}.`);
  if (!canFollowUp(parent.status)) {
    throw new RunStateError(
      parentRunId,
      `Run ${parentRunId} is ${parent.status}; a follow-up task starts from a completed or cancelled run.`,
    );
  }
  return runL2MAC({ ...options, task, domain: options.domain ?? parent.domain, settings: options.settings ?? parent.settings, filesFromRun: parentRunId });
}

