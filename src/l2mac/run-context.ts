/**
 * The state of one drive of a run and the few operations every phase needs: calling the LLM (with its
 * events, usage and the spend guard), staging events, and committing a turn (DESIGN.md §6: one commit per
 * LLM turn, with the turn's files, events, checkpoint and run fields).
 */
import { AbortError } from '../errors.ts';
import type { AssistantMessage, ChatMessage, CompletionResult, LlmPort, RequestKind, ToolChoice, ToolSpec } from '../llm/types.ts';
import type { FileStore, RunPatch, RunRecord, UsageTotals, VersionRecord } from '../store/types.ts';
import type { CheckpointState } from './checkpoint.ts';
import { contextBudget, requestTokens } from './context.ts';
import type { RunEmitter } from './emitter.ts';
import type { DurableEventDraft } from './events.ts';
import { promptsFor } from './prompts/index.ts';
import type { PromptSet } from './prompts/types.ts';
import type { Limits, PlanStep } from './run-state.ts';
import type { SandboxAccess } from './sandbox-access.ts';
import { RunStop } from './stop.ts';
import { stepTools, toolSpec } from './tools/registry.ts';
import type { CheckRunner, ToolDefinition } from './tools/types.ts';
import { addUsage, callCostUsd } from './usage.ts';
import type { Workspace } from './workspace.ts';

export interface LlmCall {
  kind: RequestKind;
  step: number;
  turn: number;
  restart: number;
  messages: readonly ChatMessage[];
  tools?: ToolSpec[];
  toolChoice?: ToolChoice;
  temperature?: number;
}

export interface RunContextInit {
  store: FileStore;
  llm: LlmPort;
  run: RunRecord;
  checkpoint: CheckpointState;
  workspace: Workspace;
  /** Current version of every path the run ever had (deleted ones included). */
  versions: Map<string, number>;
  emitter: RunEmitter;
  clock: () => number;
  signal: AbortSignal;
  /** The run started from existing files (an import or a follow-up). */
  existingCode: boolean;
}

/**
 * The reply with every tool call id present and unique: each tool message must answer exactly one call,
 * and some providers send empty or repeated ids. Ids are derived from the turn, so a replayed reply gets
 * the same ones.
 */
