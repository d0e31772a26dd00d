/**
 * The transcript of a run as the UI shows it: one entry per thing that happened, built from the run's
 * events (DESIGN.md §4, §9). Entries are immutable values: a change (a tool result arriving, streamed text
 * growing) replaces the entry object, so a keyed list re-renders exactly the entries that changed.
 */
import type { CheckSummary, ControlMessageEvent } from '../../l2mac/events.ts';
import type { RequestKind, Usage } from '../../llm/types.ts';

export interface ToolCallView {
  id: string;
  name: string;
  /** The raw argument string as the model sent it; always shown as text. */
  arguments: string;
  /** Pending until the tool's result is committed. */
  status: 'pending' | 'ok' | 'error';
  /** The tool message content (a JSON string), once known. */
  result: string | null;
}

interface EntryBase {
  /** Stable across updates of the same entry; used as the list key. */
  id: string;
  at: number;
}

export interface PlanEntry extends EntryBase {
  kind: 'plan';
  steps: string[];
  source: 'model' | 'user' | 'edited';
}

export interface StepEntry extends EntryBase {
  kind: 'step';
  step: number;
  instruction: string;
  restart: number;
}

export interface MessageEntry extends EntryBase {
  kind: 'message';
  requestKind: RequestKind;
  step: number;
  turn: number;
  text: string;
  /** Text still arriving: shown as plain text, rendered as Markdown once complete. */
  streaming: boolean;
  toolCalls: ToolCallView[];
  usage: Usage | null;
  costUsd: number | null;
}

export interface CheckEntry extends EntryBase {
  kind: 'check';
  step: number;
  trigger: 'write' | 'gate' | 'run_tests' | 'verify';
  result: CheckSummary;
}

export interface ControlEntry extends EntryBase {
  kind: 'control';
  step: number;
  purpose: ControlMessageEvent['purpose'];
  /** A check of the same turn failed: the message carries its failures back to the agent. */
  afterFailedCheck: boolean;
  content: string;
  note: string | null;
}

export type NoticeTone = 'info' | 'success' | 'warning' | 'danger';

export interface NoticeEntry extends EntryBase {
  kind: 'notice';
  tone: NoticeTone;
  title: string;
  detail: string | null;
}

export interface FilesEntry extends EntryBase {
  kind: 'files';
  step: number;
  changes: { path: string; change: 'added' | 'modified' | 'deleted'; version: number }[];
}

export type TranscriptEntry = PlanEntry | StepEntry | MessageEntry | CheckEntry | ControlEntry | NoticeEntry | FilesEntry;

/** A short human label of what an LLM request was for. */
export function requestKindLabel(kind: RequestKind): string {
  switch (kind) {
    case 'plan':
      return 'Planning';
    case 'step':
      return 'Agent';
    case 'summary':
      return 'Hand-off summary';
    case 'progress':
      return 'Progress summary';
    case 'report':
      return 'Assessment';
  }
}

export function controlPurposeLabel(purpose: ControlMessageEvent['purpose'], afterFailedCheck = false): string {
  switch (purpose) {
    case 'continue':
      return afterFailedCheck ? 'Control: the checks failed, keep working' : 'Control: is the step done?';
    case 'fix':
      return 'Control: fix the failing checks';
    case 'summary-request':
      return 'Control: asked for a hand-off summary';
    case 'progress-request':
      return 'Control: asked for a progress summary';
    case 'report-request':
      return 'Control: asked for an assessment';
    case 'plan-retry':
      return 'Control: the plan was invalid, retrying';
  }
}

/** A one-line summary of a tool result's JSON (`{"status","message"}`), or the raw text when not JSON. */
export function toolResultMessage(content: string): string {
  try {
    const parsed: unknown = JSON.parse(content);
    if (parsed && typeof parsed === 'object' && 'message' in parsed && typeof parsed.message === 'string') {
      return parsed.message;
    }
  } catch {
    // Not JSON: the raw content is the message.
  }
  return content;
}

/** Arguments pretty-printed when they are JSON, else as sent. Still shown as text. */
export function formatArguments(raw: string): string {
  try {
    return JSON.stringify(JSON.parse(raw), null, 2);
  } catch {
    return raw;
  }
}
