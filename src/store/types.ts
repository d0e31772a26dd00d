/**
 * The persistence port (DESIGN.md §3, §6). Implementations: `indexeddb.ts` (the app) and `memory.ts`
 * (Node, tests, benchmarks). Both pass one contract suite.
 *
 * Nothing here ever holds the API key: `RunSettings` has no field for it, and the key-storage module
 * (`key-storage.ts`) is the only place that touches it.
 */
import type { CheckpointState } from '../l2mac/checkpoint.ts';
import type { DurableEvent, RunReport } from '../l2mac/events.ts';
import type { Domain, Limits, PauseReason, PlanStep, RunStatus } from '../l2mac/run-state.ts';
import type { LlmSettings, ModelInfo, Usage } from '../llm/types.ts';
import type { FileChange, SandboxChoice } from '../sandbox/types.ts';

/** Everything a run needs to be repeated or resumed, except the key. */
export interface RunSettings {
  llm: LlmSettings;
  /** The model row in effect when the run started (table values plus the user's overrides). */
  model: ModelInfo;
  limits: Limits;
  requirePassingTests: boolean;
  sandbox: SandboxChoice;
  /** "Plan first": pause for review after planning. */
  planFirst: boolean;
  /** A prompt program supplied by the user (skips planning). */
  promptProgram?: string[];
}

export interface UsageTotals extends Usage {
  costUsd: number;
  calls: number;
}

export interface RunRecord {
  id: string;
  title: string;
  task: string;
  domain: Domain;
  status: RunStatus;
  /** Human-readable reason for the status (paused, failed, interrupted, cancelled). */
  statusReason?: string;
  pauseReason?: PauseReason;
  settings: RunSettings;
  plan: PlanStep[] | null;
  usage: UsageTotals;
  report?: RunReport;
  /** The run this one continues (a follow-up task), if any. */
  parentRunId?: string;
  /** Where the starting files came from (an import summary or the parent run). */
  origin?: { kind: 'empty' | 'import' | 'follow-up'; label: string; files: number };
  /** Seq of the last durable event committed. */
  lastSeq: number;
  createdAt: number;
  updatedAt: number;
  finishedAt?: number;
  /** Wall time spent driving the run, summed over sessions. */
  activeMs: number;
}

export type RunSummary = Pick<
  RunRecord,
  'id' | 'title' | 'task' | 'domain' | 'status' | 'statusReason' | 'createdAt' | 'updatedAt' | 'parentRunId'
> & { costUsd: number; steps: number; stepsDone: number };

export interface NewRun {
  id?: string;
  title?: string;
  task: string;
  domain: Domain;
  settings: RunSettings;
  parentRunId?: string;
  origin?: RunRecord['origin'];
  /** Starting files (an import). Stored as version 1 of each, at step 0, turn 0. */
  files?: Record<string, string>;
  /** Start from another run's current files, sharing their blobs (a follow-up). */
  filesFromRun?: string;
}

export interface FileEntry {
  path: string;
  /** Content hash (SHA-256, hex) of the blob. */
  hash: string;
  version: number;
  bytes: number;
  lines: number;
}

export interface VersionRecord {
  runId: string;
  path: string;
  version: number;
  step: number;
  turn: number;
  /** null for a delete. */
  hash: string | null;
  at: number;
  /** Why it was written: a tool, the starting files, a restore. */
  cause: 'tool' | 'start' | 'restore';
}

/** Run fields a turn may change along with its files and events. */
export type RunPatch = Partial<
  Pick<RunRecord, 'status' | 'statusReason' | 'pauseReason' | 'plan' | 'usage' | 'report' | 'finishedAt' | 'activeMs' | 'title' | 'settings'>
>;

export interface TurnCommit {
  step: number;
  turn: number;
  changes: FileChange[];
  events: DurableEvent[];
  checkpoint: CheckpointState;
  run?: RunPatch;
  /** Version cause for `changes` (default `tool`). */
  cause?: VersionRecord['cause'];
}

export interface RunLock {
  release(): void;
}

export interface FileStore {
  createRun(init: NewRun): Promise<RunRecord>;
  getRun(runId: string): Promise<RunRecord | undefined>;
  listRuns(): Promise<RunSummary[]>;
  /** Metadata edits outside a turn: rename, or marking a run interrupted on load. */
  updateRun(runId: string, patch: RunPatch): Promise<RunRecord>;
  deleteRun(runId: string): Promise<void>;

  listFiles(runId: string): Promise<FileEntry[]>;
  /** Contents of the given paths; unknown paths are absent from the result. */
  readFiles(runId: string, paths: string[]): Promise<Record<string, string>>;
  /** Every current file with its content. */
  readAllFiles(runId: string): Promise<Record<string, string>>;
  /** The files as they were at the end of `step` (step 0: the starting files). */
  filesAtStep(runId: string, step: number): Promise<Record<string, string>>;
  listVersions(runId: string, path?: string): Promise<VersionRecord[]>;
  readBlob(hash: string): Promise<string | undefined>;

  /** One atomic write of a turn's files, versions, events, checkpoint and run fields. */
  commitTurn(runId: string, commit: TurnCommit): Promise<void>;
  getCheckpoint(runId: string): Promise<CheckpointState | undefined>;
  listEvents(runId: string, fromSeq?: number): Promise<DurableEvent[]>;

  /** Take the run's lock (one driver at a time); null when another holder has it. */
  lockRun(runId: string): Promise<RunLock | null>;
  /** Whether anyone (this tab or another) holds the run's lock. */
  isLocked(runId: string): Promise<boolean>;
}

/**
 * App defaults kept beside the runs (DESIGN.md §6 `settings`): JSON values by key. Never the API key: the
 * stores refuse a value holding an `apiKey`-like property.
 */
export interface SettingsStore {
  getSetting<T = unknown>(key: string): Promise<T | undefined>;
  putSetting(key: string, value: unknown): Promise<void>;
  deleteSetting(key: string): Promise<void>;
}

/** Everything of one run that an export carries besides the blobs' contents. */
export interface RunSnapshot {
  run: RunRecord;
  checkpoint: CheckpointState | null;
  /** Every version of every path, in (path, version) order. */
  versions: VersionRecord[];
  /** The whole event log, in seq order. */
  events: DurableEvent[];
}

/** Stores a whole run as it was exported (bundle import). */
export interface RunImporter {
  /**
   * Writes the run with its versions, events and checkpoint as given; the current files follow from the
   * versions. Takes a new id when `snapshot.run.id` is taken. Every hash must be in `blobs` (hash →
   * content) or already stored. Returns the stored run.
   */
  importRun(snapshot: RunSnapshot, blobs: Record<string, string>): Promise<RunRecord>;
}

/** What the app's stores (IndexedDB, memory) offer. */
export type AppStore = FileStore & SettingsStore & RunImporter;
