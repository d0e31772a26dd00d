/**
 * Everything the run view shows, folded from the run's events (DESIGN.md §4 `RunEvent`). Plain TypeScript,
 * no Svelte: the rune state class (`ui/state/run-session.svelte.ts`) applies events here as they arrive and
 * publishes a snapshot once per animation frame, so a burst of streamed text costs one render.
 *
 * Opening a stored run replays its event log (for the transcript), then takes the run record's status,
 * plan and usage as the truth (they are what the store committed last).
 */
import { isDurable, type CheckSummary, type DurableEvent, type RunEvent, type RunReport } from '../../l2mac/events.ts';
import type { PauseReason, PlanStep, RunStatus, StepState } from '../../l2mac/run-state.ts';
import type { RequestKind } from '../../llm/types.ts';
import type { SandboxStatus } from '../../sandbox/types.ts';
import type { RunRecord, UsageTotals } from '../../store/types.ts';
import type { MessageEntry, NoticeTone, ToolCallView, TranscriptEntry } from './transcript.ts';

export interface StepView {
  /** 1-based. */
  index: number;
  instruction: string;
  state: StepState;
  summary: string | null;
  testsNotRun: boolean;
}

export interface RetryWaitView {
  attempt: number;
  maxAttempts: number;
  until: number;
  reason: string;
  message: string;
}

export type FileChangeKind = 'added' | 'modified' | 'deleted';

export interface RunViewSnapshot {
  runId: string;
  status: RunStatus;
  statusReason: string | null;
  pauseReason: PauseReason | null;
  steps: StepView[];
  /** 1-based index of the step in progress (or the last one started); 0 before any. */
  currentStep: number;
  turn: number;
  restart: number;
  usage: UsageTotals;
  sandbox: SandboxStatus | null;
  retryWait: RetryWaitView | null;
  lastCheck: CheckSummary | null;
  report: RunReport | null;
  /** Files added, changed or deleted in the current step. */
  changedInStep: ReadonlyMap<string, FileChangeKind>;
  /** Bumps whenever a file changed, so views can reload the file list. */
  filesVersion: number;
  /** Seq of the last durable event applied. */
  lastSeq: number;
  transcript: readonly TranscriptEntry[];
  /** Process output of the sandbox, newest last, cut to its last OUTPUT_LIMIT characters. */
  output: string;
}

/** Process output kept for the output panel (the tail; the report and checks keep what matters). */
export const OUTPUT_LIMIT = 200_000;

function emptyUsage(): UsageTotals {
  return { inputTokens: 0, cachedInputTokens: 0, outputTokens: 0, costUsd: 0, calls: 0 };
}

function stepsFromPlan(plan: readonly PlanStep[]): StepView[] {
  return plan.map((step, i) => ({
    index: i + 1,
    instruction: step.instruction,
    state: step.state,
    summary: step.summary ?? null,
    testsNotRun: step.testsNotRun ?? false,
  }));
}

function liveId(kind: RequestKind, step: number, turn: number): string {
  return `live:${kind}:${step}:${turn}`;
}

export class RunViewModel {
  private state: Omit<RunViewSnapshot, 'transcript' | 'changedInStep'>;
  private entries: TranscriptEntry[] = [];
  private changed = new Map<string, FileChangeKind>();
  /** Transcript index of each tool call's message entry, by call id. */
  private callIndex = new Map<string, number>();
  /** Transcript index of the streaming message, if one is open. */
  private liveIndex: number | null = null;
  /** `step:turn` of the latest check that failed, so the control message after it says so. */
  private failedCheckAt: string | null = null;
  private outputChunks: string[] = [];
  private outputLength = 0;
  private dirty = true;

  constructor(runId: string, status: RunStatus = 'planning') {
    this.state = {
      runId,
      status,
      statusReason: null,
      pauseReason: null,
      steps: [],
      currentStep: 0,
      turn: 0,
      restart: 0,
      usage: emptyUsage(),
      sandbox: null,
      retryWait: null,
      lastCheck: null,
      report: null,
      filesVersion: 0,
      lastSeq: 0,
      output: '',
    };
  }

