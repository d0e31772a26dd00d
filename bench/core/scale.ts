/**
 * Figure 7: a scripted run that writes 1,000 files and 100,000 lines through the real control unit: 20
 * steps of 5 turns, each turn writing 10 new 100-line files (9 modules and a test of the last one), then the gate and the hand-off summary of
 * each step, then the final verification. The sandbox answers at once, so the time is the control unit's,
 * the in-app syntax checks' and the store's. Memory is sampled at every LLM request.
 */
import type { Sandbox } from '../../src/sandbox/types.ts';
import type { FileStore } from '../../src/store/types.ts';
import { defaultClock, type Clock } from './instruments.ts';
import { moduleSource, padTo, projectPath, testSource } from './project.ts';
import { InstantSandbox } from './sandboxes.ts';
import { call, driveScripted, scenarioOf, turnAt } from './scripted-run.ts';

export interface ScaleShape {
  steps: number;
  turnsPerStep: number;
  filesPerTurn: number;
  linesPerFile: number;
}

export const SCALE_SHAPE: ScaleShape = { steps: 20, turnsPerStep: 5, filesPerTurn: 10, linesPerFile: 100 };

export function scaleScenario(shape: ScaleShape) {
  const turns = [];
  const program: string[] = [];
  let next = 0;
  for (let step = 1; step <= shape.steps; step++) {
    program.push(`Write modules ${next} to ${next + shape.turnsPerStep * shape.filesPerTurn - 1} of the library.`);
    for (let t = 0; t < shape.turnsPerStep; t++) {
      const files: Record<string, string> = {};
      // The last file of each turn tests the module before it (the gate needs passing tests).
      for (let f = 0; f < shape.filesPerTurn; f++, next++) {
        const isTest = f === shape.filesPerTurn - 1 && f > 0;
        files[projectPath(next, isTest ? 'test' : 'module')] = isTest
          ? padTo(testSource(next - 1, `./m${next - 1}.js`, Math.floor((shape.linesPerFile - 4) / 5)), shape.linesPerFile)
          : moduleSource(next, shape.linesPerFile);
      }
      turns.push(turnAt('step', step, t, { toolCalls: [call.write(files)] }));
    }
    turns.push(turnAt('step', step, shape.turnsPerStep, { toolCalls: [call.gate()] }));
    turns.push(turnAt('summary', step, shape.turnsPerStep + 1, { content: `Step ${step} wrote its modules.` }));
  }
  turns.push(turnAt('report', 0, 0, { content: '- write every module: done' }));
  return { scenario: scenarioOf('scale', 'Write a large library of generated modules.', turns), program };
}

export interface MemorySample {
  /** Bytes of JavaScript heap in use. */
  heapUsed: number;
  /** Resident set size (Node only). */
  rss?: number;
}

export interface ScaleResult {
  shape: ScaleShape;
  files: number;
  lines: number;
  totalMs: number;
  requests: number;
  peakHeapUsed: number;
  peakRss: number | null;
  heapBefore: number;
}

export async function measureScale(
  store: FileStore,
  sampleMemory: () => MemorySample,
  options: { shape?: ScaleShape; clock?: Clock; sandbox?: Sandbox } = {},
): Promise<ScaleResult> {
  const shape = options.shape ?? SCALE_SHAPE;
  const clock = options.clock ?? defaultClock;
  const { scenario, program } = scaleScenario(shape);
  const before = sampleMemory();
  let peakHeapUsed = before.heapUsed;
  let peakRss = before.rss ?? null;
  const sample = () => {
    const now = sampleMemory();
    peakHeapUsed = Math.max(peakHeapUsed, now.heapUsed);
    if (now.rss !== undefined) peakRss = Math.max(peakRss ?? 0, now.rss);
  };
  const started = clock();
  const { run, llm } = await driveScripted({
    scenario,
    store,
    sandbox: options.sandbox ?? new InstantSandbox(),
    promptProgram: program,
    limits: { maxSteps: Math.min(30, shape.steps) },
    clock,
    onRequest: sample,
  });
  const totalMs = clock() - started;
  sample();
  const report = run.report;
  return {
    shape,
    files: report?.files ?? 0,
    lines: report?.lines ?? 0,
    totalMs,
    requests: llm.timings.length,
    peakHeapUsed,
    peakRss,
    heapBefore: before.heapUsed,
  };
}
