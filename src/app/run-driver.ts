/**
 * Drives runs in this tab through the control unit (`runL2MAC`, `resumeRun` and the controls of
 * `l2mac/controls.ts`), wiring each drive to the store, an LLM made from the run's settings and the key,
 * and a sandbox factory for the run's sandbox choice. Relays each run's events to the UI and says when a
 * drive ends. One drive per run in this tab; another tab's drive is refused by the run's lock.
 */
import type { RunEvent, RunEventListener, StatusEvent } from '../l2mac/events.ts';
import { initialCheckpoint } from '../l2mac/checkpoint.ts';
import { isResumable, isTerminal } from '../l2mac/run-state.ts';
import type { DriveDeps, NewRunOptions, RunHandle } from '../l2mac/run.ts';
import type { LlmPort, ModelInfo } from '../llm/types.ts';
import type { SandboxChoice, SandboxFactory } from '../sandbox/types.ts';
import type { AppStore, RunRecord, RunSettings } from '../store/types.ts';
import type { AppSettings, RunDriver, StartRunInput } from './types.ts';

export interface RunDriverDeps {
  store: AppStore;
  /** The LLM for a run (already wrapped with retries). Throws when no key is available. */
  createLlm(run: Pick<RunRecord, 'settings' | 'task'>): Promise<LlmPort>;
  /** Makes the sandbox a run uses, for its sandbox choice. */
  sandboxFactory(choice: SandboxChoice): SandboxFactory;
  /** The app's saved settings (a new run snapshots them). */
  settings(): Promise<AppSettings>;
  /** The model row in effect for the settings, or null when it is unknown and has no context window. */
  resolveModel(settings: AppSettings['llm']): ModelInfo | null;
  isOnline(): boolean;
  clock?: () => number;
}

/** The control unit, loaded with the first run (it is not needed to show the app). */
async function controlUnit() {
  const [run, controls] = await Promise.all([import('../l2mac/run.ts'), import('../l2mac/controls.ts')]);
  return { ...run, ...controls };
}

export type NewRunStart = Pick<NewRunOptions, 'task' | 'domain' | 'files' | 'filesFromRun' | 'origin' | 'title'>;

const CANCELLED_REASON = 'Cancelled by the user.';

/**
 * Pauses whose message tells the user to fix the provider settings (key, model, provider, a larger model)
 * and resume: the resumed drive uses the LLM settings as they are now, not the run's snapshot.
 */
const SETTINGS_PAUSES: ReadonlySet<string> = new Set(['auth', 'model-not-found', 'quota', 'bad-request', 'context-too-small']);

export class BrowserRunDriver implements RunDriver {
  private readonly handles = new Map<string, RunHandle>();
  private readonly listeners = new Map<string, Set<RunEventListener>>();
  private readonly endListeners = new Set<(runId: string) => void>();

  constructor(private readonly deps: RunDriverDeps) {}

  async start(input: StartRunInput): Promise<string> {
    const saved = await this.deps.settings();
    const model = this.deps.resolveModel(saved.llm);
    if (!model) throw new Error(`The model "${saved.llm.model}" is not in the model table: enter its context window in Settings.`);
    const settings: RunSettings = {
      llm: saved.llm,
      model,
      limits: input.limits,
      requirePassingTests: input.requirePassingTests,
      sandbox: input.sandbox,
      planFirst: input.planFirst,
    };
    if (input.promptProgram?.length) settings.promptProgram = input.promptProgram;
    const start: NewRunStart = { task: input.task, domain: input.domain };
    if (input.filesFromRun) start.filesFromRun = input.filesFromRun;
    if (input.files) start.files = input.files;
    if (input.origin) start.origin = input.origin;
    return this.startWith(settings, start);
  }

  /** Creates and drives a run with exactly these settings (a scripted demo, or a run of the form). */
  async startWith(settings: RunSettings, start: NewRunStart): Promise<string> {
    const [deps, { runL2MAC }] = await Promise.all([this.driveDeps({ settings, task: start.task }), controlUnit()]);
    return this.track(await runL2MAC({ ...deps, ...start, settings }));
  }

  async resume(runId: string): Promise<void> {
    const run = await this.withCurrentLlmSettings(await this.stoppedRun(runId));
    const { resumeRun } = await controlUnit();
    this.track(await resumeRun(runId, await this.driveDeps(run)));
  }

  isDriving(runId: string): boolean {
    return this.handles.has(runId);
  }

