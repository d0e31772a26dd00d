/**
 * The figures measured in Node: control-unit overhead on the memory store, the in-app syntax check and the
 * Node sandbox's test runs, the token figures, the memory store, sync to the Node sandbox and to the
 * WebContainer adapter (fake WebContainer), and the 1,000-file run.
 */
import { loadavg } from 'node:os';
import { MemoryStore } from '../../src/store/memory.ts';
import { NodeSandbox } from '../../tests/support/node-sandbox.ts';
import { measureSyntax, measureTestRun } from '../core/checks-bench.ts';
import { measureTurnOverhead, OVERHEAD_SIZES, OVERHEAD_TURNS, overheadFigureOf } from '../core/overhead.ts';
import { measureScale } from '../core/scale.ts';
import { acrossRuns, median, summarize } from '../core/stats.ts';
import { measureStore } from '../core/store-bench.ts';
import { measureSync } from '../core/sync-bench.ts';
import type { BenchOptions } from '../options.ts';
import type { NodeFigures } from '../results.ts';
import { measureTokens } from '../tokens/tokens-bench.ts';
import { measureWebContainerSync } from './webcontainer-sync.ts';

type Log = (line: string) => void;

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

async function nodeTestRuns(options: BenchOptions, log: Log) {
  const out = [];
  for (const tests of options.quick ? [1, 10] : [1, 10, 100]) {
    const sandbox = await NodeSandbox.create();
    try {
      const reps = tests >= 100 ? Math.max(1, Math.ceil(options.runs / 2)) : options.runs;
      const result = await measureTestRun(sandbox, tests, reps);
      log(`  node sandbox, ${tests} test file(s): ${summarize(result.samples).median.toFixed(0)} ms per write`);
      out.push({ testFiles: result.testFiles, initialSyncMs: result.initialSyncMs, perWrite: summarize(result.samples), passed: result.passed, failed: result.failed });
    } finally {
      await sandbox.dispose();
    }
  }
  return out;
}

export async function nodeFigures(options: BenchOptions, log: Log): Promise<NodeFigures> {
  const figures: NodeFigures = { loadBefore: loadavg(), loadAfter: [] };
  const want = options.only;

  if (want.has('checks')) {
    log('checks: in-app syntax check (Node)');
    // First, so that its cold start is the parser's first use in this process.
    const syntax = measureSyntax([1, 10, 100], options.quick ? 10 : 40);
    figures.syntax = { coldMs: syntax.coldMs, results: syntax.results.map((r) => ({ files: r.files, lines: r.lines, summary: summarize(r.samples) })) };
    log('checks: Node sandbox test runs');
    figures.nodeTests = await nodeTestRuns(options, log);
  }

  if (want.has('overhead')) {
    log('overhead: warm-up run');
    await measureTurnOverhead({ files: 10, turns: OVERHEAD_TURNS, store: new MemoryStore() });
    figures.overhead = [];
    for (const files of OVERHEAD_SIZES) {
      const results = [];
      for (let r = 0; r < options.runs; r++) {
        gc();
        results.push(await measureTurnOverhead({ files, turns: OVERHEAD_TURNS, store: new MemoryStore() }));
      }
      const figure = overheadFigureOf(files, results);
      log(`overhead (Node, memory store), ${files} files: median ${figure.turn.median.toFixed(2)} ms, p95 ${figure.turn.p95.toFixed(2)} ms per turn`);
      figures.overhead.push(figure);
    }
  }

  if (want.has('tokens')) {
    log('tokens: the 5-step scenario, ours and the model of the original');
    const { encode } = await import('gpt-tokenizer/encoding/o200k_base');
    const plain = { disallowedSpecial: new Set<string>() };
    figures.tokens = await measureTokens((text) => encode(text, plain), 'o200k_base (gpt-tokenizer)');
  }

  if (want.has('store')) {
    log('store: memory store (Node), for comparison');
    const results = [];
    for (let r = 0; r < options.runs; r++) results.push(await measureStore(new MemoryStore(), 1000, 50));
    figures.memoryStore = {
      files: 1000,
      bytes: results[0]?.bytes ?? 0,
      bulkWriteMs: median(results.map((r) => r.bulkWriteMs)),
      readAllMs: median(results.map((r) => r.readAllMs)),
      readTen: acrossRuns(results.map((r) => r.readTenMs)),
      turnCommit: acrossRuns(results.map((r) => r.turnCommitMs)),
    };
  }

  if (want.has('sync')) {
    log('sync: 1 changed file of 500, Node sandbox');
    const sandbox = await NodeSandbox.create();
    try {
      figures.syncNode = await measureSync(sandbox);
    } finally {
      await sandbox.dispose();
    }
    log('sync: 1 changed file of 500, WebContainer adapter over the fake WebContainer');
    try {
      figures.syncWebContainer = await measureWebContainerSync();
    } catch (error) {
      figures.syncWebContainer = { notMeasured: `the WebContainer adapter run failed: ${String(error)}` };
    }
  }

  if (want.has('scale')) {
    const runs = options.quick ? 1 : Math.min(3, options.runs);
    figures.scale = [];
    for (let r = 0; r < runs; r++) {
      gc();
      log(`scale: 1,000 files / 100,000 lines (Node, memory store), run ${r + 1} of ${runs}`);
      figures.scale.push(
        await measureScale(new MemoryStore(), () => {
          const m = process.memoryUsage();
          return { heapUsed: m.heapUsed, rss: m.rss };
        }),
      );
    }
  }
  figures.loadAfter = loadavg();
  return figures;
}
