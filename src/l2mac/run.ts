/**
 * Driving a run (DESIGN.md §4, §6): take the run's lock, load its checkpoint, files and settings, then
 * plan → execute each step → verify, committing after every LLM turn. A drive ends completed, paused
 * (with the reason), failed or cancelled; whatever happens, the committed files and turns stay.
 */
import { errorMessage, isAbortError, SandboxUnavailableError } from '../errors.ts';
import { initialCheckpoint, type CheckpointState } from './checkpoint.ts';
import { BookChecks } from './book-checks.ts';
import { CodebaseChecks } from './checks.ts';
import { RunEmitter } from './emitter.ts';
import type { DurableEventDraft, RunEventListener } from './events.ts';
import { planPhase } from './plan.ts';
import { verifyAndReport } from './report.ts';
import { RunContext } from './run-context.ts';
import { RunLockedError, RunStateError } from './run-errors.ts';
import { isTerminal, MAX_STEPS_CEILING, type Domain } from './run-state.ts';
import { SandboxAccess } from './sandbox-access.ts';
import { executeStep } from './step.ts';
import { classifyStop, RunStop, type StopRequest } from './stop.ts';
import type { CheckRunner } from './tools/types.ts';
import { Workspace } from './workspace.ts';
import type { LlmPort } from '../llm/types.ts';
import type { Sandbox, SandboxFactory } from '../sandbox/types.ts';
import type { FileStore, NewRun, RunPatch, RunRecord, RunSettings, VersionRecord } from '../store/types.ts';

/** What driving a run needs. */
export interface DriveDeps {
  store: FileStore;
  /** The LLM, already wrapped by `withRetries` (its waits become `retry-wait` events). */
  llm: LlmPort;
  /** A sandbox the caller owns, or a factory whose sandbox the drive disposes when it ends. */
  sandbox?: Sandbox;
  sandboxFactory?: SandboxFactory;
  onEvent?: RunEventListener;
  /** Aborting it cancels the run (the in-flight LLM call and sandbox process stop; files are kept). */
  signal?: AbortSignal;
  clock?: () => number;
  /** `() => navigator.onLine` in the browser: a network failure while offline pauses with reason `offline`. */
  isOnline?: () => boolean;
}

export interface RunHandle {
  readonly runId: string;
  /** The run as the drive left it: completed, paused (see `pauseReason`), failed or cancelled. */
  readonly done: Promise<RunRecord>;
  /** Every event of the drive from now on; returns an unsubscribe function. */
  subscribe(listener: RunEventListener): () => void;
  /** Stops now (the turn in progress is redone on resume); the run ends `paused` with reason `user`. */
  pause(): void;
  /** Stops now; the run ends `cancelled` (terminal), its committed files kept. */
  cancel(): void;
  /** A note for the agent, delivered in the next control message. */
  addNote(text: string): void;
}

export interface DriveOptions {
  /** Changes made before the drive starts (plan approval, skip, edit); committed with the session start. */
  prepare?: (ctx: RunContext) => Promise<void> | void;
  note?: string;
}

/** The latest version number of every path the run ever had (deleted paths included). */
export function latestVersions(versions: readonly VersionRecord[]): Map<string, number> {
  const latest = new Map<string, number>();
  for (const v of versions) latest.set(v.path, Math.max(latest.get(v.path) ?? 0, v.version));
  return latest;
}

function existingCodeOf(run: RunRecord): boolean {
  return run.origin?.kind === 'import' || run.origin?.kind === 'follow-up' || run.parentRunId !== undefined;
}

function checksFor(ctx: RunContext, requirePassingTests: boolean): CheckRunner {
  if (ctx.run.domain === 'book') {
    return new BookChecks(ctx.workspace, () => ctx.checkpoint.phase !== 'executing' || ctx.checkpoint.stepIndex >= ctx.plan.length - 1);
  }
  return new CodebaseChecks({
    workspace: ctx.workspace,
    sandbox: ctx.sandbox,
    limits: ctx.limits,
    requirePassingTests,
    signal: ctx.signal,
    onOutput: (text) => ctx.emitter.transient({ type: 'sandbox-output', text }),
  });
}

/** Marks the drive's start: the run is planning or running again, and a tripped guard gets a fresh allowance. */
async function startSession(ctx: RunContext): Promise<void> {
  const cp: CheckpointState = ctx.checkpoint;
  if (cp.trippedGuard === 'turns-per-step') cp.guardBase.turns = cp.stepTurns;
  if (cp.trippedGuard === 'restarts-per-step') cp.guardBase.restarts = cp.restart;
  if (cp.trippedGuard === 'spend') cp.guardBase.spendUsd = ctx.usage.costUsd;
  cp.trippedGuard = null;
  const status = cp.phase === 'planning' ? 'planning' : 'running';
  ctx.stage({ type: 'status', status });
  await ctx.commitTurn(0, { status, statusReason: undefined, pauseReason: undefined, finishedAt: undefined });
}

