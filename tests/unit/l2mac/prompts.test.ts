import { describe, expect, it } from 'vitest';
import { bookPrompts } from '../../../src/l2mac/prompts/book.ts';
import { codebasePrompts } from '../../../src/l2mac/prompts/codebase.ts';
import {
  PROGRESS_REQUEST_MARKER,
  REPORT_REQUEST_MARKER,
  RESTART_HEADER_PATTERN,
  STEP_HEADER_PATTERN,
  SUMMARY_REQUEST_MARKER,
} from '../../../src/l2mac/prompts/markers.ts';
import { continueMessage, planExploreContinue, planRetry, progressRequest, summaryRequest } from '../../../src/l2mac/prompts/shared.ts';
import type { PromptSet } from '../../../src/l2mac/prompts/types.ts';
import type { SandboxKind } from '../../../src/sandbox/types.ts';

/** A rendered prompt has no unfilled placeholder, no stringified nothing, and real newlines. */
function expectFilled(text: string): void {
  expect(text).not.toMatch(/\$\{|\{\{|\}\}|undefined|\[object Object\]|\bnull\b|NaN/);
  expect(text).not.toContain('\\n');
  expect(text.trim()).toBe(text);
  expect(text.length).toBeGreaterThan(40);
}

const task = 'Build a URL shortener with {curly} braces, $dollars and "quotes".\nSecond line.';
const instruction = 'Create src/store.js with an in-memory Map.';
const summary = 'Step 1 wrote src/app.js with createApp().';

describe.each([
  ['codebase', codebasePrompts],
  ['book', bookPrompts],
] as [string, PromptSet][])('%s prompts', (_name, prompts) => {
  it('system prompt renders', () => {
    for (const sandbox of ['node', 'webcontainer', 'worker', null] as (SandboxKind | null)[]) expectFilled(prompts.system({ sandbox }));
  });

  it('planning message holds the task verbatim, the step cap, and the existing-code note when there are files', () => {
    const fresh = prompts.planning({ task, maxSteps: 7, existingFiles: null, exploreTurns: 5 });
    expectFilled(fresh);
    expect(fresh).toContain(task);
    expect(fresh).toContain('At most 7 steps');
    expect(fresh).not.toMatch(STEP_HEADER_PATTERN);
    const existing = prompts.planning({ task, maxSteps: 7, existingFiles: 'src/a.js (3 lines)', exploreTurns: 5 });
    expectFilled(existing);
    expect(existing).toContain('src/a.js (3 lines)');
    expect(existing).toMatch(/up to 5 replies/);
  });

  it('step message starts with the step header and holds task, instruction and previous summary verbatim', () => {
    const text = prompts.stepStart({
      step: 2,
      totalSteps: 5,
      restart: 0,
      task,
      instruction,
      previousSummary: summary,
      progressSummary: null,
      fileListing: 'src/app.js (10 lines)',
      toolNames: ['write_files', 'sub_task_step_complete'],
      existingCode: false,
    });
    expectFilled(text);
    expect(text.startsWith('Step 2 of 5.')).toBe(true);
    expect(STEP_HEADER_PATTERN.exec(text)?.slice(1)).toEqual(['2', '5']);
    expect(text).not.toMatch(RESTART_HEADER_PATTERN);
    for (const part of [task, instruction, summary, 'src/app.js (10 lines)', 'write_files, sub_task_step_complete']) expect(text).toContain(part);
    expect(text).not.toContain('At most');
  });

  it('a restarted step message carries the restart header and the progress summary', () => {
    const text = prompts.stepStart({
      step: 3,
      totalSteps: 3,
      restart: 2,
      task,
      instruction,
      previousSummary: '',
      progressSummary: 'Half of the routes exist.',
      fileListing: '(no files yet)',
      toolNames: ['write_files'],
      existingCode: true,
    });
    expectFilled(text);
    expect(RESTART_HEADER_PATTERN.exec(text)?.[1]).toBe('2');
    expect(text).toContain('Half of the routes exist.');
    expect(text).toContain('first step');
  });

  it('fix and report messages render', () => {
    expectFilled(prompts.fix({ step: 2, gateMessage: 'The step is not complete: 1 test failed.', note: 'Use tabs.' }));
    expect(prompts.fix({ step: 2, gateMessage: 'X', note: 'Use tabs.' })).toContain('Use tabs.');
    const report = prompts.report({ task, fileListing: 'a.js (1 line)', stepSummaries: 'Step 1 (completed): did it', checks: 'Tests: 3 passed.' });
    expectFilled(report);
    expect(report.startsWith(REPORT_REQUEST_MARKER)).toBe(true);
    expect(report).toContain(task);
  });
});

describe('codebase system prompt', () => {
  it('names the active sandbox and asks the worker for pure ES modules', () => {
    expect(codebasePrompts.system({ sandbox: 'webcontainer' })).toContain('WebContainer');
    expect(codebasePrompts.system({ sandbox: 'node' })).toContain('Node sandbox');
    const worker = codebasePrompts.system({ sandbox: 'worker' });
    expect(worker).toContain('worker sandbox');
    expect(worker).toMatch(/pure ES modules: no `fs`.*no network, no child processes and no npm packages/);
    expect(worker).toContain('node:test');
  });

  it('asks for Node ES modules, node:test tests and erasable TypeScript with .ts imports', () => {
    const text = codebasePrompts.system({ sandbox: 'node' });
    expect(text).toContain('ES modules');
    expect(text).toContain("from 'node:test'");
    expect(text).toContain('node:assert');
    expect(text).toMatch(/erasable/);
    expect(text).toContain('"./cart.ts"');
  });

  it('says an existing codebase must keep its tests passing', () => {
    expect(codebasePrompts.planning({ task, maxSteps: 3, existingFiles: 'a.js (1 line)', exploreTurns: 5 })).toMatch(/existing codebase.*existing tests must keep passing/s);
  });
});

describe('shared control messages', () => {
  it('carry the marker phrases the mock server keys on', () => {
    expect(summaryRequest(2).startsWith(SUMMARY_REQUEST_MARKER)).toBe(true);
    expect(progressRequest(2).startsWith(PROGRESS_REQUEST_MARKER)).toBe(true);
    expectFilled(summaryRequest(2));
    expectFilled(progressRequest(2));
  });

  it('continue message: done?, failed checks, nudge and note', () => {
    const plain = continueMessage({ step: 4, checksFailed: false, note: null, nudge: false });
    expectFilled(plain);
    expect(plain).toContain('Is step 4 complete?');
    expect(plain).not.toContain('failed');
    const full = continueMessage({ step: 4, checksFailed: true, note: 'Prefer Map over objects.', nudge: true });
    expect(full).toContain('The checks after your last change failed');
    expect(full).toContain('same reply several times');
    expect(full).toContain('Prefer Map over objects.');
    for (const text of [plain, full]) {
      expect(text).not.toContain(SUMMARY_REQUEST_MARKER);
      expect(text).not.toContain(PROGRESS_REQUEST_MARKER);
    }
  });

  it('plan retry and exploration messages render', () => {
    expectFilled(planRetry('the plan has 12 steps', 10));
    expect(planRetry('the plan has 12 steps', 10)).toContain('between 1 and 10 steps');
    expectFilled(planExploreContinue(3));
    expectFilled(planExploreContinue(0));
  });
});
