/**
 * The app's top-level view state: saved settings, the run history, the open run, which screen shows, and
 * the browser services around runs (notifications, wake lock, resuming after the network returns).
 * Created once by `App.svelte` from the services the composition root made; no module-level state.
 */
import type { AppServices, AppSettings } from '../../app/types.ts';
import type { SandboxChoiceState } from '../../sandbox/choose.ts';
import type { Scenario } from '../../llm/scenario.ts';
import { readPresetFromHash, type AppliedPreset, type PresetReadResult } from '../../presets/index.ts';
import type { KeyPersistence } from '../../store/key-storage.ts';
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
  /** A server the generated project runs in WebContainer, shown in a preview frame. */
  serverPreview: { port: number; url: string } | null = $state.raw(null);
  /** A classroom preset link this page was opened with, waiting for the user's confirmation. */
  preset: PresetReadResult | null = $state.raw(null);
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
    this.cleanups.push(this.services.onServerPreview((preview) => (this.serverPreview = preview)));
    this.cleanups.push(
      this.services.onSandboxState((state) => {
        this.sandboxState = state;
        this.webContainerProblem = this.services.sandboxInfo().webContainerProblem;
      }),
    );
    this.preset = typeof location === 'undefined' ? null : readPresetFromHash(location.hash);
    // After a reload the app reopens the most recent run (DESIGN.md §9); a preset link opens New run.
    const latest = this.history.latest;
    if (latest && !this.preset) await this.openRun(latest.id);
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
    await this.history.refresh();
    await this.openRun(runId);
    // After the refresh: the history (or the open session) is what says this tab drives the run.
    this.updateWakeLock();
    this.newRun.reset();
  }

  /** Starts a scripted demo (no key, no network) and shows it. */
  async startDemo(scenario: Scenario): Promise<void> {
    const runId = await this.services.startDemo(scenario);
    await this.history.refresh();
    await this.openRun(runId);
    this.updateWakeLock();
  }

  /** A confirmed classroom preset: its settings saved, its task and program in the New run form. */
  async applyPreset(applied: AppliedPreset<AppSettings>): Promise<void> {
    await this.services.saveSettings(applied.settings);
    this.settings = applied.settings;
    this.refreshKey();
    this.showNewRun();
    if (applied.draft.task !== undefined) this.newRun.task = applied.draft.task;
    if (applied.draft.domain !== undefined) this.newRun.domain = applied.draft.domain;
    if (applied.draft.promptProgram?.length) {
      this.newRun.useProgram = true;
      this.newRun.programText = applied.draft.promptProgram.join('\n');
    }
    this.preset = null;
    this.announce(applied.keyCleared ? 'Preset applied. Enter the API key for the new address in Settings.' : 'Preset applied.');
  }

  /** A run bundle exported from this or another browser, stored and opened. */
  async importBundle(bytes: Uint8Array): Promise<void> {
    const { importRunBundle } = await import('../../store/export.ts');
    const run = await importRunBundle(this.services.store, bytes);
    await this.history.refresh();
    await this.openRun(run.id);
    this.announce(`Imported the run “${run.title || run.task.slice(0, 60)}”.`);
  }

  dismissPreset(): void {
    this.preset = null;
  }

  /**
   * An L2MAC `config.yaml` (DESIGN.md §9): its LLM settings saved, and its key (if any) stored for the
   * file's base URL only, after a key of another origin is cleared. Returns what happened, in words.
   */
  async importConfig(text: string, persistence: KeyPersistence): Promise<string> {
    if (!this.settings) throw new Error('The settings are not loaded yet.');
    // The YAML parser loads with the first import, not with the page.
    const { applyImportedConfig, parseL2macConfig } = await import('../../config-import/index.ts');
    const imported = parseL2macConfig(text);
    const applied = applyImportedConfig(this.settings, imported, this.services.keys, persistence);
    await this.services.saveSettings(applied.settings);
    this.settings = applied.settings;
    this.refreshKey();
    this.newRun.applyDefaults(applied.settings);
    this.settingsForm.load(applied.settings);
    const parts = [`Imported ${applied.settings.llm.model} at ${applied.settings.llm.baseURL}.`];
    if (applied.keyCleared) parts.push('The key saved for the previous address was removed.');
    parts.push(applied.keySaved ? 'The file’s key is saved for this address.' : 'The file has no key: enter it below.');
    return [...parts, ...imported.notes].join(' ');
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
