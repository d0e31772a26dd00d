/** Shared set-up of the control-unit tests: settings, scenario loading, a run driven to its end. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { RunEvent } from '../../../src/l2mac/events.ts';
import { runL2MAC, type DriveDeps, type NewRunOptions } from '../../../src/l2mac/run.ts';
import { DEFAULT_LIMITS, type Limits } from '../../../src/l2mac/run-state.ts';
import { parseScenario, type Scenario } from '../../../src/llm/scenario.ts';
import { SCRIPTED_MODEL, ScriptedLlm } from '../../../src/llm/scripted.ts';
import type { ModelInfo } from '../../../src/llm/types.ts';
import { MemoryStore } from '../../../src/store/memory.ts';
import type { RunSettings } from '../../../src/store/types.ts';

export function loadScenario(name: string): Scenario {
  const url = new URL(`../../support/scenarios/${name}.json`, import.meta.url);
  return parseScenario(JSON.parse(readFileSync(fileURLToPath(url), 'utf8')));
}

export function settings(over: { limits?: Partial<Limits>; model?: Partial<ModelInfo> } & Partial<Omit<RunSettings, 'limits' | 'model'>> = {}): RunSettings {
  const { limits, model, ...rest } = over;
  return {
    llm: { provider: 'scripted', baseURL: '', model: 'scripted' },
    model: { ...SCRIPTED_MODEL, ...model },
    limits: { ...DEFAULT_LIMITS, ...limits },
    requirePassingTests: true,
    sandbox: 'auto',
    planFirst: false,
    ...rest,
  };
}

/** A fixed clock so events and records are reproducible. */
export function tickingClock(start = 1_700_000_000_000): () => number {
  let now = start;
  return () => (now += 1);
}

export async function startRun(
  scenario: Scenario,
  deps: Partial<DriveDeps> & Partial<Omit<NewRunOptions, keyof DriveDeps>> = {},
) {
  const store = deps.store ?? new MemoryStore({ now: tickingClock() });
  // Tests that pass their own port (a fault wrapper) do not read its requests through this handle.
  const llm = (deps.llm ?? new ScriptedLlm(scenario)) as ScriptedLlm;
  const events: RunEvent[] = [];
  const handle = await runL2MAC({
    task: scenario.task,
    domain: scenario.domain,
    settings: settings({ limits: { maxSteps: scenario.settings?.maxSteps ?? 10 } }),
    clock: tickingClock(),
    ...deps,
    store,
    llm,
    onEvent: (event) => {
      events.push(event);
      deps.onEvent?.(event);
    },
  });
  return { handle, store, llm, events, runId: handle.runId };
}

type Turn = Scenario['turns'][number];

/** A scenario in code, for tests of one rule. */
export function makeScenario(turns: Turn[], over: Partial<Scenario> = {}): Scenario {
  return parseScenario({ format: 'l2mac-scenario/1', name: 'inline', title: 'Inline', domain: 'codebase', task: 'Write add(a, b) with tests.', turns, ...over });
}

export const call = {
  plan: (steps: unknown) => ({ name: 'provide_detailed_sub_task_steps_for_sub_agents', arguments: { steps } }),
  write: (files: Record<string, string>) => ({
    name: 'write_files',
    arguments: { list_of_file_objects: Object.entries(files).map(([file_path, file_contents]) => ({ file_path, file_contents })) },
  }),
  gate: () => ({ name: 'sub_task_step_complete', arguments: {} }),
  raw: (name: string, args: unknown) => ({ name, arguments: args }),
};

export function turn(kind: Turn['key']['kind'], step: number, n: number, reply: Turn['reply'], extra: Partial<Turn['key']> = {}): Turn {
  return { key: { kind, step, turn: n, ...extra }, reply };
}

export const ADD_JS = 'export function add(a, b) {\n  return a + b;\n}\n';
export const ADD_TEST_JS =
  "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { add } from './add.js';\n\ntest('adds', () => {\n  assert.equal(add(2, 3), 5);\n});\n";

/** One step that writes add.js with a passing test and completes, then the report. */
export function oneStepTurns(step = 1, total = 1): Turn[] {
  const turns: Turn[] = [
    turn('step', step, 0, { toolCalls: [call.write({ 'add.js': ADD_JS, 'add.test.js': ADD_TEST_JS })] }),
    turn('step', step, 1, { toolCalls: [call.gate()] }),
    turn('summary', step, 2, { content: `Step ${step} wrote add.js.` }),
  ];
  if (step === total) turns.push(turn('report', 0, 0, { content: '- add: done' }));
  return turns;
}

/** The request of the given kind/step/turn sent to the scripted LLM (the last one if several). */
export function requestAt(llm: ScriptedLlm, kind: string, step: number, n: number, restart = 0) {
  const found = llm.requests.filter((r) => r.meta.kind === kind && r.meta.step === step && r.meta.turn === n && r.meta.restart === restart).at(-1);
  if (!found) throw new Error(`No request ${kind}/${step}/${n}@${restart}; got ${llm.requests.map((r) => `${r.meta.kind}/${r.meta.step}/${r.meta.turn}@${r.meta.restart}`).join(', ')}`);
  return found;
}
