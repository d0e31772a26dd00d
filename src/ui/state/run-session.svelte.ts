/**
 * One open run in the run view: its folded events (`RunViewModel`), its files, and what the user can do
 * to it. Events are applied to the model as they arrive; the view's snapshot is published once per
 * animation frame (DESIGN.md §9), so streaming text costs one render per frame, not one per token.
 */
import type { AppServices } from '../../app/types.ts';
import type { RunEvent } from '../../l2mac/events.ts';
import { isResumable, isTerminal } from '../../l2mac/run-state.ts';
import type { FileEntry, RunRecord } from '../../store/types.ts';
import { browserScheduler, FrameBatcher, type Scheduler } from '../model/frame-batcher.ts';
import { RunViewModel, type RunViewSnapshot } from '../model/run-view-model.ts';
import { downloadName, saveDownload } from '../../app/download.ts';

export class RunSession {
  readonly runId: string;
  view: RunViewSnapshot = $state.raw() as unknown as RunViewSnapshot;
  record: RunRecord = $state.raw() as unknown as RunRecord;
  files: FileEntry[] = $state.raw([]);
  /** This tab drives the run (its controls act on it directly). */
  driving = $state(false);
  /** A wall clock for the elapsed time, ticking while the run is driven. */
  now = $state(Date.now());
  /** The last action's error, shown next to the controls. */
  actionError: string | null = $state(null);
  busy = $state(false);

  private model: RunViewModel;
  private readonly batcher: FrameBatcher;
  private unsubscribe: (() => void) | null = null;
  /** Stops following another tab's drive of this run (while this tab does not drive it). */
  private unfollow: (() => void) | null = null;
  private driveStartedAt: number | null = null;
  private ticker: ReturnType<typeof setInterval> | null = null;
  private filesVersion = -1;
  private disposed = false;

  private constructor(
    readonly services: AppServices,
    record: RunRecord,
    model: RunViewModel,
    scheduler: Scheduler,
  ) {
    this.runId = record.id;
    this.record = record;
    this.model = model;
    this.batcher = new FrameBatcher(() => this.publish(), scheduler);
    this.publish();
  }

  /** Loads a stored run with its event log and files; attaches to its live events when this tab drives it. */
  static async open(services: AppServices, runId: string, scheduler: Scheduler = browserScheduler()): Promise<RunSession | null> {
    const record = await services.store.getRun(runId);
    if (!record) return null;
    const events = await services.store.listEvents(runId);
    const session = new RunSession(services, record, RunViewModel.fromStored(record, events), scheduler);
    await session.refreshFiles();
    session.attach();
    session.follow();
    return session;
  }

  /** While this tab does not drive the run: show another tab's commits, and Resume when that tab is gone. */
  private follow(): void {
    if (this.disposed || this.driving || this.unfollow || !this.services.followRun) return;
    this.unfollow = this.services.followRun(this.runId, () => void this.reload());
  }

  private stopFollowing(): void {
    this.unfollow?.();
    this.unfollow = null;
  }

  /**
   * Subscribes to the live events if this tab drives the run (after a start or a resume). Events committed
   * between loading the log and subscribing are read from the store, so none is missed; the model ignores
   * a durable event it already has.
   */
  attach(): void {
    if (this.disposed || this.unsubscribe || !this.services.driver.isDriving(this.runId)) return;
    this.stopFollowing();
    this.driving = true;
    this.driveStartedAt = Date.now();
    const early: RunEvent[] = [];
    let caughtUp = false;
    this.unsubscribe = this.services.driver.subscribe(this.runId, (event) => (caughtUp ? this.onEvent(event) : early.push(event)));
    this.ticker = setInterval(() => (this.now = Date.now()), 1000);
    void this.services.store
      .listEvents(this.runId, this.model.lastSeq + 1)
      .catch(() => [])
      .then((missed) => {
        for (const event of missed) this.model.apply(event);
        for (const event of early.splice(0)) this.model.apply(event);
        caughtUp = true;
        this.batcher.request();
      });
  }

  /** The drive in this tab ended: stop listening and re-read the committed record. */
  async detach(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = null;
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = null;
    this.driving = false;
    this.driveStartedAt = null;
    await this.reload();
    this.follow();
  }

  dispose(): void {
    this.disposed = true;
    this.stopFollowing();
    this.unsubscribe?.();
    this.unsubscribe = null;
    if (this.ticker) clearInterval(this.ticker);
  }

