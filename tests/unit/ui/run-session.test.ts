import { describe, expect, it } from 'vitest';
import type { AppServices } from '../../../src/app/types.ts';
import type { RunEvent, RunEventListener } from '../../../src/l2mac/events.ts';
import { DEFAULT_LIMITS } from '../../../src/l2mac/run-state.ts';
import type { RunRecord } from '../../../src/store/types.ts';
import { RunSession } from '../../../src/ui/state/run-session.svelte.ts';

const record: RunRecord = {
  id: 'r1', title: 't', task: 't', domain: 'codebase', status: 'running',
  settings: { llm: { provider: 'custom', baseURL: 'http://x', model: 'm' }, model: {} as RunRecord['settings']['model'], limits: DEFAULT_LIMITS, requirePassingTests: true, sandbox: 'worker', planFirst: false },
  plan: [{ instruction: 'a', state: 'running' }],
  usage: { inputTokens: 0, cachedInputTokens: 0, outputTokens: 0, costUsd: 0, calls: 0 },
  lastSeq: 0, createdAt: 0, updatedAt: 0, activeMs: 0,
};

/** A driven run whose live events the test emits, and a scheduler whose frames the test runs. */
async function drivenSession() {
  let listener: RunEventListener | null = null;
  const services = {
    store: {
      getRun: async () => record,
      listEvents: async () => [],
      listFiles: async () => [],
    },
    driver: {
      isDriving: () => true,
      subscribe: (_runId: string, next: RunEventListener) => {
        listener = next;
        return () => (listener = null);
      },
    },
  } as unknown as AppServices;
  const frames: (() => void)[] = [];
  const session = (await RunSession.open(services, 'r1', (flush) => frames.push(flush)))!;
  // The session catches up with the store before it applies live events.
  await new Promise((resolve) => setTimeout(resolve, 0));
  frames.splice(0).forEach((flush) => flush());
  let seq = 1;
  const emit = (draft: Record<string, unknown>) => listener!({ ...draft, runId: 'r1', seq: seq++, at: 1000 } as unknown as RunEvent);
  return { session, frames, emit };
}

describe('RunSession', () => {
  it('publishes streamed text once per animation frame, however many deltas arrived', async () => {
    const { session, frames, emit } = await drivenSession();
    const before = session.view;
    for (let i = 0; i < 200; i++) emit({ type: 'text-delta', kind: 'step', step: 1, turn: 0, text: `${i % 10}` });
    expect(frames).toHaveLength(1);
    expect(session.view).toBe(before);

    frames.shift()!();
    const live = session.view.transcript.find((entry) => entry.kind === 'message');
    expect(live).toMatchObject({ streaming: true });
    expect(live && 'text' in live ? live.text.length : 0).toBe(200);

    emit({ type: 'text-delta', kind: 'step', step: 1, turn: 0, text: '!' });
    expect(frames).toHaveLength(1);
    session.dispose();
  });
});
