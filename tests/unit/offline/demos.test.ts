/**
 * The offline demos must run to `completed` through the real control unit: a demo that desyncs is a broken
 * product. The codebase demo runs its generated tests with real Node (the Node sandbox), and its step 2's
 * first write really fails them; the book demo goes through the book gate and `generateBook`.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generateBook, generateCodebase } from '../../../src/api.ts';
import { runL2MAC } from '../../../src/l2mac/run.ts';
import type { CheckEvent, RunEvent, ToolResultEvent } from '../../../src/l2mac/events.ts';
import { outlineLinks } from '../../../src/l2mac/book-checks.ts';
import { parseScenario, type Scenario } from '../../../src/llm/scenario.ts';
import { ScriptedLlm } from '../../../src/llm/scripted.ts';
import { MemoryStore } from '../../../src/store/memory.ts';
import { createDemoLlm, DEMOS, demoLlmForRun, demoOfRun, demoRunInput, demoRunSettings, demoUrl, isScriptedRun, loadDemo, SCRIPTED_DEMO_LABEL, DemoLoadError } from '../../../src/ui/demos/demo-catalog.ts';
import { createMockServer } from '../../support/mock-server.ts';
import { createNodeSandbox } from '../../support/node-sandbox.ts';

function demoFile(file: string): Scenario {
  const path = fileURLToPath(new URL(`../../../public/demos/${file}`, import.meta.url));
  return parseScenario(JSON.parse(readFileSync(path, 'utf8')));
}

const roman = demoFile('roman-numerals.json');
const book = demoFile('stargazing-book.json');

describe('the demo catalog', () => {
  it('lists files that exist, parse as scenarios of the stated domain, and say they are scripted', () => {
    expect(DEMOS.map((d) => d.domain).sort()).toEqual(['book', 'codebase']);
    for (const demo of DEMOS) {
      const scenario = demoFile(demo.file);
      expect(scenario.name).toBe(demo.id);
      expect(scenario.domain).toBe(demo.domain);
      expect(scenario.description).toMatch(/scripted demo, not a model/i);
      expect(scenario.expectedFiles).toBeDefined();
    }
  });

  it('serves demos under the base path, and turns load failures into clear messages', async () => {
    const demo = DEMOS[0]!;
    expect(demoUrl(demo, '/l2mac-web/')).toBe(`/l2mac-web/demos/${demo.file}`);
    expect(demoUrl(demo, '/sub')).toBe(`/sub/demos/${demo.file}`);

    const served = await loadDemo(demo, { baseUrl: '/', fetch: async () => new Response(JSON.stringify(demoFile(demo.file))) });
    expect(served.name).toBe(demoFile(demo.file).name);
    await expect(loadDemo(demo, { fetch: async () => Promise.reject(new TypeError('Failed to fetch')) })).rejects.toThrow(/network is off/);
    await expect(loadDemo(demo, { fetch: async () => new Response('nope', { status: 404 }) })).rejects.toThrow(/HTTP 404/);
    await expect(loadDemo(demo, { fetch: async () => new Response('{"format":"other"}') })).rejects.toBeInstanceOf(DemoLoadError);
    const wrongDomain = { ...demoFile(demo.file), domain: demo.domain === 'book' ? 'codebase' : 'book' };
    await expect(loadDemo(demo, { fetch: async () => new Response(JSON.stringify(wrongDomain)) })).rejects.toThrow(/not a/);
  });

  it('a demo run names its demo in its settings, so a resumed run gets its script back', async () => {
    const settings = demoRunSettings(book, 'auto');
    expect(settings.llm).toEqual({ provider: 'scripted', baseURL: '', model: 'demo:stargazing-book' });
    const llm = await demoLlmForRun(settings, { baseUrl: '/', fetch: async (url) => new Response(readFileSync(fileURLToPath(new URL(`../../../public${url}`, import.meta.url)), 'utf8')) });
    expect(llm.scenario.name).toBe(book.name);
    expect(demoOfRun({ llm: { provider: 'openai', baseURL: 'https://api.openai.com/v1', model: 'demo:stargazing-book' } })).toBeUndefined();
    await expect(demoLlmForRun({ llm: { provider: 'scripted', baseURL: '', model: 'demo:gone' } })).rejects.toThrow(/names no known demo/);
  });

  it('a demo run asks for the worker sandbox offline, carries the scripted label, and the LLM pauses between replies', () => {
    expect(demoRunInput(roman, false)).toMatchObject({ sandbox: 'worker', domain: 'codebase', maxSteps: 3, requirePassingTests: true, label: SCRIPTED_DEMO_LABEL });
    expect(demoRunInput(roman, true).sandbox).toBe('auto');
    const llm = createDemoLlm(roman);
    expect(llm.model.id).toBe('scripted');
    expect(llm.model.source).toMatch(/not a model/);
  });
});

describe('the codebase demo, with real Node running the generated tests', () => {
  it('runs to completed: step 2 first fails its tests, the failure reaches the agent, the fix passes', async () => {
    // Started the way the app starts a demo: the demo's run settings, the scripted LLM, a store, a sandbox.
    const events: RunEvent[] = [];
    const llm = new ScriptedLlm(roman);
    const store = new MemoryStore();
    const handle = await runL2MAC({
      task: roman.task,
      domain: roman.domain,
      settings: demoRunSettings(roman, 'worker'),
      store,
      llm,
      sandboxFactory: createNodeSandbox,
      onEvent: (event) => events.push(event),
    });
    const run = await handle.done;
    expect(run.status, run.statusReason).toBe('completed');
    expect(isScriptedRun(run.settings)).toBe(true);
    expect(demoOfRun(run.settings)).toBe(DEMOS[0]);
    expect(await store.readAllFiles(run.id)).toEqual(roman.expectedFiles);
    // Every scripted reply was used: nothing of the demo is dead weight or skipped.
    expect(llm.requests).toHaveLength(roman.turns.length);

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
    const failed = checks[2]!.result;
    expect(failed.failures.map((f) => f.name).sort()).toEqual(['ignores case and surrounding spaces', 'reads subtractive pairs', 'rejects text that is not a canonical numeral']);
    const verify = checks.at(-1)!.result;
    expect(verify).toMatchObject({ passed: 8, failed: 0, ok: true });
  });
});

describe('the book demo, through generateBook and the book gate', () => {
  it('runs to completed with outline.md linking every chapter, each written and not empty', async () => {
    const events: RunEvent[] = [];
    const llm = new ScriptedLlm(book);
    const files = await generateBook(book.task, { llm, limits: { maxSteps: 3 }, onEvent: (event) => events.push(event) });
    expect(files).toEqual(book.expectedFiles);
    expect(llm.requests).toHaveLength(book.turns.length);
    const links = outlineLinks(files['outline.md']!);
    expect(links).toEqual(['chapters/01-getting-started.md', 'chapters/02-finding-your-way.md', 'chapters/03-a-year-of-sights.md']);
    for (const link of links) expect(files[link]?.trim()).not.toBe('');
    // The book domain offers no test or run tools, and runs no checks after writes.
    const stepTools = llm.requests.filter((r) => r.meta.kind === 'step').flatMap((r) => r.tools?.map((t) => t.function.name) ?? []);
    expect(stepTools).not.toContain('run_tests');
    expect(stepTools).not.toContain('run_file');
    expect(events.filter((e) => e.type === 'check' && e.trigger === 'write')).toEqual([]);
  });

  it('the book gate refuses the last step while a linked chapter is missing', async () => {
    // The same demo with its last chapter never written: the final gate must fail, so the scripted run
    // (which has no reply for the "fix it" message) cannot complete.
    const missing: Scenario = {
      ...book,
      turns: book.turns.map((t) =>
        t.key.kind === 'step' && t.key.step === 3 && t.key.turn === 0 ? { ...t, reply: { content: 'Done, I think.' } } : t,
      ),
    };
    const events: RunEvent[] = [];
    const error = await generateBook(missing.task, { llm: new ScriptedLlm(missing), limits: { maxSteps: 3 }, onEvent: (e) => events.push(e) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    const gates = events.filter((e): e is ToolResultEvent => e.type === 'tool-result' && e.name === 'sub_task_step_complete');
    expect(gates.map((g) => `${g.step}:${g.status}`)).toEqual(['1:ok', '2:ok', '3:error']);
    expect(gates.at(-1)?.content).toContain('chapters/03-a-year-of-sights.md does not exist');
  });
});

describe('the demos over the wire', () => {
  // The mock OpenAI-compatible server keys each request from its content alone (the prompts' marker
  // phrases), so this proves both domains' prompts carry them and the demo files are one scenario format.
  it.each([
    ['codebase', roman],
    ['book', book],
  ] as const)('the %s demo completes against an OpenAI-compatible endpoint playing the same file', async (domain, scenario) => {
    const server = await createMockServer({ scenario });
    try {
      const options = { baseURL: server.url, apiKey: 'sk-demo-not-real', model: 'mock-model', modelInfo: { contextWindow: 128_000 }, limits: { maxSteps: 3 }, retry: { maxRetries: 0 } };
      const files = domain === 'book' ? await generateBook(scenario.task, options) : await generateCodebase(scenario.task, { ...options, sandboxFactory: createNodeSandbox });
      expect(files).toEqual(scenario.expectedFiles);
      expect(server.chatRequests).toHaveLength(scenario.turns.length);
    } finally {
      await server.close();
    }
  });
});