  /** Re-reads the run's record and files (after a drive ends, or to follow another tab's drive). */
  async reload(): Promise<void> {
    const record = await this.services.store.getRun(this.runId);
    if (!record || this.disposed) return;
    this.record = record;
    if (record.lastSeq > this.model.lastSeq) {
      const events = await this.services.store.listEvents(this.runId);
      this.model = RunViewModel.fromStored(record, events);
    } else {
      this.model.adoptRecord(record);
    }
    this.batcher.flushNow();
    await this.refreshFiles();
  }

  get elapsedMs(): number {
    const live = this.driveStartedAt === null ? 0 : Math.max(0, this.now - this.driveStartedAt);
    return this.record.activeMs + live;
  }

  get canResume(): boolean {
    return !this.driving && isResumable(this.view.status) && this.view.pauseReason !== 'plan-review';
  }

  /** Another tab drives the run: this view is read-only (it follows the commits). */
  get drivenElsewhere(): boolean {
    return !this.driving && (this.view.status === 'running' || this.view.status === 'planning');
  }

  get inPlanReview(): boolean {
    return this.view.status === 'paused' && this.view.pauseReason === 'plan-review';
  }

  get isActive(): boolean {
    return this.driving && !isTerminal(this.view.status) && this.view.status !== 'paused';
  }

  async refreshFiles(): Promise<void> {
    const files = await this.services.store.listFiles(this.runId);
    if (!this.disposed) this.files = files;
  }

  pause(): void {
    this.actionError = null;
    this.services.driver.pause(this.runId);
  }

  cancel(): Promise<void> {
    return this.act(() => this.services.driver.cancel(this.runId));
  }

  resume(): Promise<void> {
    return this.act(async () => {
      await this.services.driver.resume(this.runId);
      this.attach();
    });
  }

  addNote(note: string): void {
    this.services.driver.addNote(this.runId, note);
  }

  approvePlan(steps: string[]): Promise<void> {
    return this.act(async () => {
      await this.services.driver.approvePlan(this.runId, steps);
      this.attach();
    });
  }

  skipStep(): Promise<void> {
    return this.act(async () => {
      await this.services.driver.skipStep(this.runId);
      this.attach();
    });
  }

  editStepAndRerun(step: number, instruction: string): Promise<void> {
    return this.act(async () => {
      await this.services.driver.editStepAndRerun(this.runId, step, instruction);
      this.attach();
    });
  }

  restoreFilesToStep(step: number): Promise<void> {
    return this.act(async () => {
      await this.services.driver.restoreFilesToStep(this.runId, step);
      await this.reload();
    });
  }

  downloadZip(): Promise<void> {
    return this.act(() => this.services.downloadZip(this.runId));
  }

  /** The book domain's export: one Markdown or one HTML file with every chapter in outline order. */
  downloadBook(format: 'markdown' | 'html'): Promise<void> {
    return this.act(async () => {
      const [{ downloadBook }, files] = await Promise.all([import('../../book/download.ts'), this.services.store.readAllFiles(this.runId)]);
      downloadBook(files, format);
    });
  }

  /** The run's changes against its starting files (an import or a follow-up) as one patch. */
  downloadPatch(): Promise<void> {
    return this.act(async () => {
      const { diffRunAgainstStart, patchFileName, PATCH_MEDIA_TYPE } = await import('../../followup/index.ts');
      const diff = await diffRunAgainstStart(this.services.store, this.runId);
      saveDownload(new TextEncoder().encode(diff.patch), patchFileName(this.record.title || this.record.task), PATCH_MEDIA_TYPE);
    });
  }

  /** The whole run (plan, files, versions, events) as a bundle another browser can import. */
  downloadBundle(): Promise<void> {
    return this.act(async () => {
      const { exportRunBundle } = await import('../../store/export.ts');
      const bytes = await exportRunBundle(this.services.store, this.runId);
      saveDownload(bytes, downloadName(this.record.title || this.record.task, '.l2mac-run.zip'));
    });
  }

  /** Whether the run started from existing files (so a diff against them means something). */
  get hasStartingFiles(): boolean {
    const kind = this.record.origin?.kind;
    return kind === 'import' || kind === 'follow-up' || this.record.parentRunId !== undefined;
  }

  private async act(action: () => Promise<void>): Promise<void> {
    this.actionError = null;
    this.busy = true;
    try {
      await action();
    } catch (error) {
      this.actionError = error instanceof Error ? error.message : String(error);
    } finally {
      this.busy = false;
    }
  }

  private onEvent(event: RunEvent): void {
    this.model.apply(event);
    this.batcher.request();
  }

  private publish(): void {
    const view = this.model.snapshot();
    this.view = view;
    if (view.filesVersion !== this.filesVersion) {
      const first = this.filesVersion < 0;
      this.filesVersion = view.filesVersion;
      if (!first) void this.refreshFiles();
    }
  }
}
