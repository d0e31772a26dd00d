/**
 * The benchmark code runs on tiny sizes and measures what it says it measures, so `npm run bench` does
 * not rot. No assertion here is about time: only shapes, counts and the properties the figures rely on.
 */
import { describe, expect, it } from 'vitest';
import { measureSyntax, measureTestRun, testedProject } from '../../../bench/core/checks-bench.ts';
import { growth, measureTurnOverhead, overheadFigureOf } from '../../../bench/core/overhead.ts';
import { generatedProject, lineTotal, moduleSource, padTo, testSource } from '../../../bench/core/project.ts';
import { InstantSandbox } from '../../../bench/core/sandboxes.ts';
import { measureScale } from '../../../bench/core/scale.ts';
import { acrossRuns, median, percentile } from '../../../bench/core/stats.ts';
import { measureStore } from '../../../bench/core/store-bench.ts';
import { measureSync } from '../../../bench/core/sync-bench.ts';
import { measureWebContainerSync } from '../../../bench/node/webcontainer-sync.ts';
import { checkSyntaxInApp } from '../../../src/sandbox/syntax.ts';
import { MemoryStore } from '../../../src/store/memory.ts';
import { NodeSandbox } from '../../support/node-sandbox.ts';

describe('stats', () => {
  it('interpolates percentiles between closest ranks', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([1, 2, 3, 4])).toBe(2.5);
    expect(percentile([0, 10], 95)).toBeCloseTo(9.5);
    expect(Number.isNaN(median([]))).toBe(true);
  });

  it('takes the median over runs of each run statistic', () => {
    const summary = acrossRuns([
      [1, 1, 1],
      [2, 2, 2],
      [9, 9, 9],
    ]);
    expect(summary.median).toBe(2);
    expect(summary.spread).toEqual([1, 9]);
    expect(summary.n).toBe(9);
  });
});

describe('generated projects', () => {
  it('gives modules of exactly the asked length that parse, and tests that import them', () => {
    for (const lines of [3, 8, 40, 100]) {
      const source = moduleSource(7, lines);
      expect(source.split('\n').length - 1).toBe(lines);
      expect(checkSyntaxInApp('m7.js', source)).toEqual([]);
    }
    expect(checkSyntaxInApp('m7.test.js', testSource(7, './m7.js'))).toEqual([]);
    expect(padTo('a\nb\n', 5)).toBe('a\nb\n// padding 1\n// padding 2\n// padding 3\n');
  });

  it('lays out a project whose every fourth file is a test', () => {
    const project = generatedProject(40, 10);
    expect(project).toHaveLength(40);
    expect(project.filter((f) => f.path.endsWith('.test.js'))).toHaveLength(10);
    expect(new Set(project.map((f) => f.path)).size).toBe(40);
    expect(lineTotal(project)).toBeGreaterThan(0);
  });
});

describe('figure 1: control-unit overhead', () => {
  it('times every write turn and the gate of a real run', async () => {
    const result = await measureTurnOverhead({ files: 12, turns: 4, store: new MemoryStore() });
    expect(result.turnMs).toHaveLength(4);
    expect(result.commitMs).toHaveLength(4);
    expect(Number.isFinite(result.gateMs)).toBe(true);
    expect(growth([1, 1, 5, 5], 2)).toEqual({ first: 1, last: 5 });
    const figure = overheadFigureOf(12, [result, result]);
    expect(figure.turn.runs).toBe(2);
    expect(figure.growth.ratio).toBeCloseTo(figure.growth.last / figure.growth.first);
  });
});

describe('figure 2: checks', () => {
  it('checks 1 and 10 generated files after a cold first call', () => {
    const syntax = measureSyntax([1, 10], 2);
    expect(syntax.results.map((r) => [r.files, r.samples.length])).toEqual([
      [1, 2],
      [10, 2],
    ]);
  });

  it('runs the tests of a project after a one-file change in a real sandbox', async () => {
    const sandbox = await NodeSandbox.create();
    try {
      const run = await measureTestRun(sandbox, 2, 1);
      expect(testedProject(2)).toHaveLength(4);
      expect(run).toMatchObject({ testFiles: 2, passed: 6, failed: 0 });
      expect(run.samples).toHaveLength(1);
    } finally {
      await sandbox.dispose();
    }
  });
});

describe('figure 4: store', () => {
  it('writes, reads back and commits turns', async () => {
    const result = await measureStore(new MemoryStore(), 30, 3);
    expect(result.files).toBe(30);
    expect(result.turnCommitMs).toHaveLength(3);
    expect(result.readTenMs).toHaveLength(20);
  });
});

describe('figure 6: sync', () => {
  it('hands the sandbox every file once, then only the changed one', async () => {
    const result = await measureSync(new InstantSandbox(), { files: 25 });
    expect(result.syncs[0]?.files).toBe(25);
    expect(result.afterOneChange).toMatchObject({ files: 1, deletes: 0 });
    expect(result.afterOneChange?.paths).toEqual(['src/area-0/part-0/m1.js']);
  });

  it('counts what the WebContainer adapter writes into the (fake) container', async () => {
    const result = await measureWebContainerSync(25);
    const [first, second] = result.containerWrites;
    expect(first).toMatchObject({ afterSync: 1, files: 25 });
    expect(second).toMatchObject({ afterSync: 2, files: 1 });
  }, 60_000);
});

describe('figure 7: scale', () => {
  it('writes the files and lines of its shape through the control unit', async () => {
    const shape = { steps: 2, turnsPerStep: 2, filesPerTurn: 3, linesPerFile: 10 };
    const result = await measureScale(new MemoryStore(), () => ({ heapUsed: 1 }), { shape });
    expect(result).toMatchObject({ files: 12, lines: 120, peakHeapUsed: 1, peakRss: null });
    // Plan-less program: per step its turns, the gate and the summary; then the report.
    expect(result.requests).toBe(2 * (2 + 2) + 1);
  });
});
