import { describe, expect, it } from 'vitest';
import type { LlmReplyEvent, ReportEvent } from '../../../src/l2mac/events.ts';
import { ScriptedLlm } from '../../../src/llm/scripted.ts';
import { createNodeSandbox } from '../../support/node-sandbox.ts';
import { ADD_JS, ADD_TEST_JS, makeScenario, oneStepTurns, requestAt, settings, startRun } from './harness.ts';

describe('final verification and the report (DESIGN.md §4)', () => {
  it('checks the whole codebase, asks for the model\'s assessment, and reports steps, files, tests, tokens and cost', async () => {
    const scenario = makeScenario(oneStepTurns());
    const prices = { input: 2, cachedInput: 0.5, output: 8 };
    const llm = new ScriptedLlm(scenario, { model: { prices } });
    const { handle, events, store } = await startRun(scenario, { llm, sandboxFactory: createNodeSandbox, settings: settings({ promptProgram: ['Write add.js with tests.'] }) });
    const run = await handle.done;
    expect(run.status).toBe('completed');
    const report = run.report;
    expect(report).toBeDefined();
    expect(report?.steps).toEqual([{ step: 1, instruction: 'Write add.js with tests.', state: 'completed', summary: 'Step 1 wrote add.js.', filesWritten: ['add.js', 'add.test.js'] }]);
    expect(report?.check).toMatchObject({ passed: 1, failed: 0, syntaxErrors: [], ok: true, noTests: false });
    expect(report?.assessment).toBe('- add: done');
    expect(report?.files).toBe(2);
    expect(report?.lines).toBe(ADD_JS.split('\n').length - 1 + ADD_TEST_JS.split('\n').length - 1);
    expect(report?.elapsedMs).toBeGreaterThan(0);
    // The test clock ticks 1 ms per reading: active time is the drive's span, counted once.
    const stored = await store.listEvents(run.id);
    expect(report?.elapsedMs).toBeLessThan((stored.at(-1)?.at ?? 0) - (stored[0]?.at ?? 0) + 50);
    expect(run.activeMs).toBe(report?.elapsedMs);

    const replies = events.filter((e): e is LlmReplyEvent => e.type === 'llm-reply');
    expect(report?.usage.calls).toBe(replies.length);
    expect(report?.usage.inputTokens).toBe(replies.reduce((n, r) => n + r.usage.inputTokens, 0));
    const cost = replies.reduce((n, r) => n + r.usage.inputTokens * 2 + r.usage.outputTokens * 8, 0) / 1e6;
    expect(report?.usage.costUsd).toBeCloseTo(cost, 10);
    expect(run.usage).toEqual(report?.usage);
    expect(events.filter((e) => e.type === 'report')).toHaveLength(1);
    expect((events.find((e) => e.type === 'report') as ReportEvent).report).toEqual(report);

    const assessment = requestAt(llm, 'report', 0, 0);
    expect(assessment.tools).toBeUndefined();
    expect(assessment.messages[1]?.content).toContain(scenario.task);
    expect(assessment.messages[1]?.content).toContain('Step 1 (completed): Step 1 wrote add.js.');
    expect(assessment.messages[1]?.content).toContain('Tests: 1 passed, 0 failed');
    expect(events.filter((e) => e.type === 'check').map((e) => e.type === 'check' && e.trigger).at(-1)).toBe('verify');
  });
});
