/**
 * `npm run bench` (bundled and started by `scripts/bench.mjs`). Runs the Node figures and the browser
 * figures each in a process of its own (so neither disturbs the other), then judges the targets, prints
 * the report and writes the JSON. Never part of `npm test`: benchmarks report, they do not gate.
 *
 *   node bench.mjs [options]                 everything
 *   node bench.mjs --part node|browser FILE  one part, its JSON to FILE (used by the above)
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, platform, release, totalmem } from 'node:os';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { browserFigures } from './browser/browser-figures.ts';
import { nodeFigures } from './node/node-figures.ts';
import { parseOptions, USAGE, type BenchOptions } from './options.ts';
import { renderReport } from './report/table.ts';
import { evaluateTargets, isMeasured } from './report/targets.ts';
import type { BenchResults, BrowserFigures, Machine, NodeFigures, NotMeasured } from './results.ts';

const log = (line: string) => console.log(`[bench] ${line}`);

function git(args: string[]): string {
  try {
    return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
}

function machine(start: number[], chromium: string | null): Machine {
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: cpus().length,
    ramBytes: totalmem(),
    node: process.version,
    chromium,
    platform: `${platform()} ${release()}`,
    date: new Date().toISOString(),
    commit: git(['rev-parse', 'HEAD']) || 'unknown',
    dirty: git(['status', '--porcelain', '--untracked-files=no']) !== '',
    loadAverageAtStart: start,
    loadAverageAtEnd: loadavg(),
  };
}

/** Runs one part in a child process (this same bundle), returning its JSON or why it failed. */
function runPart<T>(part: 'node' | 'browser', argv: string[], file: string): Promise<T | NotMeasured> {
  return new Promise((resolve) => {
    const self = fileURLToPath(import.meta.url);
    const child = spawn(process.execPath, ['--expose-gc', self, '--part', part, file, ...argv], { stdio: 'inherit' });
    child.on('exit', async (code) => {
      if (code !== 0) return resolve({ notMeasured: `the ${part} part exited with ${code} (its error is printed above)` });
      try {
        resolve(JSON.parse(await readFile(file, 'utf8')) as T);
      } catch (error) {
        resolve({ notMeasured: `the ${part} part wrote no results: ${String(error)}` });
      }
    });
  });
}

async function runOnePart(part: string, file: string, options: BenchOptions): Promise<void> {
  const result = part === 'node' ? await nodeFigures(options, log) : await browserFigures(options, log);
  await writeFile(file, JSON.stringify(result));
}

async function main(argv: string[]): Promise<void> {
  if (argv.includes('--help')) {
    console.log(USAGE);
    return;
  }
  const partAt = argv.indexOf('--part');
  if (partAt >= 0) {
    const [part, file] = [argv[partAt + 1], argv[partAt + 2]];
    if ((part !== 'node' && part !== 'browser') || !file) throw new Error('--part needs node|browser and a file');
    const rest = argv.filter((_, i) => i < partAt || i > partAt + 2);
    return runOnePart(part, file, parseOptions(rest));
  }

  const options = parseOptions(argv);
  const start = loadavg();
  log(`load average at start: ${start.map((l) => l.toFixed(2)).join(' ')} (the machine may be shared: figures are medians of ${options.runs} runs)`);
  await mkdir(dirname(options.out), { recursive: true });
  const scratch = `${options.out}.parts`;
  await mkdir(scratch, { recursive: true });
  const nodeWanted = ['overhead', 'checks', 'tokens', 'store', 'sync', 'scale'].some((f) => options.only.has(f as never));
  const node: NodeFigures | NotMeasured = nodeWanted ? await runPart<NodeFigures>('node', argv, `${scratch}/node.json`) : { notMeasured: 'no Node figure was selected' };
  const browser: BrowserFigures | NotMeasured = options.skipBrowser
    ? { notMeasured: 'skipped (--skip-browser)' }
    : await runPart<BrowserFigures>('browser', argv, `${scratch}/browser.json`);
  await rm(scratch, { recursive: true, force: true });

  const results: BenchResults = {
    format: 'l2mac-bench/1',
    machine: machine(start, isMeasured(browser) ? browser.chromium : null),
    options: { quick: options.quick, runs: options.runs, figures: [...options.only] },
    node,
    browser,
    targets: evaluateTargets(node, browser),
  };
  console.log(`\n${renderReport(results)}`);
  await writeFile(options.out, `${JSON.stringify(results, null, 2)}\n`);
  log(`figures written to ${options.out}`);
  const misses = results.targets.filter((t) => t.verdict !== 'PASS');
  if (misses.length) log(`${misses.length} target(s) not met or not measured: see the table above (benchmarks never fail the build).`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
