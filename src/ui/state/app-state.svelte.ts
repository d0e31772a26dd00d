/**
 * The app's top-level view state: saved settings, the run history, the open run, which screen shows, and
 * the browser services around runs (notifications, wake lock, resuming after the network returns).
 * Created once by `App.svelte` from the services the composition root made; no module-level state.
 */
import type { AppServices, AppSettings } from '../../app/types.ts';
import type { SandboxChoiceState } from '../../sandbox/choose.ts';
import { RunHistory } from './history.svelte.ts';
import { NewRunForm } from './new-run-form.svelte.ts';
import { RunSession } from './run-session.svelte.ts';
import { SettingsForm } from './settings-form.svelte.ts';

export type Screen = 'new' | 'run';

export class AppState {
  settings: AppSettings | null = $state.raw(null);
  /** Whether a key is stored for the saved base URL (the key itself stays in the vault). */
  hasKey = $state(false);
  screen: Screen = $state('new');
  session: RunSession | null = $state.raw(null);
  settingsOpen = $state(false);
  ready = $state(false);
  loadError: string | null = $state(null);
  /** Which sandbox the page uses and why (DESIGN.md §7: the active one always visible). */
  sandboxState: SandboxChoiceState | null = $state.raw(null);
  webContainerProblem: string | null = $state(null);
  /** A short message for the live region (announced to screen readers, shown briefly). */
  announcement = $state('');

  readonly history: RunHistory;
  readonly newRun: NewRunForm;
  readonly settingsForm: SettingsForm;

  /** Runs this tab drove that paused because the network went away: resumed when it returns. */
  private readonly offlinePaused = new Set<string>();
  private readonly cleanups: (() => void)[] = [];
  private opening = 0;

  constructor(readonly services: AppServices) {
    this.history = new RunHistory(services.store);
    this.newRun = new NewRunForm(services);
    this.settingsForm = new SettingsForm(services);
  }

  async init(): Promise<void> {
    try {
      this.settings = await this.services.loadSettings();
      this.refreshKey();
      this.newRun.applyDefaults(this.settings);
      await this.history.refresh();
    } catch (error) {
      this.loadError = error instanceof Error ? error.message : String(error);
    }
    this.cleanups.push(this.services.driver.onDriveEnd((runId) => void this.onDriveEnd(runId)));
    this.cleanups.push(this.services.environment.onOnline(() => void this.resumeOffline()));
    this.sandboxState = this.services.sandboxInfo().state;
    this.webContainerProblem = this.services.sandboxInfo().webContainerProblem;
    this.cleanups.push(
      this.services.onSandboxState((state) => {
        this.sandboxState = state;
        this.webContainerProblem = this.services.sandboxInfo().webContainerProblem;
      }),
    );
    // After a reload the app reopens the most recent run (DESIGN.md §9).
    const latest = this.history.latest;
    if (latest) await this.openRun(latest.id);
    this.ready = true;
  }

  dispose(): void {
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    this.session?.dispose();
  }

  refreshKey(): void {
    this.hasKey = this.settings ? this.services.keys.read(this.settings.llm.baseURL).key !== null : false;
  }

  openSettings(): void {
    if (this.settings) this.settingsForm.load(this.settings);
    this.settingsOpen = true;
  }

  async saveSettings(): Promise<boolean> {
    const saved = await this.settingsForm.save();
    if (!saved) return false;
    this.settings = saved;
    this.refreshKey();
    this.newRun.applyDefaults(saved);
    this.announce('Settings saved.');
    return true;
  }

  closeSettings(): void {
    this.settingsForm.cancelTest();
    this.settingsOpen = false;
  }

  showNewRun(fromRun: { id: string; title: string } | null = null): void {
    this.newRun.reset();
    this.newRun.fromRun = fromRun;
    if (this.settings) this.newRun.applyDefaults(this.settings);
    this.screen = 'new';
  }

  async openRun(runId: string): Promise<void> {
    const ticket = ++this.opening;
    const session = await RunSession.open(this.services, runId);
    if (ticket !== this.opening) {
      session?.dispose();
      return;
    }
    this.session?.dispose();
    this.session = session;
    this.screen = session ? 'run' : 'new';
  }

  async startRun(planFirst: boolean): Promise<void> {
    if (!this.settings) return;
    // A sensible moment to ask: the user just started something that will take a while.
    void this.services.environment.requestNotifications();
    const runId = await this.newRun.start(this.settings, planFirst);
    if (!runId) return;
    this.updateWakeLock();
    await this.history.refresh();
    await this.openRun(runId);
    this.newRun.reset();
  }

  async resume(session: RunSession): Promise<void> {
    this.offlinePaused.delete(session.runId);
    await session.resume();
    this.updateWakeLock();
    await this.history.refresh();
  }

  /** After an action that restarts a drive (approve the plan, skip, edit and re-run). */
  afterDriveStarted(): void {
    this.updateWakeLock();
    void this.history.refresh();
  }

  async deleteRun(runId: string): Promise<void> {
    await this.history.remove(runId);
    if (this.session?.runId === runId) {
      this.session.dispose();
      this.session = null;
      this.showNewRun();
    }
  }

  announce(message: string): void {
    this.announcement = '';
    queueMicrotask(() => (this.announcement = message));
  }

  private updateWakeLock(): void {
    const driving = this.history.runs.some((run) => this.services.driver.isDriving(run.id)) || (this.session?.driving ?? false);
    this.services.environment.setWakeLock(driving);
  }

  private async onDriveEnd(runId: string): Promise<void> {
    if (this.session?.runId === runId) await this.session.detach();
    await this.history.refresh();
    this.updateWakeLock();
    const record = await this.services.store.getRun(runId);
    if (!record) return;
    if (record.status === 'paused' && record.pauseReason === 'offline') this.offlinePaused.add(runId);
    const title = record.title || record.task.slice(0, 60);
    if (record.status === 'completed') this.services.environment.notify('Run completed', title);
    else if (record.status === 'failed') this.services.environment.notify('Run failed', `${title}: ${record.statusReason ?? ''}`);
    else if (record.status === 'paused') {
      const why = record.pauseReason === 'plan-review' ? 'The plan is ready for your review.' : (record.statusReason ?? '');
      this.services.environment.notify('Run paused', `${title}: ${why}`);
    }
    this.announce(`Run ${record.status}.`);
    // Offline may have ended before the drive finished pausing.
    if (this.offlinePaused.has(runId) && this.services.environment.isOnline()) await this.resumeOffline();
  }

  private async resumeOffline(): Promise<void> {
    for (const runId of [...this.offlinePaused]) {
      this.offlinePaused.delete(runId);
      if (this.services.driver.isDriving(runId)) continue;
      const record = await this.services.store.getRun(runId);
      if (record?.status !== 'paused' || record.pauseReason !== 'offline') continue;
      if (this.session?.runId === runId) await this.resume(this.session);
      else {
        await this.services.driver.resume(runId);
        this.updateWakeLock();
      }
    }
  }
}
