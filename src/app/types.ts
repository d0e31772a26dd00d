/**
 * What the UI asks of the app's composition root (`src/app/compose.ts`): the store, a driver for runs and
 * the browser services around a run. The UI's state classes receive one `AppServices` and never create an
 * implementation themselves, so the same components run against fakes in tests.
 */
import type { RunEventListener } from '../l2mac/events.ts';
import type { Domain, Limits } from '../l2mac/run-state.ts';
import type { LlmSettings, ModelInfo } from '../llm/types.ts';
import type { SandboxChoice, SandboxStatus } from '../sandbox/types.ts';
import type { AppStore } from '../store/types.ts';

/** "remember on this device" (localStorage) or "this tab only" (sessionStorage), DESIGN.md §6. */
export type KeyMode = 'local' | 'session';

/** The settings a user edits (DESIGN.md §6–§8). Never the key: that lives in `KeyVault`. */
export interface AppSettings {
  llm: LlmSettings;
  defaultSandbox: SandboxChoice;
  limits: Limits;
  requirePassingTests: boolean;
}

export interface KeyVault {
  /** The stored key for this base URL's origin, or null (none, or stored for another origin). */
  read(baseURL: string): { key: string; mode: KeyMode } | null;
  write(baseURL: string, key: string, mode: KeyMode): void;
  clear(): void;
}

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
}

/** Drives runs in this tab (one driver per run, Web Locks) and relays their events. */
export interface RunDriver {
  /** Creates and starts a run; resolves with its id as soon as it is stored. */
  start(input: StartRunInput): Promise<string>;
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

export interface ProviderPreset {
  id: LlmSettings['provider'];
  label: string;
  baseURL: string;
  /** A model to suggest when the preset is chosen. */
  model?: string;
  /** The provider needs no key (local servers). */
  keyless?: boolean;
  note?: string;
}

export interface ConnectionCheck {
  ok: boolean | null;
  label: string;
  detail?: string;
}

export interface ConnectionReport {
  checks: ConnectionCheck[];
  /** Advice shown under the checks (CORS fix for local servers, Ollama's num_ctx). */
  hints: string[];
}

export interface CostEstimate {
  lowUsd: number;
  highUsd: number;
  note: string;
}

/** LLM facts the settings and the New run form need, from `src/llm/`. */
export interface LlmCatalog {
  presets: readonly ProviderPreset[];
  /** The model table's row for exactly this id, or null (an unknown model: ask for its context window). */
  lookupModel(id: string): ModelInfo | null;
  /** The model in effect: the table row (or a blank one) with the user's overrides. */
  resolveModel(settings: LlmSettings): ModelInfo | null;
  testConnection(settings: LlmSettings, apiKey: string, signal: AbortSignal): Promise<ConnectionReport>;
  estimateCost(input: { model: ModelInfo; domain: Domain; limits: Limits; steps?: number }): CostEstimate | null;
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
  /** The sandbox that runs would use now, and its state. */
  status: SandboxStatus | null;
  /** Why WebContainer cannot be used here (not cross-origin isolated, iOS, boot timed out), if so. */
  webContainerProblem: string | null;
}

export interface AppServices {
  store: AppStore;
  driver: RunDriver;
  keys: KeyVault;
  llm: LlmCatalog;
  environment: RunEnvironment;
  sandboxInfo(choice: SandboxChoice): SandboxInfo;
  loadSettings(): Promise<AppSettings>;
  saveSettings(settings: AppSettings): Promise<void>;
  /** Builds the zip of a run's current files and saves it as a download. */
  downloadZip(runId: string): Promise<void>;
}
