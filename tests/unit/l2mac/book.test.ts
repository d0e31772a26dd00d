import { describe, expect, it } from 'vitest';
import { outlineLinks } from '../../../src/l2mac/book-checks.ts';
import { generateBook } from '../../../src/api.ts';
import { ScriptedLlm } from '../../../src/llm/scripted.ts';
import { loadScenario, requestAt, startRun } from './harness.ts';

describe('the book domain (DESIGN.md §5)', () => {
  it('runs the book scenario: the outline first, a missing chapter named by the gate, every chapter written', async () => {
    const scenario = loadScenario('book-short');
    const { handle, store, llm } = await startRun(scenario);
    const run = await handle.done;
    expect(run.status, run.statusReason).toBe('completed');
    expect(await store.readAllFiles(run.id)).toEqual(scenario.expectedFiles);
    const first = requestAt(llm, 'step', 1, 0);
    expect(first.tools?.map((t) => t.function.name)).toEqual(['list_files', 'view_files', 'search_files', 'write_files', 'edit_file', 'delete_files', 'sub_task_step_complete']);
    expect(first.messages[0]?.content).toContain('outline.md');
    const written = JSON.parse(requestAt(llm, 'step', 2, 1).messages[3]?.content ?? '');
    expect(written).toEqual({ status: 'ok', message: 'Wrote chapters/01-fresh-dough.md.' });
    expect(requestAt(llm, 'step', 2, 1).messages.at(-1)?.content).toMatch(/^Step 2: sub_task_step_complete did not pass\. .*chapters\/02-simple-sauces\.md does not exist/);
    expect(run.report?.check).toBeNull();
    expect(run.report?.assessment).toContain('The book is complete.');
  });

  it('generateBook returns the book\'s files', async () => {
    const scenario = loadScenario('book-short');
    const files = await generateBook(scenario.task, { llm: new ScriptedLlm(scenario), limits: { maxSteps: 2 } });
    expect(files).toEqual(scenario.expectedFiles);
  });

  it('reads the outline\'s links: relative files only, without anchors, decoded', () => {
    const outline = '[One](chapters/01-a.md) [Two](./chapters/02-b%20c.md#start) [Web](https://x.org) [Top](#top) [One again](chapters/01-a.md)';
    expect(outlineLinks(outline)).toEqual(['chapters/01-a.md', 'chapters/02-b c.md']);
  });
});
