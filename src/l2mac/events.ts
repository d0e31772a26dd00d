/**
 * The one typed event stream a run reports through (DESIGN.md §4). The UI observes a run only through
 * these; the store receives a turn's durable events inside `commitTurn` and nowhere else.
 *
 * Durable events are enough to rebuild a step's context on resume (`step-started`, `llm-reply`,
 * `tool-result`, `control-message` carry the messages verbatim). They never carry the API key.
 */
import type { AssistantMessage, ChatMessage, RequestKind, Usage } from '../llm/types.ts';
import type { SandboxStatus, SyntaxIssue, TestFailure } from '../sandbox/types.ts';
import type { PauseReason, RunStatus } from './run-state.ts';

interface EventBase {
  runId: string;
  /** Per run, strictly increasing. Transient events carry the seq of the last durable event. */
  seq: number;
  /** Epoch milliseconds. */
  at: number;
}

export interface StatusEvent extends EventBase {
  type: 'status';
  status: RunStatus;
  /** Human-readable reason for paused / failed / interrupted / cancelled. */
  reason?: string;
  pauseReason?: PauseReason;
}

export interface PlanEvent extends EventBase {
  type: 'plan';
  steps: string[];
  /** Who wrote it: the model, the user up front, or the user editing during review. */
  source: 'model' | 'user' | 'edited';
}

export interface StepStartedEvent extends EventBase {
  type: 'step-started';
  step: number;
  instruction: string;
  restart: number;
  /** The fresh context the step's agent starts from (system prompt and instruction). */
  messages: ChatMessage[];
}

export interface LlmReplyEvent extends EventBase {
  type: 'llm-reply';
  kind: RequestKind;
  step: number;
  turn: number;
  restart: number;
  message: AssistantMessage;
  usage: Usage;
  costUsd: number;
  finishReason: string;
}

export interface ToolCallEvent extends EventBase {
  type: 'tool-call';
  step: number;
  turn: number;
  callId: string;
  name: string;
  /** The raw argument string as the model sent it (shown as text, never as HTML). */
  arguments: string;
}

export interface ToolResultEvent extends EventBase {
  type: 'tool-result';
  step: number;
  turn: number;
  callId: string;
  name: string;
  status: 'ok' | 'error';
  /** The exact tool message content sent back to the model (a JSON string). */
  content: string;
}

export interface CheckSummary {
  syntaxErrors: SyntaxIssue[];
  passed: number;
  failed: number;
  skipped: number;
  todo: number;
  failures: TestFailure[];
  timedOut: string[];
  unsupported?: string;
  /** No test files at all. */
  noTests: boolean;
  ok: boolean;
  /** The runner's output when tests failed, already cut to the tool output limit (8,000 characters). */
  output?: string;
}

export interface CheckEvent extends EventBase {
  type: 'check';
  step: number;
  turn: number;
  trigger: 'write' | 'gate' | 'run_tests' | 'verify';
  result: CheckSummary;
}

export interface ControlMessageEvent extends EventBase {
  type: 'control-message';
  step: number;
  turn: number;
  /**
   * continue: "is the step done?"; fix: after a failed gate; summary-request / progress-request /
   * report-request: the user message asking for a summary; plan-retry: an invalid plan shown back.
   */
  purpose: 'continue' | 'fix' | 'summary-request' | 'progress-request' | 'report-request' | 'plan-retry';
  content: string;
  /** The user's note to the agent included in this message, if any. */
  note?: string;
}

export interface RetryWaitEvent extends EventBase {
  type: 'retry-wait';
  attempt: number;
  maxAttempts: number;
  delayMs: number;
  reason: string;
  message: string;
}

export interface GuardEvent extends EventBase {
  type: 'guard';
  guard:
    | 'turns-per-step'
    | 'restarts-per-step'
    | 'tool-calls-per-reply'
    | 'spend'
    | 'repeated-replies'
    | 'max-steps';
  step: number;
  detail: string;
}

export interface RestartEvent extends EventBase {
  type: 'restart';
  step: number;
  restart: number;
  /** The progress summary the step restarts from. */
  summary: string;
  droppedTurns: number;
}

export interface StepCompletedEvent extends EventBase {
  type: 'step-completed';
  step: number;
  summary: string;
  testsNotRun: boolean;
  /** How the step ended: normally, skipped by the user. */
  outcome: 'completed' | 'skipped';
}

export interface FilesChangedEvent extends EventBase {
  type: 'files-changed';
  step: number;
  turn: number;
  changes: { path: string; change: 'added' | 'modified' | 'deleted'; version: number }[];
}

export interface ReportStep {
  step: number;
  instruction: string;
  state: string;
  summary?: string;
  filesWritten: string[];
  testsNotRun?: boolean;
}

export interface RunReport {
  steps: ReportStep[];
  check: CheckSummary | null;
  /** The model's own assessment of the task's requirements against the files (labelled as such). */
  assessment: string | null;
  usage: Usage & { costUsd: number; calls: number };
  files: number;
  lines: number;
  elapsedMs: number;
}

export interface ReportEvent extends EventBase {
  type: 'report';
  report: RunReport;
}

export interface TextDeltaEvent extends EventBase {
  type: 'text-delta';
  kind: RequestKind;
  step: number;
  turn: number;
  text: string;
  /** The text streamed so far for this call is discarded (its stream broke and the call is retried). */
  discard?: boolean;
}

export interface SandboxOutputEvent extends EventBase {
  type: 'sandbox-output';
  text: string;
}

export interface SandboxStatusEvent extends EventBase {
  type: 'sandbox-status';
  status: SandboxStatus;
}

export type DurableEvent =
  | StatusEvent
  | PlanEvent
  | StepStartedEvent
  | LlmReplyEvent
  | ToolCallEvent
  | ToolResultEvent
  | CheckEvent
  | ControlMessageEvent
  | RetryWaitEvent
  | GuardEvent
  | RestartEvent
  | StepCompletedEvent
  | FilesChangedEvent
  | ReportEvent;

export type TransientEvent = TextDeltaEvent | SandboxOutputEvent | SandboxStatusEvent;

export type RunEvent = DurableEvent | TransientEvent;

export type RunEventType = RunEvent['type'];

const TRANSIENT: ReadonlySet<RunEventType> = new Set(['text-delta', 'sandbox-output', 'sandbox-status']);

export function isDurable(event: RunEvent): event is DurableEvent {
  return !TRANSIENT.has(event.type);
}

/** A distributive Omit, so `Omit<RunEvent, ...>` keeps the union. */
export type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** An event before the run stamps it with runId, seq and time. */
export type EventDraft = DistributiveOmit<RunEvent, 'runId' | 'seq' | 'at'>;
export type DurableEventDraft = DistributiveOmit<DurableEvent, 'runId' | 'seq' | 'at'>;

export type RunEventListener = (event: RunEvent) => void;
