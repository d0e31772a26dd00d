/**
 * Driving a scripted run for a benchmark: the real control unit (`runL2MAC`) with the scripted LLM, behind
 * the timing wrapper, on the given store and sandbox.
 */
import { runL2MAC } from '../../src/l2mac/run.ts';
import { DEFAULT_LIMITS, type Limits } from '../../src/l2mac/run-state.ts';
import { parseScenario, type Scenario, type ScenarioTurn } from '../../src/llm/scenario.ts';
import { SCRIPTED_MODEL, ScriptedLlm } from '../../src/llm/scripted.ts';
import type { CompletionRequest } from '../../src/llm/types.ts';
import type { Sandbox } from '../../src/sandbox/types.ts';
import type { FileStore, RunRecord, RunSettings } from '../../src/store/types.ts';
import { defaultClock, TimedLlm, type Clock } from './instruments.ts';

export function benchSettings(limits: Partial<Limits> = {}, promptProgram?: string[]): RunSettings {
  return {
    llm: { provider: 'scripted', baseURL: '', model: 'scripted' },
    model: { ...SCRIPTED_MODEL },
    limits: { ...DEFAULT_LIMITS, ...limits },
    requirePassingTests: true,
    sandbox: 'auto',
    planFirst: false,
    ...(promptProgram ? { promptProgram } : {}),
  };
}

export function turnAt(kind: ScenarioTurn['key']['kind'], step: number, turn: number, reply: ScenarioTurn['reply']): ScenarioTurn {
  return { key: { kind, step, turn }, reply };
}

export const call = {
  write: (files: Record<string, string>) => ({
    name: 'write_files',
    arguments: { list_of_file_objects: Object.entries(files).map(([file_path, file_contents]) => ({ file_path, file_contents })) },
  }),
  edit: (file_path: string, old_text: string, new_text: string) => ({ name: 'edit_file', arguments: { file_path, old_text, new_text } }),
  view: (files: string[]) => ({ name: 'view_files', arguments: { files } }),
  list: () => ({ name: 'list_files', arguments: {} }),
  gate: () => ({ name: 'sub_task_step_complete', arguments: {} }),
  plan: (steps: string[]) => ({ name: 'provide_detailed_sub_task_steps_for_sub_agents', arguments: { steps } }),
};

export function scenarioOf(name: string, task: string, turns: ScenarioTurn[]): Scenario {
  return parseScenario({ format: 'l2mac-scenario/1', name, title: name, domain: 'codebase', task, turns });
}

export interface ScriptedRunInput {
  scenario: Scenario;
  store: FileStore;
  sandbox: Sandbox;
  files?: Record<string, string>;
  promptProgram?: string[];
  limits?: Partial<Limits>;
  clock?: Clock;
  onRequest?: (request: CompletionRequest) => void;
}

export interface ScriptedRunResult {
  run: RunRecord;
  llm: TimedLlm;
  scripted: ScriptedLlm;
}

/** Runs the scenario to its end; a run that does not complete is an error (the benchmark would be wrong). */
export async function driveScripted(input: ScriptedRunInput): Promise<ScriptedRunResult> {
  const scripted = new ScriptedLlm(input.scenario, input.onRequest ? { onRequest: input.onRequest } : {});
  const llm = new TimedLlm(scripted, input.clock ?? defaultClock);
  const handle = await runL2MAC({
    task: input.scenario.task,
    domain: input.scenario.domain,
    settings: benchSettings(input.limits, input.promptProgram),
    store: input.store,
    llm,
    sandbox: input.sandbox,
    ...(input.files ? { files: input.files } : {}),
  });
  const run = await handle.done;
  if (run.status !== 'completed') {
    throw new Error(`The benchmark run ended ${run.status}: ${run.statusReason ?? '(no reason)'}`);
  }
  return { run, llm, scripted };
}