  subscribe(runId: string, listener: RunEventListener): () => void {
    let set = this.listeners.get(runId);
    if (!set) this.listeners.set(runId, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.listeners.get(runId) === set) this.listeners.delete(runId);
    };
  }

  onDriveEnd(listener: (runId: string) => void): () => void {
    this.endListeners.add(listener);
    return () => this.endListeners.delete(listener);
  }

  pause(runId: string): void {
    this.handles.get(runId)?.pause();
  }

  /** Cancels a drive in this tab; a stopped run (paused, interrupted) is marked cancelled in the store. */
  async cancel(runId: string): Promise<void> {
    const handle = this.handles.get(runId);
    if (handle) {
      handle.cancel();
      await handle.done.catch(() => undefined);
      return;
    }
    await this.cancelStopped(runId);
    this.notifyEnd(runId);
  }

  addNote(runId: string, note: string): void {
    this.handles.get(runId)?.addNote(note);
  }

  async approvePlan(runId: string, steps: string[]): Promise<void> {
    const run = await this.stoppedRun(runId);
    const { approvePlan } = await controlUnit();
    this.track(await approvePlan(runId, steps, await this.driveDeps(run)));
  }

  async skipStep(runId: string): Promise<void> {
    const run = await this.stoppedRun(runId);
    const { skipStep } = await controlUnit();
    this.track(await skipStep(runId, await this.driveDeps(run)));
  }

  async editStepAndRerun(runId: string, step: number, instruction: string): Promise<void> {
    const run = await this.stoppedRun(runId);
    const { editStepAndRerun } = await controlUnit();
    this.track(await editStepAndRerun(runId, step - 1, instruction, await this.driveDeps(run)));
  }

  async restoreFilesToStep(runId: string, step: number): Promise<void> {
    if (this.handles.has(runId)) throw new Error('Pause the run before restoring its files.');
    const { restoreFilesToStep } = await controlUnit();
    const deps: Parameters<typeof restoreFilesToStep>[2] = { store: this.deps.store, onEvent: (event) => this.dispatch(event) };
    if (this.deps.clock) deps.clock = this.deps.clock;
    await restoreFilesToStep(runId, step, deps);
  }

  private async stoppedRun(runId: string): Promise<RunRecord> {
    if (this.handles.has(runId)) throw new Error('This run is already being driven in this tab.');
    const run = await this.deps.store.getRun(runId);
    if (!run) throw new Error(`There is no run ${runId}.`);
    return run;
  }

  /** A run paused for its provider settings takes the saved ones (recorded in the run) before it resumes. */
  private async withCurrentLlmSettings(run: RunRecord): Promise<RunRecord> {
    if (run.status !== 'paused' || !SETTINGS_PAUSES.has(run.pauseReason ?? '') || run.settings.llm.provider === 'scripted') return run;
    const saved = await this.deps.settings();
    if (saved.llm.provider === 'scripted' || JSON.stringify(saved.llm) === JSON.stringify(run.settings.llm)) return run;
    const model = this.deps.resolveModel(saved.llm);
    if (!model) throw new Error(`The model "${saved.llm.model}" is not in the model table: enter its context window in Settings.`);
    return this.deps.store.updateRun(run.id, { settings: { ...run.settings, llm: saved.llm, model } });
  }

  private async driveDeps(run: Pick<RunRecord, 'settings' | 'task'>): Promise<DriveDeps> {
    const deps: DriveDeps = {
      store: this.deps.store,
      llm: await this.deps.createLlm(run),
      sandboxFactory: this.deps.sandboxFactory(run.settings.sandbox),
      onEvent: (event) => this.dispatch(event),
      isOnline: () => this.deps.isOnline(),
    };
    if (this.deps.clock) deps.clock = this.deps.clock;
    return deps;
  }

  private track(handle: RunHandle): string {
    const { runId } = handle;
    this.handles.set(runId, handle);
    void handle.done
      .catch(() => undefined)
      .then(() => {
        if (this.handles.get(runId) === handle) this.handles.delete(runId);
        this.notifyEnd(runId);
      });
    return runId;
  }

  private dispatch(event: RunEvent): void {
    const set = this.listeners.get(event.runId);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        listener(event);
      } catch {
        // One failing view must not starve the others (or the run).
      }
    }
  }

  private notifyEnd(runId: string): void {
    for (const listener of [...this.endListeners]) listener(runId);
  }

  /** A run no tab drives, cancelled durably: a status event and the run's fields, under its lock. */
  private async cancelStopped(runId: string): Promise<void> {
    const { store } = this.deps;
    const lock = await store.lockRun(runId);
    if (!lock) throw new Error('Another tab is driving this run; cancel it there.');
    try {
      const run = await store.getRun(runId);
      if (!run) throw new Error(`There is no run ${runId}.`);
      if (isTerminal(run.status)) return;
      if (!isResumable(run.status)) throw new Error(`The run is ${run.status}; it cannot be cancelled from here.`);
      const now = (this.deps.clock ?? Date.now)();
      const checkpoint = (await store.getCheckpoint(runId)) ?? initialCheckpoint();
      const event: StatusEvent = { type: 'status', runId, seq: run.lastSeq + 1, at: now, status: 'cancelled', reason: CANCELLED_REASON };
      await store.commitTurn(runId, {
        step: 0,
        turn: 0,
        changes: [],
        events: [event],
        checkpoint,
        run: { status: 'cancelled', statusReason: CANCELLED_REASON, pauseReason: undefined, finishedAt: now },
      });
      this.dispatch(event);
    } finally {
      lock.release();
    }
  }
}
