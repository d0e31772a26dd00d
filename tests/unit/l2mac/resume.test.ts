import { describe, expect, it } from 'vitest';
import type { DurableEvent } from '../../../src/l2mac/events.ts';
import { resumeRun } from '../../../src/l2mac/run.ts';
import { ScriptedLlm } from '../../../src/llm/scripted.ts';
import type { CompletionRequest } from '../../../src/llm/types.ts';
import { MemoryStore } from '../../../src/store/memory.ts';
import { crashingStore, CrashError } from '../../support/fake-crash-store.ts';
import { faultyLlm } from '../../support/fake-llm.ts';
import { FakeSandbox } from '../../support/fake-sandbox.ts';
import { loadScenario, startRun, tickingClock } from './harness.ts';

const scenario = loadScenario('three-step-fix');
/** Tests fail while src/freq.js counts case-sensitively (the bug of step 2's first write). */
const textstatsSandbox = () =>
  new FakeSandbox((files) =>
    !files.has('src/freq.js') || files.get('src/freq.js')?.includes('toLowerCase')
      ? { passed: 3 }
      : { passed: 2, failed: 1, failures: [{ name: 'counts words case-insensitively', file: 'src/freq.test.js', message: 'Expected 2, got 1' }] },
  );

const keyOf = (r: CompletionRequest) => `${r.meta.kind}/${r.meta.step}/${r.meta.turn}@${r.meta.restart}`;

async function reference() {
  const crashing = crashingStore(new MemoryStore({ now: tickingClock() }));
  const { handle, llm } = await startRun(scenario, { store: crashing.store, sandbox: textstatsSandbox() });
  const run = await handle.done;
  return { run, commits: crashing.commits, requests: new Map(llm.requests.map((r) => [keyOf(r), r.messages])) };
}

/** Resumes a crashed run on the store that kept what was committed, and checks it ends as if never stopped. */
async function resumeAndCheck(inner: MemoryStore, ref: Awaited<ReturnType<typeof reference>>, label: string) {
  const [summary] = await inner.listRuns();
  const runId = summary?.id as string;
  expect(await inner.isLocked(runId), label).toBe(false);
  const before = await inner.listEvents(runId);
  const llm = new ScriptedLlm(scenario);
  const run = await (await resumeRun(runId, { store: inner, llm, sandbox: textstatsSandbox(), clock: tickingClock(2e12) })).done;
  expect(run.status, `${label}: ${run.statusReason}`).toBe('completed');
  expect(await inner.readAllFiles(runId), label).toEqual(scenario.expectedFiles);
  // The context rebuilt from the events equals the one an uninterrupted run had: same requests.
  for (const request of llm.requests) expect(request.messages, `${label}: ${keyOf(request)}`).toEqual(ref.requests.get(keyOf(request)));
  const events: DurableEvent[] = await inner.listEvents(runId);
  expect(events.slice(0, before.length), label).toEqual(before);
  expect(events.filter((e) => e.type === 'step-completed').map((e) => e.type === 'step-completed' && e.step), label).toEqual([1, 2, 3]);
  expect(events.filter((e) => e.type === 'report'), label).toHaveLength(1);
  return llm.requests.length;
}

describe('resume after a crash (DESIGN.md §6)', () => {
  it('a run stopped at any turn boundary resumes from its checkpoint and ends with the same files and requests', async () => {
    const ref = await reference();
    expect(ref.run.status).toBe('completed');
    expect(ref.commits).toBeGreaterThan(15);
    for (let k = 0; k < ref.commits; k++) {
      const inner = new MemoryStore({ now: tickingClock() });
      const crashing = crashingStore(inner, k);
      const { handle } = await startRun(scenario, { store: crashing.store, sandbox: textstatsSandbox() });
      await handle.done;
      expect(crashing.commits).toBe(k);
      await resumeAndCheck(inner, ref, `crash after ${k} commits`);
    }
  });

  it('a run stopped in the middle of any LLM call redoes only that turn', async () => {
    const ref = await reference();
    const calls = ref.requests.size;
    for (let j = 0; j < calls; j++) {
      const inner = new MemoryStore({ now: tickingClock() });
      const crashing = crashingStore(inner);
      const llm = faultyLlm(new ScriptedLlm(scenario), (_r, index) => {
        if (index !== j) return undefined;
        crashing.crashNow();
        return new CrashError('the tab was closed during the call');
      });
      const { handle } = await startRun(scenario, { store: crashing.store, llm, sandbox: textstatsSandbox() });
      await handle.done;
      const redone = await resumeAndCheck(inner, ref, `crash in call ${j}`);
      expect(redone, `crash in call ${j}`).toBe(calls - j);
    }
  });
});
