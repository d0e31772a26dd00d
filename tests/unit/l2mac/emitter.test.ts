import { describe, expect, it } from 'vitest';
import { StorageQuotaError } from '../../../src/errors.ts';
import { initialCheckpoint } from '../../../src/l2mac/checkpoint.ts';
import { RunEmitter } from '../../../src/l2mac/emitter.ts';
import type { RunEvent } from '../../../src/l2mac/events.ts';
import { MemoryStore } from '../../../src/store/memory.ts';
import { settings } from './harness.ts';

async function setup() {
  const store = new MemoryStore();
  const run = await store.createRun({ task: 't', domain: 'codebase', settings: settings() });
  const emitter = new RunEmitter(store, run.id, 0, () => 42);
  const seen: RunEvent[] = [];
  emitter.subscribe((e) => seen.push(e));
  emitter.setBaseline(0, 0, initialCheckpoint());
  return { store, run, emitter, seen };
}

describe('run emitter', () => {
  it('publishes transient events at once and durable ones only after the commit resolved', async () => {
    const { store, run, emitter, seen } = await setup();
    emitter.transient({ type: 'text-delta', kind: 'step', step: 1, turn: 0, text: 'hi' });
    expect(seen.map((e) => e.type)).toEqual(['text-delta']);
    emitter.stage({ type: 'status', status: 'running' });
    emitter.stage({ type: 'guard', guard: 'spend', step: 1, detail: 'd' });
    expect(seen).toHaveLength(1);
    let storedWhenPublished = -1;
    emitter.subscribe((e) => {
      if (e.type === 'guard') void store.listEvents(run.id).then((events) => (storedWhenPublished = events.length));
    });
    const committed = await emitter.commit(() => ({ step: 0, turn: 0, changes: [], checkpoint: initialCheckpoint() }));
    expect(committed.map((e) => e.seq)).toEqual([1, 2]);
    expect(seen.map((e) => `${e.type}:${e.seq}`)).toEqual(['text-delta:0', 'status:1', 'guard:2']);
    await Promise.resolve();
    expect(storedWhenPublished).toBe(2);
    emitter.transient({ type: 'sandbox-output', text: 'x' });
    expect(seen.at(-1)?.seq).toBe(2);
  });

  it('publishes nothing of a turn whose commit fails, and reuses its seqs', async () => {
    const { store, emitter, seen } = await setup();
    const original = store.commitTurn.bind(store);
    store.commitTurn = async () => {
      throw new StorageQuotaError('full');
    };
    emitter.stage({ type: 'status', status: 'running' });
    await expect(emitter.commit(() => ({ step: 0, turn: 0, changes: [], checkpoint: initialCheckpoint() }))).rejects.toBeInstanceOf(StorageQuotaError);
    expect(seen).toEqual([]);
    expect(emitter.hasPending).toBe(false);
    store.commitTurn = original;
    emitter.stage({ type: 'status', status: 'paused' });
    const [event] = await emitter.commit(() => ({ step: 0, turn: 0, changes: [], checkpoint: initialCheckpoint() }));
    expect(event?.seq).toBe(1);
  });

  it('commits a retry wait on its own while a turn is pending, ahead of the turn', async () => {
    const { store, run, emitter, seen } = await setup();
    emitter.stage({ type: 'control-message', step: 1, turn: 0, purpose: 'progress-request', content: 'p' });
    emitter.commitAside({ type: 'retry-wait', attempt: 1, maxAttempts: 6, delayMs: 1000, reason: 'rate-limit', message: '429' });
    await emitter.settle();
    expect(seen.map((e) => `${e.type}:${e.seq}`)).toEqual(['retry-wait:1']);
    await emitter.commit(() => ({ step: 1, turn: 1, changes: [], checkpoint: initialCheckpoint() }));
    expect((await store.listEvents(run.id)).map((e) => `${e.type}:${e.seq}`)).toEqual(['retry-wait:1', 'control-message:2']);
  });

  it('a listener that throws does not stop the others', async () => {
    const { emitter, seen } = await setup();
    emitter.subscribe(() => {
      throw new Error('UI bug');
    });
    const after: RunEvent[] = [];
    emitter.subscribe((e) => after.push(e));
    emitter.transient({ type: 'sandbox-output', text: 'x' });
    expect(seen).toHaveLength(1);
    expect(after).toHaveLength(1);
  });
});