  /** A stored run: its log replayed for the transcript, then the record's own fields on top. */
  static fromStored(record: RunRecord, events: readonly DurableEvent[]): RunViewModel {
    const model = new RunViewModel(record.id, record.status);
    for (const event of events) model.apply(event);
    model.adoptRecord(record);
    return model;
  }

  /** Takes the committed run fields as the truth (after a replay, or when the record changed outside a drive). */
  adoptRecord(record: RunRecord): void {
    this.state.status = record.status;
    this.state.statusReason = record.statusReason ?? null;
    this.state.pauseReason = record.pauseReason ?? null;
    if (record.plan) this.state.steps = stepsFromPlan(record.plan);
    this.state.usage = { ...record.usage };
    if (record.report) this.state.report = record.report;
    if (record.status !== 'running' && record.status !== 'planning') this.state.retryWait = null;
    this.dirty = true;
  }

  /** Seq of the last durable event applied. */
  get lastSeq(): number {
    return this.state.lastSeq;
  }

  /** Whether anything changed since the last snapshot. */
  get isDirty(): boolean {
    return this.dirty;
  }

  snapshot(): RunViewSnapshot {
    this.dirty = false;
    if (this.outputChunks.length > 1) this.outputChunks = [this.outputChunks.join('')];
    return {
      ...this.state,
      steps: this.state.steps.slice(),
      changedInStep: new Map(this.changed),
      transcript: this.entries.slice(),
      output: this.outputChunks[0] ?? '',
    };
  }