export function withUniqueCallIds(message: AssistantMessage, prefix: string): AssistantMessage {
  const calls = message.tool_calls;
  if (!calls?.length) return message;
  const seen = new Set<string>();
  let changed = false;
  const fixed = calls.map((call, i) => {
    const id = typeof call.id === 'string' && call.id !== '' && !seen.has(call.id) ? call.id : `${prefix}_${i}`;
    seen.add(id);
    if (id === call.id) return call;
    changed = true;
    return { ...call, id };
  });
  return changed ? { ...message, tool_calls: fixed } : message;
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

export class RunContext {
  readonly runId: string;
  readonly store: FileStore;
  readonly llm: LlmPort;
  readonly workspace: Workspace;
  readonly emitter: RunEmitter;
  readonly clock: () => number;
  readonly signal: AbortSignal;
  readonly limits: Limits;
  readonly prompts: PromptSet;
  readonly existingCode: boolean;
  /** The run as last committed. */
  run: RunRecord;
  /** The plan as this turn changes it (committed with the turn). */
  plan: PlanStep[];
  checkpoint: CheckpointState;
  usage: UsageTotals;
  sandbox!: SandboxAccess;
  checks!: CheckRunner;
  private readonly versions: Map<string, number>;
  private readonly driveStart: number;
  /** Active time of earlier drives (the record's `activeMs` when this drive started). */
  private readonly activeBefore: number;
  private pendingNotes: string[] = [];
  private takenNotes: string[] = [];

  constructor(init: RunContextInit) {
    this.runId = init.run.id;
    this.store = init.store;
    this.llm = init.llm;
    this.run = init.run;
    this.plan = clone(init.run.plan ?? []);
    this.checkpoint = clone(init.checkpoint);
    this.usage = { ...init.run.usage };
    this.workspace = init.workspace;
    this.versions = init.versions;
    this.emitter = init.emitter;
    this.clock = init.clock;
    this.signal = init.signal;
    this.limits = init.run.settings.limits;
    this.prompts = promptsFor(init.run.domain);
    this.existingCode = init.existingCode;
    this.driveStart = init.clock();
    this.activeBefore = init.run.activeMs;
    if (init.checkpoint.pendingNote) this.pendingNotes.push(init.checkpoint.pendingNote);
  }

  get stepTools(): readonly ToolDefinition<never>[] {
    return stepTools(this.run.domain);
  }

  get stepToolSpecs(): ToolSpec[] {
    return this.stepTools.map(toolSpec);
  }

  get budget(): number {
    return contextBudget(this.llm.model, this.limits);
  }

  fits(messages: readonly ChatMessage[], tools: ToolSpec[] | undefined): boolean {
    return requestTokens(this.llm, messages, tools) <= this.budget;
  }

  throwIfStopped(): void {
    if (this.signal.aborted) throw new AbortError();
  }

  stage(draft: DurableEventDraft): void {
    this.emitter.stage(draft);
  }

  addNote(text: string): void {
    const note = text.trim();
    if (note) this.pendingNotes.push(note);
  }

  /** The user's notes for the next control message (returned to the queue if the turn is not committed). */
  takeNote(): string | null {
    if (!this.pendingNotes.length) return null;
    this.takenNotes.push(...this.pendingNotes);
    this.pendingNotes = [];
    return this.takenNotes.join('\n\n');
  }

  /** Notes not yet delivered in a committed turn. */
  undeliveredNote(): string | null {
    const notes = [...this.takenNotes, ...this.pendingNotes];
    return notes.length ? notes.join('\n\n') : null;
  }

  async callLlm(call: LlmCall): Promise<CompletionResult> {
    this.throwIfStopped();
    this.checkSpend(call.step);
    const { kind, step, turn, restart } = call;
    const result = await this.llm.complete(
      {
        messages: [...call.messages],
        ...(call.tools?.length ? { tools: call.tools } : {}),
        ...(call.toolChoice ? { toolChoice: call.toolChoice } : {}),
        ...(call.temperature !== undefined ? { temperature: call.temperature } : {}),
        meta: { runId: this.runId, kind, step, turn, restart },
      },
      {
        signal: this.signal,
        onDelta: (text) => this.emitter.transient({ type: 'text-delta', kind, step, turn, text }),
        onDiscard: () => this.emitter.transient({ type: 'text-delta', kind, step, turn, text: '', discard: true }),
        onWait: (wait) => this.emitter.commitAside({ type: 'retry-wait', ...wait }),
      },
    );
    const message = withUniqueCallIds(result.message, `call_${step}_${turn}${restart ? `_r${restart}` : ''}`);
    if (message !== result.message) result.message = message;
    const costUsd = callCostUsd(this.llm.model.prices, result.usage);
    this.usage = addUsage(this.usage, result.usage, costUsd);
    this.stage({ type: 'llm-reply', kind, step, turn, restart, message: result.message, usage: result.usage, costUsd, finishReason: result.finishReason });
    return result;
  }

  /** The spend guard (DESIGN.md §4): checked before every call against the model's prices. */
  private checkSpend(step: number): void {
    const spent = this.usage.costUsd - this.checkpoint.guardBase.spendUsd;
    const cap = this.limits.spendPerRun;
    if (spent < cap) return;
    const detail = `This run has spent $${spent.toFixed(2)} of its $${cap.toFixed(2)} limit. Resuming allows another $${cap.toFixed(2)}; or raise the limit.`;
    throw new RunStop({ status: 'paused', pauseReason: 'guard', reason: detail }, [{ type: 'guard', guard: 'spend', step, detail }], 'spend');
  }

  elapsedMs(): number {
    return this.activeBefore + (this.clock() - this.driveStart);
  }

  /**
   * Commits the turn: the workspace's changes, the staged events (plus a `files-changed` event), the
   * checkpoint (pointing at the turn's `step-started` event when it has one) and the run's fields.
   */
  async commitTurn(step: number, run: RunPatch = {}, cause: VersionRecord['cause'] = 'tool'): Promise<void> {
    const changes = this.workspace.changes();
    const versions = new Map(changes.map((c) => [c.path, (this.versions.get(c.path) ?? 0) + 1]));
    if (changes.length) {
      this.stage({
        type: 'files-changed',
        step,
        turn: this.checkpoint.stepTurns,
        changes: changes.map((c) => ({
          path: c.path,
          change: c.content === null ? 'deleted' : this.workspace.existedBefore(c.path) ? 'modified' : 'added',
          version: versions.get(c.path) ?? 1,
        })),
      });
    }
    const notes = [...this.pendingNotes];
    const checkpoint: CheckpointState = { ...clone(this.checkpoint), pendingNote: notes.length ? notes.join('\n\n') : null };
    const patch: RunPatch = { plan: clone(this.plan), usage: { ...this.usage }, activeMs: this.elapsedMs(), ...run };
    await this.emitter.commit((events) => {
      const started = events.findLast((e) => e.type === 'step-started');
      if (started) checkpoint.contextStartSeq = started.seq;
      return { step, turn: this.checkpoint.stepTurns, changes, checkpoint, run: patch, cause };
    });
    this.checkpoint.contextStartSeq = checkpoint.contextStartSeq;
    this.workspace.commit();
    for (const [path, version] of versions) this.versions.set(path, version);
    this.takenNotes = [];
    this.run = { ...this.run, ...patch, lastSeq: this.emitter.committedSeq };
  }
}
