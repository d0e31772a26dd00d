/**
 * The scenario issue 4 requires: a three-step task where the first write of step 2 has a failing test;
 * the failure reaches the model in the next request; the scripted LLM fixes it; every step completes; the
 * final files are exactly the expected ones — with real Node running the generated tests.
 */
import { describe, expect, it } from 'vitest';
import type { CheckEvent } from '../../../src/l2mac/events.ts';
import { toolMessageProblems } from '../../../src/l2mac/context.ts';
import { resumeRun } from '../../../src/l2mac/run.ts';
import { ScriptedLlm } from '../../../src/llm/scripted.ts';
import type { ToolMessage } from '../../../src/llm/types.ts';
import { MemoryStore } from '../../../src/store/memory.ts';
import { crashingStore } from '../../support/fake-crash-store.ts';
import { createNodeSandbox } from '../../support/node-sandbox.ts';
import { loadScenario, requestAt, startRun, tickingClock } from './harness.ts';

const scenario = loadScenario('three-step-fix');

describe('three steps, a failing test in step 2 fixed, real Node running the tests', () => {
  it('completes every step and ends with exactly the expected files', async () => {
    const { handle, store, llm, events } = await startRun(scenario, { sandboxFactory: createNodeSandbox });
    const run = await handle.done;
    expect(run.status, run.statusReason).toBe('completed');
    expect(run.plan?.map((s) => s.state)).toEqual(['completed', 'completed', 'completed']);
    expect(await store.readAllFiles(run.id)).toEqual(scenario.expectedFiles);

    // Step 2's first write: written, but real node --test reports the failing test.
    const afterWrite = requestAt(llm, 'step', 2, 1);
    const result = JSON.parse((afterWrite.messages.find((m): m is ToolMessage => m.role === 'tool') as ToolMessage).content);
    expect(result.status).toBe('ok');
    expect(result.message).toMatch(/Wrote src\/freq\.js, src\/freq\.test\.js\. Syntax: no errors\. Tests: 2 passed, 1 failed; failing: "counts words case-insensitively"\. The checks fail/);
    expect(result.checks.tests.failing[0]).toMatchObject({ name: 'counts words case-insensitively', file: expect.stringContaining('src/freq.test.js') });
    expect(result.checks.tests.failing[0].message).toMatch(/1 !== 2|Expected values to be strictly equal/);
    expect(result.checks.output).toContain('not ok');
    expect(afterWrite.messages.at(-1)?.content).toContain('The checks after your last change failed');

    const checks = events.filter((e): e is CheckEvent => e.type === 'check');
    expect(checks.map((c) => `${c.step}:${c.trigger}:${c.result.ok}`)).toEqual([
      '1:write:true',
      '1:gate:true',
      '2:write:false',
      '2:write:true',
      '2:gate:true',
      '3:write:true',
      '3:gate:true',
      '3:verify:true',
    ]);
    expect(run.report?.check).toMatchObject({ passed: 4, failed: 0, syntaxErrors: [], ok: true });
    expect(run.report?.steps.map((s) => s.filesWritten)).toEqual([
      ['src/words.js', 'src/words.test.js'],
      ['src/freq.js', 'src/freq.test.js'],
      ['README.md', 'src/index.js', 'src/index.test.js'],
    ]);
    for (const request of llm.requests) expect(toolMessageProblems(request.messages)).toEqual([]);
  });

  it('resumed after a crash in the middle of step 2, it ends with the same files', async () => {
    const inner = new MemoryStore({ now: tickingClock() });
    // The commits up to step 2's failing write: start, planning, plan, step 1 (4 commits), step 2's start and write.
    const crashing = crashingStore(inner, 9);
    const { handle } = await startRun(scenario, { store: crashing.store, sandboxFactory: createNodeSandbox });
    await handle.done;
    const runId = (await inner.listRuns())[0]?.id as string;
    expect((await inner.getCheckpoint(runId))?.stepIndex).toBe(1);
    // What the app does on load for a run no tab holds (DESIGN.md §6).
    await inner.updateRun(runId, { status: 'interrupted' });
    expect(Object.keys(await inner.readAllFiles(runId)).sort()).toEqual(['src/freq.js', 'src/freq.test.js', 'src/words.js', 'src/words.test.js']);
    const llm = new ScriptedLlm(scenario);
    const run = await (await resumeRun(runId, { store: inner, llm, sandboxFactory: createNodeSandbox })).done;
    expect(run.status, run.statusReason).toBe('completed');
    expect(await inner.readAllFiles(runId)).toEqual(scenario.expectedFiles);
    expect(llm.requests[0]?.meta).toMatchObject({ kind: 'step', step: 2, turn: 1 });
  });
});