  /** Applies one event; a durable event already applied (seq not after the last one) is ignored. */
  apply(event: RunEvent): void {
    if (isDurable(event)) {
      if (event.seq <= this.state.lastSeq) return;
      this.state.lastSeq = event.seq;
    }
    this.dirty = true;
    switch (event.type) {
      case 'status':
        this.onStatus(event.status, event.reason ?? null, event.pauseReason ?? null, event.at);
        return;
      case 'plan':
        this.state.steps = event.steps.map((instruction, i) => ({
          index: i + 1,
          instruction,
          state: 'pending',
          summary: null,
          testsNotRun: false,
        }));
        this.push({ kind: 'plan', id: `plan:${event.seq}`, at: event.at, steps: event.steps, source: event.source });
        return;
      case 'step-started':
        this.onStepStarted(event.step, event.instruction, event.restart, event.seq, event.at);
        return;
      case 'text-delta':
        this.onTextDelta(event.kind, event.step, event.turn, event.text, event.discard === true, event.at);
        return;
      case 'llm-reply': {
        const calls: ToolCallView[] = (event.message.tool_calls ?? []).map((call) => ({
          id: call.id,
          name: call.function.name,
          arguments: call.function.arguments,
          status: 'pending',
          result: null,
        }));
        const entry: MessageEntry = {
          kind: 'message',
          id: `reply:${event.seq}`,
          at: event.at,
          requestKind: event.kind,
          step: event.step,
          turn: event.turn,
          text: event.message.content ?? '',
          streaming: false,
          toolCalls: calls,
          usage: event.usage,
          costUsd: event.costUsd,
        };
        this.state.usage = {
          inputTokens: this.state.usage.inputTokens + event.usage.inputTokens,
          cachedInputTokens: this.state.usage.cachedInputTokens + event.usage.cachedInputTokens,
          outputTokens: this.state.usage.outputTokens + event.usage.outputTokens,
          costUsd: this.state.usage.costUsd + event.costUsd,
          calls: this.state.usage.calls + 1,
        };
        if (event.kind === 'step') this.state.turn = event.turn + 1;
        this.state.retryWait = null;
        const index = this.closeLive(event.kind, event.step, event.turn, entry);
        calls.forEach((call) => this.callIndex.set(call.id, index));
        return;
      }
      case 'tool-call':
        this.onToolCall(event.callId, event.name, event.arguments, event.step, event.turn, event.at, event.seq);
        return;
      case 'tool-result':
        this.updateCall(event.callId, (call) => ({ ...call, status: event.status, result: event.content }));
        return;
      case 'check':
        this.state.lastCheck = event.result;
        this.failedCheckAt = event.result.ok ? null : `${event.step}:${event.turn}`;
        this.push({ kind: 'check', id: `check:${event.seq}`, at: event.at, step: event.step, trigger: event.trigger, result: event.result });
        return;
      case 'control-message':
        this.push({
          kind: 'control',
          id: `control:${event.seq}`,
          at: event.at,
          step: event.step,
          purpose: event.purpose,
          afterFailedCheck: this.failedCheckAt === `${event.step}:${event.turn}`,
          content: event.content,
          note: event.note ?? null,
        });
        return;
      case 'retry-wait':
        this.state.retryWait = {
          attempt: event.attempt,
          maxAttempts: event.maxAttempts,
          until: event.at + event.delayMs,
          reason: event.reason,
          message: event.message,
        };
        this.notice(event.seq, event.at, 'warning', `Retry ${event.attempt} of ${event.maxAttempts} in ${formatSeconds(event.delayMs)}`, event.message);
        return;
      case 'guard':
        this.notice(event.seq, event.at, 'warning', `Guard tripped: ${event.guard}`, event.detail);
        return;
      case 'restart':
        this.state.restart = event.restart;
        this.state.turn = 0;
        this.notice(
          event.seq,
          event.at,
          'info',
          `Context restart ${event.restart} of step ${event.step} (${event.droppedTurns} turns dropped)`,
          event.summary,
        );
        return;
      case 'step-completed':
        this.setStep(event.step, (step) => ({
          ...step,
          state: event.outcome === 'skipped' ? 'skipped' : 'completed',
          summary: event.summary || step.summary,
          testsNotRun: event.testsNotRun,
        }));
        this.notice(
          event.seq,
          event.at,
          event.outcome === 'skipped' ? 'info' : 'success',
          event.outcome === 'skipped' ? `Step ${event.step} skipped` : `Step ${event.step} completed${event.testsNotRun ? ' (tests not run)' : ''}`,
          event.summary || null,
        );
        return;
      case 'files-changed':
        for (const change of event.changes) {
          const before = this.changed.get(change.path);
          this.changed.set(change.path, before === 'added' && change.change === 'modified' ? 'added' : change.change);
        }
        this.state.filesVersion += 1;
        this.push({ kind: 'files', id: `files:${event.seq}`, at: event.at, step: event.step, changes: event.changes });
        return;
      case 'report':
        this.state.report = event.report;
        return;
      case 'sandbox-output':
        this.appendOutput(event.text);
        return;
      case 'sandbox-status':
        this.state.sandbox = event.status;
        return;
    }
  }

  private onStatus(status: RunStatus, reason: string | null, pauseReason: PauseReason | null, at: number): void {
    const previous = this.state.status;
    this.state.status = status;
    this.state.statusReason = reason;
    this.state.pauseReason = status === 'paused' ? pauseReason : null;
    if (status !== 'running' && status !== 'planning') {
      this.state.retryWait = null;
      this.dropLive();
    }
    if (status === 'failed') {
      this.setStep(this.state.currentStep, (step) => (step.state === 'running' ? { ...step, state: 'failed' } : step));
    }
    if (status === 'planning' || status === 'running') {
      if (previous === 'paused' || previous === 'interrupted') this.notice(null, at, 'info', 'Run resumed', null);
      return;
    }
    this.notice(null, at, statusTone(status), `Run ${status}`, reason);
  }

  private onStepStarted(step: number, instruction: string, restart: number, seq: number, at: number): void {
    if (step !== this.state.currentStep) this.changed = new Map();
    this.state.currentStep = step;
    this.state.restart = restart;
    this.state.turn = 0;
    this.setStep(step, (view) => ({ ...view, state: 'running', instruction: view.instruction || instruction }));
    if (step > this.state.steps.length) {
      this.state.steps = [...this.state.steps, { index: step, instruction, state: 'running', summary: null, testsNotRun: false }];
    }
    this.push({ kind: 'step', id: `step:${seq}`, at, step, instruction, restart });
  }