async function runPhases(ctx: RunContext): Promise<void> {
  if (ctx.checkpoint.phase === 'planning') await planPhase(ctx);
  while (ctx.checkpoint.phase === 'executing') {
    if (ctx.checkpoint.stepIndex >= ctx.plan.length) {
      ctx.checkpoint.phase = 'verifying';
      break;
    }
    await executeStep(ctx);
  }
  if (ctx.checkpoint.phase === 'verifying') await verifyAndReport(ctx);
}

/** Records how the drive stopped (paused, failed, cancelled); the turn in progress is dropped whole. */
async function recordStop(ctx: RunContext, error: unknown, requested: StopRequest, deps: DriveDeps): Promise<RunRecord> {
  const outcome = classifyStop(error, { requested, online: deps.isOnline?.() });
  ctx.emitter.discard();
  ctx.workspace.discard();
  await ctx.emitter.settle();
  const stop = error instanceof RunStop ? error : null;
  const checkpoint: CheckpointState = {
    ...(ctx.emitter.lastCheckpoint ?? ctx.checkpoint),
    pendingNote: ctx.undeliveredNote(),
    trippedGuard: stop?.trippedGuard ?? null,
  };
  const drafts: DurableEventDraft[] = [...(stop?.events ?? [])];
  drafts.push(
    outcome.status === 'paused'
      ? { type: 'status', status: 'paused', reason: outcome.reason, pauseReason: outcome.pauseReason }
      : { type: 'status', status: outcome.status, reason: outcome.reason },
  );
  for (const draft of drafts) ctx.emitter.stage(draft);
  const plan = ctx.run.plan ? structuredClone(ctx.run.plan) : null;
  const current = plan?.[checkpoint.stepIndex];
  if (outcome.status === 'failed' && checkpoint.phase === 'executing' && current?.state === 'running') current.state = 'failed';
  const patch: RunPatch = {
    ...(plan ? { plan } : {}),
    status: outcome.status,
    statusReason: outcome.reason,
    pauseReason: outcome.status === 'paused' ? outcome.pauseReason : undefined,
    usage: { ...ctx.usage },
    activeMs: ctx.elapsedMs(),
    ...(outcome.status === 'paused' ? {} : { finishedAt: ctx.clock() }),
  };
  try {
    await ctx.emitter.commit(() => ({ step: 0, turn: 0, changes: [], checkpoint, run: patch }));
  } catch {
    // The store refused even this small write (e.g. still full): keep at least the status.
    await ctx.store.updateRun(ctx.runId, patch).catch(() => undefined);
  }
  return (await ctx.store.getRun(ctx.runId)) ?? { ...ctx.run, ...patch };
}

async function load(runId: string, deps: DriveDeps, signal: AbortSignal): Promise<RunContext> {
  const { store } = deps;
  const run = await store.getRun(runId);
  if (!run) throw new RunStateError(runId, `There is no run ${runId}.`);
  if (isTerminal(run.status)) {
    throw new RunStateError(runId, `Run ${runId} is ${run.status}; it cannot continue. Start a follow-up run from its files instead.`);
  }
  const [checkpoint, files, versions] = await Promise.all([store.getCheckpoint(runId), store.readAllFiles(runId), store.listVersions(runId)]);
  const clock = deps.clock ?? Date.now;
  const emitter = new RunEmitter(store, runId, run.lastSeq, clock);
  const start = checkpoint ?? initialCheckpoint();
  emitter.setBaseline(0, 0, start);
  const ctx = new RunContext({
    store,
    llm: deps.llm,
    run,
    checkpoint: start,
    workspace: new Workspace(files),
    versions: latestVersions(versions),
    emitter,
    clock,
    signal,
    existingCode: existingCodeOf(run),
  });
  ctx.sandbox = SandboxAccess.none();
  ctx.checks = checksFor(ctx, run.settings.requirePassingTests);
  return ctx;
}

