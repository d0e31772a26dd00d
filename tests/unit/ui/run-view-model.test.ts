import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../src/l2mac/events.ts';
import type { EventDraft } from '../../../src/l2mac/events.ts';
import { RunViewModel } from '../../../src/ui/model/run-view-model.ts';
import { controlPurposeLabel } from '../../../src/ui/model/transcript.ts';
import type { RunRecord } from '../../../src/store/types.ts';
import { DEFAULT_LIMITS } from '../../../src/l2mac/run-state.ts';

const usage = { inputTokens: 100, cachedInputTokens: 20, outputTokens: 10 };

let nextSeq = 1;
/** Stamps drafts as a run does: seqs keep increasing across calls. */
function events(...drafts: EventDraft[]): RunEvent[] {
  return drafts.map((draft) => {
    const seq = nextSeq++;
    return { ...draft, runId: 'r1', seq, at: 1000 + seq } as RunEvent;
  });
}

function feed(model: RunViewModel, list: RunEvent[]): void {
  for (const event of list) model.apply(event);
}

describe('RunViewModel', () => {
  it('follows the plan, each step state, the turn and the usage', () => {
    const model = new RunViewModel('r1');
    feed(
      model,
      events(
        { type: 'status', status: 'planning' },
        { type: 'plan', steps: ['Write math.js', 'Write cli.js'], source: 'model' },
        { type: 'status', status: 'running' },
        { type: 'step-started', step: 1, instruction: 'Write math.js', restart: 0, messages: [] },
        {
          type: 'llm-reply', kind: 'step', step: 1, turn: 0, restart: 0, usage, costUsd: 0.01, finishReason: 'tool_calls',
          message: { role: 'assistant', content: 'Writing.', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'write_files', arguments: '{}' } }] },
        },
        { type: 'tool-result', step: 1, turn: 0, callId: 'c1', name: 'write_files', status: 'ok', content: '{"status":"ok","message":"Written."}' },
        { type: 'step-completed', step: 1, summary: 'math.js done', testsNotRun: false, outcome: 'completed' },
        { type: 'step-started', step: 2, instruction: 'Write cli.js', restart: 0, messages: [] },
      ),
    );
    const view = model.snapshot();
    expect(view.status).toBe('running');
    expect(view.steps.map((s) => s.state)).toEqual(['completed', 'running']);
    expect(view.steps[0]!.summary).toBe('math.js done');
    expect(view.currentStep).toBe(2);
    expect(view.turn).toBe(0);
    expect(view.usage).toEqual({ inputTokens: 100, cachedInputTokens: 20, outputTokens: 10, costUsd: 0.01, calls: 1 });
    const message = view.transcript.find((e) => e.kind === 'message');
    expect(message).toMatchObject({ text: 'Writing.', toolCalls: [{ id: 'c1', status: 'ok' }] });
  });

  it('streams text into one live entry that the committed reply replaces, and drops discarded text', () => {
    const model = new RunViewModel('r1', 'running');
    const list = events(
      { type: 'text-delta', kind: 'step', step: 1, turn: 0, text: 'Hel' },
      { type: 'text-delta', kind: 'step', step: 1, turn: 0, text: 'lo' },
    );
    feed(model, list);
    let view = model.snapshot();
    expect(view.transcript).toHaveLength(1);
    expect(view.transcript[0]).toMatchObject({ kind: 'message', text: 'Hello', streaming: true });

    feed(model, events({ type: 'text-delta', kind: 'step', step: 1, turn: 0, text: 'Retry', discard: true }));
    expect(model.snapshot().transcript[0]).toMatchObject({ text: 'Retry', streaming: true });

    feed(
      model,
      events({
        type: 'llm-reply', kind: 'step', step: 1, turn: 0, restart: 0, usage, costUsd: 0, finishReason: 'stop',
        message: { role: 'assistant', content: 'Retry done' },
      }),
    );
    view = model.snapshot();
    expect(view.transcript).toHaveLength(1);
    expect(view.transcript[0]).toMatchObject({ text: 'Retry done', streaming: false });
  });

  it('replaces a changed entry object and keeps unchanged ones, so a keyed list re-renders only what changed', () => {
    const model = new RunViewModel('r1', 'running');
    feed(
      model,
      events(
        { type: 'step-started', step: 1, instruction: 'x', restart: 0, messages: [] },
        {
          type: 'llm-reply', kind: 'step', step: 1, turn: 0, restart: 0, usage, costUsd: 0, finishReason: 'tool_calls',
          message: { role: 'assistant', content: null, tool_calls: [{ id: 'c9', type: 'function', function: { name: 'run_tests', arguments: '{}' } }] },
        },
      ),
    );
    const before = model.snapshot().transcript;
    model.apply({ type: 'tool-result', runId: 'r1', seq: nextSeq++, at: 5, step: 1, turn: 0, callId: 'c9', name: 'run_tests', status: 'error', content: '{}' });
    const after = model.snapshot().transcript;
    expect(after[0]).toBe(before[0]);
    expect(after[1]).not.toBe(before[1]);
    expect(after[1]).toMatchObject({ toolCalls: [{ status: 'error' }] });
  });

  it('marks the files changed in the current step and forgets them when the next step starts', () => {
    const model = new RunViewModel('r1', 'running');
    feed(
      model,
      events(
        { type: 'step-started', step: 1, instruction: 'a', restart: 0, messages: [] },
        { type: 'files-changed', step: 1, turn: 0, changes: [{ path: 'a.js', change: 'added', version: 1 }] },
        { type: 'files-changed', step: 1, turn: 1, changes: [{ path: 'a.js', change: 'modified', version: 2 }, { path: 'old.js', change: 'deleted', version: 3 }] },
      ),
    );
    expect([...model.snapshot().changedInStep]).toEqual([
      ['a.js', 'added'],
      ['old.js', 'deleted'],
    ]);
    feed(model, events({ type: 'step-started', step: 2, instruction: 'b', restart: 0, messages: [] }));
    expect(model.snapshot().changedInStep.size).toBe(0);
  });

  it('marks the running step failed when the run fails, and shows a retry wait until the reply arrives', () => {
    const model = new RunViewModel('r1', 'running');
    const list = events(
      { type: 'plan', steps: ['a'], source: 'model' },
      { type: 'step-started', step: 1, instruction: 'a', restart: 0, messages: [] },
      { type: 'retry-wait', attempt: 1, maxAttempts: 6, delayMs: 2000, reason: 'rate-limit', message: '429' },
    );
    feed(model, list);
    expect(model.snapshot().retryWait).toMatchObject({ attempt: 1, maxAttempts: 6, until: list[2]!.at + 2000 });
    feed(model, events({ type: 'status', status: 'failed', reason: 'Internal error: boom' }));
    const view = model.snapshot();
    expect(view.steps[0]!.state).toBe('failed');
    expect(view.retryWait).toBeNull();
    expect(view.statusReason).toBe('Internal error: boom');
  });

  it('ignores a durable event it already applied (a replayed log and the live stream overlap)', () => {
    const model = new RunViewModel('r1', 'running');
    const [started, reply] = events(
      { type: 'step-started', step: 1, instruction: 'a', restart: 0, messages: [] },
      { type: 'llm-reply', kind: 'step', step: 1, turn: 0, restart: 0, usage, costUsd: 0.5, finishReason: 'stop', message: { role: 'assistant', content: 'x' } },
    );
    feed(model, [started!, reply!, reply!, started!]);
    const view = model.snapshot();
    expect(view.transcript).toHaveLength(2);
    expect(view.usage.costUsd).toBe(0.5);
  });

  it('takes the stored record as the truth after replaying its log', () => {
    const record: RunRecord = {
      id: 'r1', title: 't', task: 't', domain: 'codebase', status: 'interrupted', statusReason: 'No tab is driving this run.',
      settings: { llm: { provider: 'custom', baseURL: 'http://x', model: 'm' }, model: {} as RunRecord['settings']['model'], limits: DEFAULT_LIMITS, requirePassingTests: true, sandbox: 'auto', planFirst: false },
      plan: [{ instruction: 'a', state: 'completed' }, { instruction: 'b', state: 'running' }],
      usage: { inputTokens: 5, cachedInputTokens: 0, outputTokens: 1, costUsd: 0.5, calls: 3 },
      lastSeq: 2, createdAt: 0, updatedAt: 0, activeMs: 0,
    };
    const model = RunViewModel.fromStored(record, events({ type: 'status', status: 'running' }, { type: 'plan', steps: ['a', 'b'], source: 'model' }) as never);
    const view = model.snapshot();
    expect(view.status).toBe('interrupted');
    expect(view.steps.map((s) => s.state)).toEqual(['completed', 'running']);
    expect(view.usage.costUsd).toBe(0.5);
  });

  it('labels the control message after a failed check of the same turn as such, and not after a passing one', () => {
    const model = new RunViewModel('r1', 'running');
    const check = (ok: boolean) => ({ syntaxErrors: [], passed: ok ? 2 : 1, failed: ok ? 0 : 1, skipped: 0, todo: 0, failures: [], timedOut: [], noTests: false, ok });
    feed(
      model,
      events(
        { type: 'step-started', step: 1, instruction: 'a', restart: 0, messages: [] },
        { type: 'check', step: 1, turn: 0, trigger: 'write', result: check(false) },
        { type: 'control-message', step: 1, turn: 0, purpose: 'continue', content: 'The checks after your last change failed.' },
        { type: 'check', step: 1, turn: 1, trigger: 'write', result: check(true) },
        { type: 'control-message', step: 1, turn: 1, purpose: 'continue', content: 'Is the step done?' },
        { type: 'control-message', step: 1, turn: 2, purpose: 'continue', content: 'Is the step done?' },
      ),
    );
    const controls = model.snapshot().transcript.filter((e) => e.kind === 'control');
    expect(controls.map((c) => c.afterFailedCheck)).toEqual([true, false, false]);
    expect(controlPurposeLabel('continue', true)).toBe('Control: the checks failed, keep working');
    expect(controlPurposeLabel('continue', false)).toBe('Control: is the step done?');
  });
});