  private onTextDelta(kind: RequestKind, step: number, turn: number, text: string, discard: boolean, at: number): void {
    const id = liveId(kind, step, turn);
    const current = this.liveIndex === null ? undefined : this.entries[this.liveIndex];
    if (current && current.kind === 'message' && current.id === id) {
      this.entries[this.liveIndex!] = { ...current, text: discard ? text : current.text + text };
      return;
    }
    this.dropLive();
    this.liveIndex = this.entries.length;
    this.entries.push({
      kind: 'message',
      id,
      at,
      requestKind: kind,
      step,
      turn,
      text,
      streaming: true,
      toolCalls: [],
      usage: null,
      costUsd: null,
    });
  }

  /** Replaces the streaming entry of the same request with the final one, or appends it. Returns its index. */
  private closeLive(kind: RequestKind, step: number, turn: number, entry: MessageEntry): number {
    const index = this.liveIndex;
    this.liveIndex = null;
    if (index !== null && this.entries[index]?.id === liveId(kind, step, turn)) {
      this.entries[index] = entry;
      return index;
    }
    if (index !== null) this.removeAt(index);
    this.entries.push(entry);
    return this.entries.length - 1;
  }

  private dropLive(): void {
    if (this.liveIndex === null) return;
    this.removeAt(this.liveIndex);
    this.liveIndex = null;
  }

  private removeAt(index: number): void {
    this.entries.splice(index, 1);
    for (const [id, at] of this.callIndex) {
      if (at > index) this.callIndex.set(id, at - 1);
    }
  }

  private onToolCall(callId: string, name: string, args: string, step: number, turn: number, at: number, seq: number): void {
    if (this.callIndex.has(callId)) return;
    // A tool call without a reply event before it: show it in an entry of its own.
    this.push({
      kind: 'message',
      id: `call:${seq}`,
      at,
      requestKind: 'step',
      step,
      turn,
      text: '',
      streaming: false,
      toolCalls: [{ id: callId, name, arguments: args, status: 'pending', result: null }],
      usage: null,
      costUsd: null,
    });
    this.callIndex.set(callId, this.entries.length - 1);
  }

  private updateCall(callId: string, update: (call: ToolCallView) => ToolCallView): void {
    const index = this.callIndex.get(callId);
    if (index === undefined) return;
    const entry = this.entries[index];
    if (!entry || entry.kind !== 'message') return;
    this.entries[index] = { ...entry, toolCalls: entry.toolCalls.map((call) => (call.id === callId ? update(call) : call)) };
  }

  private setStep(step: number, update: (view: StepView) => StepView): void {
    const view = this.state.steps[step - 1];
    if (!view) return;
    const steps = this.state.steps.slice();
    steps[step - 1] = update(view);
    this.state.steps = steps;
  }

  private push(entry: TranscriptEntry): void {
    // Keep a streaming entry last: durable entries of the same turn arrive only after it completes.
    if (this.liveIndex !== null && this.liveIndex === this.entries.length - 1) {
      this.entries.splice(this.liveIndex, 0, entry);
      this.liveIndex += 1;
      return;
    }
    this.entries.push(entry);
  }

  private notice(seq: number | null, at: number, tone: NoticeTone, title: string, detail: string | null): void {
    const id = seq === null ? `notice:${at}:${this.entries.length}` : `notice:${seq}`;
    this.push({ kind: 'notice', id, at, tone, title, detail });
  }

  private appendOutput(text: string): void {
    this.outputChunks.push(text);
    this.outputLength += text.length;
    if (this.outputLength > OUTPUT_LIMIT * 1.5) {
      const joined = this.outputChunks.join('').slice(-OUTPUT_LIMIT);
      this.outputChunks = [joined];
      this.outputLength = joined.length;
    }
  }
}

function statusTone(status: RunStatus): NoticeTone {
  switch (status) {
    case 'completed':
      return 'success';
    case 'failed':
      return 'danger';
    case 'paused':
    case 'interrupted':
    case 'cancelled':
      return 'warning';
    default:
      return 'info';
  }
}

function formatSeconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}
