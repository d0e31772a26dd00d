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

export interface Driven {
  store: MemoryStore;
  llm: ScriptedLlm;
  events: RunEvent[];
  runId: string;
}

export async function startRun(
  scenario: Scenario,
  deps: Partial<DriveDeps> & Partial<Omit<NewRunOptions, keyof DriveDeps>> & { store?: MemoryStore; llm?: ScriptedLlm } = {},
) {
  const store = deps.store ?? new MemoryStore({ now: tickingClock() });
  const llm = deps.llm ?? new ScriptedLlm(scenario);
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