/** Takes the run's lock and drives it from its checkpoint. */
export async function driveRun(runId: string, deps: DriveDeps, options: DriveOptions = {}): Promise<RunHandle> {
  const lock = await deps.store.lockRun(runId);
  if (!lock) throw new RunLockedError(runId);
  const controller = new AbortController();
  let ctx: RunContext;
  try {
    ctx = await load(runId, deps, controller.signal);
    if (options.note) ctx.addNote(options.note);
    await options.prepare?.(ctx);
  } catch (error) {
    lock.release();
    throw error;
  }

  let requested: StopRequest = null;
  const stop = (what: 'pause' | 'cancel') => {
    if (requested !== 'cancel') requested = what;
    controller.abort();
  };
  const onExternalAbort = () => stop('cancel');
  if (deps.signal?.aborted) stop('cancel');
  else deps.signal?.addEventListener('abort', onExternalAbort, { once: true });
  if (deps.onEvent) ctx.emitter.subscribe(deps.onEvent);

  const main = async (): Promise<RunRecord> => {
    try {
      await startSession(ctx);
      if (ctx.run.domain === 'codebase') {
        ctx.sandbox = await SandboxAccess.open(deps.sandbox, deps.sandboxFactory, (status) => ctx.emitter.transient({ type: 'sandbox-status', status })).catch(
          (error: unknown) => {
            // Whatever stopped the sandbox from starting, the run cannot execute code until it does.
            throw isAbortError(error) || error instanceof SandboxUnavailableError ? error : new SandboxUnavailableError(errorMessage(error));
          },
        );
        ctx.checks = checksFor(ctx, ctx.run.settings.requirePassingTests);
      }
      await runPhases(ctx);
      return (await deps.store.getRun(runId)) ?? ctx.run;
    } catch (error) {
      return await recordStop(ctx, error, requested, deps);
    } finally {
      deps.signal?.removeEventListener('abort', onExternalAbort);
      await ctx.sandbox.close().catch(() => undefined);
      lock.release();
    }
  };

  return {
    runId,
    done: main(),
    subscribe: (listener) => ctx.emitter.subscribe(listener),
    pause: () => stop('pause'),
    cancel: () => stop('cancel'),
    addNote: (text) => ctx.addNote(text),
  };
}

export interface NewRunOptions extends DriveDeps {
  task: string;
  domain: Domain;
  settings: RunSettings;
  /** Starting files (an import): the run changes an existing codebase. */
  files?: Record<string, string>;
  /** Start from another run's current files (a follow-up task); that run is left as it was. */
  filesFromRun?: string;
  title?: string;
  origin?: RunRecord['origin'];
}

/** The problem with a run's settings, or null: every guard a positive whole number, the step cap at most 30. */
export function settingsProblem(settings: RunSettings): string | null {
  const limits = settings.limits;
  for (const [name, value] of Object.entries(limits)) {
    const money = name === 'spendPerRun';
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (!money && !Number.isInteger(value))) {
      return `limits.${name} must be a ${money ? 'non-negative amount' : 'whole number'} (got ${String(value)})`;
    }
  }
  if (limits.maxSteps < 1 || limits.maxSteps > MAX_STEPS_CEILING) return `limits.maxSteps must be from 1 to ${MAX_STEPS_CEILING}`;
  for (const name of ['turnsPerStep', 'toolCallsPerReply', 'repeatedReplies', 'testTimeoutPerFileMs', 'testTimeoutPerRunMs', 'runFileTimeoutMs', 'completionReserveCap'] as const) {
    if (limits[name] < 1) return `limits.${name} must be at least 1`;
  }
  if (settings.promptProgram && settings.promptProgram.length > limits.maxSteps) {
    return `the prompt program has ${settings.promptProgram.length} steps; limits.maxSteps is ${limits.maxSteps}`;
  }
  return null;
}

/** Creates a run in the store and drives it. */
export async function runL2MAC(options: NewRunOptions): Promise<RunHandle> {
  if (options.task.trim() === '') throw new TypeError('The task is empty.');
  const problem = settingsProblem(options.settings);
  if (problem) throw new RangeError(`Invalid run settings: ${problem}.`);
  const init: NewRun = { task: options.task, domain: options.domain, settings: options.settings };
  if (options.title !== undefined) init.title = options.title;
  const fileCount = Object.keys(options.files ?? {}).length;
  if (options.files && fileCount) init.files = options.files;
  if (options.filesFromRun !== undefined) {
    init.filesFromRun = options.filesFromRun;
    init.parentRunId = options.filesFromRun;
  }
  const inherited = options.filesFromRun !== undefined ? (await options.store.listFiles(options.filesFromRun)).length : 0;
  const origin = options.origin ??
    (options.filesFromRun !== undefined
      ? { kind: 'follow-up' as const, label: `Follow-up of run ${options.filesFromRun}`, files: inherited + fileCount }
      : fileCount
        ? { kind: 'import' as const, label: 'Imported files', files: fileCount }
        : { kind: 'empty' as const, label: 'Empty project', files: 0 });
  init.origin = origin;
  const run = await options.store.createRun(init);
  return driveRun(run.id, options);
}

/** Continues a paused or interrupted run from its checkpoint; the turn in progress when it stopped is redone. */
export function resumeRun(runId: string, deps: DriveDeps, options: { note?: string } = {}): Promise<RunHandle> {
  return driveRun(runId, deps, options.note ? { note: options.note } : {});
}
