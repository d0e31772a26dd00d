import { describe, expect, it } from 'vitest';
import { BATCH_BYTES, BATCH_MS, createOutputBatcher } from '../../../src/sandbox/worker-runtime/output-batch.ts';
import type { WorkerMessage } from '../../../src/sandbox/worker-runtime/protocol.ts';

function setup() {
  const sent: WorkerMessage[] = [];
  const timers = new Map<number, () => void>();
  let nextId = 1;
  let clock = 0;
  const batcher = createOutputBatcher(
    (message) => sent.push(message),
    {
      setTimeout: (callback, _ms) => {
        timers.set(nextId, callback);
        return nextId++;
      },
      clearTimeout: (id) => void timers.delete(id),
    },
    () => clock,
  );
  const fire = () => {
    const pending = [...timers.values()];
    timers.clear();
    for (const callback of pending) callback();
  };
  return { sent, batcher, fire, advance: (ms: number) => (clock += ms), timers };
}

describe('worker output batching', () => {
  it('100,000 lines written at once leave in a few messages, all text kept in order', () => {
    const { sent, batcher } = setup();
    const line = 'x'.repeat(99) + '\n';
    for (let i = 0; i < 100_000; i++) batcher.write('stdout', line);
    batcher.flush();
    expect(sent.length).toBeLessThanOrEqual(Math.ceil((100_000 * 100) / BATCH_BYTES) + 1);
    const text = sent.map((m) => (m.type === 'output' ? m.text : '')).join('');
    expect(text).toBe(line.repeat(100_000));
  });

  it('held output goes before any other message, so events keep their order', () => {
    const { sent, batcher } = setup();
    batcher.write('stdout', 'before\n');
    batcher.post({ type: 'done', exitCode: 0 });
    expect(sent).toEqual([
      { type: 'output', stream: 'stdout', text: 'before\n' },
      { type: 'done', exitCode: 0 },
    ]);
  });

  it('a change of stream sends what the other stream held', () => {
    const { sent, batcher } = setup();
    batcher.write('stdout', 'a');
    batcher.write('stderr', 'b');
    batcher.write('stdout', 'c');
    batcher.flush();
    expect(sent.map((m) => (m.type === 'output' ? `${m.stream}:${m.text}` : m.type))).toEqual(['stdout:a', 'stderr:b', 'stdout:c']);
  });

  it('a little output is sent by the timer, or at once when the last send is older than the batch time', () => {
    const { sent, batcher, fire, advance } = setup();
    batcher.write('stdout', 'one');
    expect(sent).toHaveLength(0);
    fire();
    expect(sent).toHaveLength(1);
    advance(BATCH_MS + 1);
    batcher.write('stdout', 'two');
    expect(sent).toHaveLength(2);
  });
});
