/**
 * What the UI asks of the app's composition root (`src/app/compose.ts`): the store, a driver for runs and
 * the browser services around a run. The UI's state classes receive one `AppServices` and never create an
 * implementation themselves, so the same components run against fakes in tests.
 */
import type { RunEventListener } from '../l2mac/events.ts';
import type { Domain, Limits } from '../l2mac/run-state.ts';
import type { ConnectionReport } from '../llm/connection-test.ts';
import type { ProviderPreset } from '../llm/providers.ts';
import type { RunCostEstimate } from '../llm/usage.ts';
import type { LlmSettings, ModelInfo, ProviderId } from '../llm/types.ts';
import type { KeyStorage } from '../store/key-storage.ts';
import type { Scenario } from '../llm/scenario.ts';
import type { SandboxChoiceState } from '../sandbox/choose.ts';
import type { SandboxChoice } from '../sandbox/types.ts';
import type { AppStore, RunRecord, RunSettings } from '../store/types.ts';

/** The settings a user edits (DESIGN.md §6–§8). Never the key: that lives in `KeyStorage`. */
export interface AppSettings {
  llm: LlmSettings;
  defaultSandbox: SandboxChoice;
  limits: Limits;
  requirePassingTests: boolean;
}

/** Where the key is kept (`src/store/key-storage.ts`): "remember on this device" or "this tab only". */
export type KeyVault = Pick<KeyStorage, 'read' | 'save' | 'clear' | 'status' | 'setBaseUrl'>;

export interface StartRunInput {
  task: string;
  domain: Domain;
  limits: Limits;
  requirePassingTests: boolean;
  sandbox: SandboxChoice;
  planFirst: boolean;
  /** A prompt program given by the user (planning is skipped). */
  promptProgram?: string[];
  /** Start from another run's current files (a follow-up), or from imported files. */
  filesFromRun?: string;
  files?: Record<string, string>;
  /** Where the starting files came from (an import), shown with the run. */
  origin?: RunRecord['origin'];
}

/** What a run starts from besides its settings (`RunDriver.startWith`). */
export type RunStart = Pick<StartRunInput, 'task' | 'domain' | 'files' | 'filesFromRun' | 'origin'> & { title?: string };

/** Drives runs in this tab (one driver per run, Web Locks) and relays their events. */
export interface RunDriver {
  /** Creates and starts a run; resolves with its id as soon as it is stored. */
  start(input: StartRunInput): Promise<string>;
  /** Creates and starts a run with exactly these settings (a scripted demo, "Run again" of a stored run). */
  startWith(settings: RunSettings, start: RunStart): Promise<string>;
  /** Continues a paused or interrupted run from its checkpoint. */
  resume(runId: string): Promise<void>;
  /** Whether this tab is driving the run right now. */
  isDriving(runId: string): boolean;
  /** Events of a run driven in this tab (live); returns an unsubscribe function. */
  subscribe(runId: string, listener: RunEventListener): () => void;
  /** Called when a drive in this tab ends (the run paused, failed, completed or was cancelled). */
  onDriveEnd(listener: (runId: string) => void): () => void;
  pause(runId: string): void;
  cancel(runId: string): Promise<void>;
  addNote(runId: string, note: string): void;
  /** "Plan first": the reviewed (possibly edited) plan; the run continues with it. */
  approvePlan(runId: string, steps: string[]): Promise<void>;
  /** Marks the current step skipped and continues with the next. */
  skipStep(runId: string): Promise<void>;
  /** Replaces step `step` (1-based) and runs again from it. */
  editStepAndRerun(runId: string, step: number, instruction: string): Promise<void>;
  /** Restores the files to how they were at the end of step `step` (as new versions). */
  restoreFilesToStep(runId: string, step: number): Promise<void>;
}

/** LLM facts the settings and the New run form need, from `src/llm/`. */
export interface LlmCatalog {
  presets: readonly ProviderPreset[];
  /** The model table's row for exactly this id, or null (an unknown model: ask for its context window). */
  lookupModel(id: string, provider?: ProviderId): ModelInfo | null;
  /** The model in effect: the table row (or a blank one) with the user's overrides. */
  resolveModel(settings: LlmSettings): ModelInfo | null;
  testConnection(settings: LlmSettings, apiKey: string, signal: AbortSignal): Promise<ConnectionReport>;
  /** A cost range before a run starts, with its assumptions in words. */
  estimateCost(input: { model: ModelInfo; steps: number; task: string; completionReserveCap: number }): RunCostEstimate;
}

/** Browser services around a run (DESIGN.md §9). */
export interface RunEnvironment {
  /** Asks for notification permission (only on a user action). */
  requestNotifications(): Promise<void>;
  notify(title: string, body: string): void;
  /** Holds a screen wake lock while `held` runs are driven; where unsupported, does nothing. */
  setWakeLock(held: boolean): void;
  /** Calls back when the browser comes back online. */
  onOnline(listener: () => void): () => void;
  isOnline(): boolean;
}

export interface SandboxInfo {
  /** The page's latest sandbox choice state: which sandbox is active and why, in words. */
  state: SandboxChoiceState | null;
  /** Why WebContainer cannot be used in this page (not cross-origin isolated, iOS, it did not boot), if so. */
  webContainerProblem: string | null;
}

export interface AppServices {
  store: AppStore;
  driver: RunDriver;
  keys: KeyVault;
  llm: LlmCatalog;
  environment: RunEnvironment;
  sandboxInfo(): SandboxInfo;
  onSandboxState(listener: (state: SandboxChoiceState) => void): () => void;
  /** A server the generated project started in WebContainer (`server-ready`), or null when it stopped. */
  onServerPreview(listener: (preview: { port: number; url: string } | null) => void): () => void;
  /**
   * Follows a run this tab does not drive (DESIGN.md §6): `onChange` after another tab commits to it, and
   * after its driving tab went away and it was marked interrupted. Returns a function that stops following.
   * Absent: the view shows what was stored when it opened.
   */
  followRun?(runId: string, onChange: () => void): () => void;
  /** Starts a scripted demo run (no key, no network); resolves with its id. */
  startDemo(scenario: Scenario): Promise<string>;
  loadSettings(): Promise<AppSettings>;
  saveSettings(settings: AppSettings): Promise<void>;
  /** Builds the zip of a run's current files and saves it as a download. */
  downloadZip(runId: string): Promise<void>;
}
