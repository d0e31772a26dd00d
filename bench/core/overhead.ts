/**
 * Figure 1: the control unit's own time per LLM turn, store commit included, with a zero-latency scripted
 * LLM and an instant sandbox. The project starts with `files` files; one step of `turns` turns each rewrites
 * one module (whole-file `write_files`, as most turns do: in-app syntax check of the file, the instant
 * test run, the control message, the commit), then calls the gate.
 */
import type { FileStore } from '../../src/store/types.ts';
import { defaultClock, timeCommits, turnGaps, type Clock, type CommitTiming } from './instruments.ts';
import { asRecord, generatedProject, moduleSource, type ProjectFile } from './project.ts';
import { InstantSandbox } from './sandboxes.ts';
import { call, driveScripted, scenarioOf, turnAt } from './scripted-run.ts';
import { acrossRuns, median } from './stats.ts';

/** Store sizes and turns per step of figure 1. */
export const OVERHEAD_SIZES = [10, 100, 1000];
export const OVERHEAD_TURNS = 40;

export interface OverheadInput {
  files: number;
  turns: number;
  store: FileStore;
  clock?: Clock;
  /** Lines per generated file (default 40). */
  lines?: number;
}

export interface OverheadResult {
  files: number;
  turns: number;
  /** Time of each write turn, in order (turn 1 first). */
  turnMs: number[];
  /** The gate turn (syntax of every file, the suite), once per step. */
  gateMs: number;
  /** Each `commitTurn` of the write turns. */
  commitMs: number[];
}

/** Module files only (tests are not rewritten), so each turn changes one module. */
function modules(project: readonly ProjectFile[]): ProjectFile[] {
  return project.filter((f) => !f.path.endsWith('.test.js'));
}

export function overheadScenario(project: readonly ProjectFile[], turns: number, lines: number) {
  const targets = modules(project);
  const steps = [];
  for (let t = 0; t < turns; t++) {
    const target = targets[(t * 7) % targets.length] as ProjectFile;
    const index = Number(/m(\d+)\.js$/.exec(target.path)?.[1] ?? t);
    steps.push(turnAt('step', 1, t, { toolCalls: [call.write({ [target.path]: moduleSource(index, lines, t + 1) })] }));
  }
  steps.push(turnAt('step', 1, turns, { toolCalls: [call.gate()] }));
  steps.push(turnAt('summary', 1, turns + 1, { content: 'The modules were rewritten.' }));
  steps.push(turnAt('report', 0, 0, { content: '- rewrite the modules: done' }));
  return scenarioOf('overhead', 'Rewrite the modules of this project one by one.', steps);
}

export async function measureTurnOverhead(input: OverheadInput): Promise<OverheadResult> {
  const lines = input.lines ?? 40;
  const clock = input.clock ?? defaultClock;
  const project = generatedProject(input.files, lines);
  const { store, commits } = timeCommits(input.store, clock);
  const { llm } = await driveScripted({
    scenario: overheadScenario(project, input.turns, lines),
    store,
    sandbox: new InstantSandbox(),
    files: asRecord(project),
    promptProgram: ['Rewrite the modules of this project one by one, then call sub_task_step_complete.'],
    limits: { turnsPerStep: input.turns + 10 },
    clock,
  });
  const gaps = turnGaps(llm.timings).filter((g) => g.step === 1);
  const writeTurns = gaps.filter((g) => g.next === 'step');
  const gate = gaps.find((g) => g.next === 'summary');
  return {
    files: input.files,
    turns: input.turns,
    turnMs: writeTurns.map((g) => g.ms),
    gateMs: gate?.ms ?? Number.NaN,
    commitMs: writeCommits(commits, input.turns),
  };
}

/** The commits of the write turns: those that carry one file change. */
function writeCommits(commits: readonly CommitTiming[], turns: number): number[] {
  return commits.filter((c) => c.changes === 1).slice(0, turns).map((c) => c.ms);
}

/** Turn-time growth within a step: the median of the last ten turns over the first ten. */
export function growth(turnMs: readonly number[], window = 10): { first: number; last: number } {
  const first = median(turnMs.slice(0, window));
  const last = median(turnMs.slice(-window));
  return { first, last };
}

/** Figure 1 for one store size from repeated runs: the median over runs of each run's statistics. */
export function overheadFigureOf(files: number, results: readonly OverheadResult[]) {
  const growths = results.map((r) => growth(r.turnMs));
  const first = median(growths.map((g) => g.first));
  const last = median(growths.map((g) => g.last));
  return {
    files,
    turns: results[0]?.turns ?? 0,
    /** Per write turn: median and p95 are the medians over runs of each run's median and p95. */
    turn: acrossRuns(results.map((r) => r.turnMs)),
    /** Median (over runs) of the median of turns 1–10 and of the last 10 turns, and their ratio. */
    growth: { first, last, ratio: last / first },
    gateMs: median(results.map((r) => r.gateMs)),
    commit: acrossRuns(results.map((r) => r.commitMs)),
  };
}
