/**
 * The fixed contracts of DESIGN.md §4 pinned against the design's own words, not against the code's lists:
 * the run states that `[data-testid="run-status"]` shows, and which events are durable (stored in
 * commitTurn) or transient (never stored).
 */
import { describe, expect, it } from 'vitest';
import { RUN_STATUSES, TERMINAL_STATUSES, isResumable, isTerminal } from '../../../src/l2mac/run-state.ts';
import { isDurable, type RunEvent, type RunEventType } from '../../../src/l2mac/events.ts';

/** Every event type, as DESIGN §4 lists it (plus `files-changed`, durable: the tree's per-step marks). */
const KIND_OF = {
  status: 'durable',
  plan: 'durable',
  'step-started': 'durable',
  'llm-reply': 'durable',
  'tool-call': 'durable',
  'tool-result': 'durable',
  check: 'durable',
  'control-message': 'durable',
  'retry-wait': 'durable',
  guard: 'durable',
  restart: 'durable',
  'step-completed': 'durable',
  'files-changed': 'durable',
  report: 'durable',
  'text-delta': 'transient',
  'sandbox-output': 'transient',
  'sandbox-status': 'transient',
} as const satisfies Record<RunEventType, 'durable' | 'transient'>;

describe('run states (DESIGN §4, fixed)', () => {
  it('are exactly the seven states of the design', () => {
    expect([...RUN_STATUSES].sort()).toEqual(['cancelled', 'completed', 'failed', 'interrupted', 'paused', 'planning', 'running']);
  });

  it('completed, failed and cancelled are terminal; paused and interrupted can be resumed', () => {
    expect([...TERMINAL_STATUSES].sort()).toEqual(['cancelled', 'completed', 'failed']);
    for (const status of RUN_STATUSES) expect(isTerminal(status)).toBe(['cancelled', 'completed', 'failed'].includes(status));
    expect(isResumable('paused')).toBe(true);
    expect(isResumable('interrupted')).toBe(true);
    expect(isResumable('completed')).toBe(false);
    expect(isResumable('cancelled')).toBe(false);
  });
});

describe('events (DESIGN §4)', () => {
  it.each(Object.entries(KIND_OF))('%s is %s', (type, kind) => {
    const event = { type, runId: 'r', seq: 1, at: 0 } as unknown as RunEvent;
    expect(isDurable(event)).toBe(kind === 'durable');
  });
});
