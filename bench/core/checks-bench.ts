/**
 * Figure 2: check latency per write. The in-app syntax check of the files a write touches (1, 10, 100
 * files), and a test run in a sandbox after a one-file change in a project of 1, 10 or 100 test files
 * (each with the module it tests): `sync` of the change plus `runTests` of every test file, as the control
 * unit does after each write.
 */
import { checkSyntaxInApp } from '../../src/sandbox/syntax.ts';
import type { Sandbox } from '../../src/sandbox/types.ts';
import { defaultClock, type Clock } from './instruments.ts';
import { moduleSource, testSource, type ProjectFile } from './project.ts';

/**
 * Time of the very first check in this process or page (the parser's cold start), then, after a warm-up
 * like the first few writes of a run (300 parses), samples of checking 1, 10 and 100 files.
 */
export function measureSyntax(counts: readonly number[], repetitions: number, clock: Clock = defaultClock, lines = 60) {
  const coldStart = clock();
  const coldIssues = checkSyntaxInApp('cold/start.js', moduleSource(9999, lines)).length;
  const coldMs = clock() - coldStart;
  for (let i = 0; i < 300; i++) checkSyntaxInApp(`warm/m${i}.js`, moduleSource(10_000 + i, lines));
  const results = counts.map((count) => {
    const files = Array.from({ length: count }, (_, i) => ({ path: `src/m${i}.js`, content: moduleSource(i, lines) }));
    const samples: number[] = [];
    let issues = 0;
    for (let r = 0; r < repetitions; r++) {
      const started = clock();
      for (const file of files) issues += checkSyntaxInApp(file.path, file.content).length;
      samples.push(clock() - started);
    }
    if (issues !== 0) throw new Error('The generated modules should parse without issues.');
    return { files: count, lines, samples };
  });
  if (coldIssues !== 0) throw new Error('The generated module should parse without issues.');
  return { coldMs, results };
}

/** `tests` test files, each beside the module it imports (2 × `tests` files). */
export function testedProject(tests: number): ProjectFile[] {
  const files: ProjectFile[] = [];
  for (let i = 0; i < tests; i++) {
    files.push({ path: `src/m${i}.js`, content: moduleSource(i, 30) });
    files.push({ path: `src/m${i}.test.js`, content: testSource(i, `./m${i}.js`) });
  }
  return files;
}

export interface TestRunResult {
  testFiles: number;
  /** Sync of the whole project into a fresh sandbox. */
  initialSyncMs: number;
  /** Per write: sync of the changed module plus the run of every test file. */
  samples: number[];
  passed: number;
  failed: number;
}

export async function measureTestRun(sandbox: Sandbox, tests: number, repetitions: number, clock: Clock = defaultClock): Promise<TestRunResult> {
  const project = testedProject(tests);
  const testPaths = project.filter((f) => f.path.endsWith('.test.js')).map((f) => f.path);
  let started = clock();
  await sandbox.sync(project.map((f) => ({ path: f.path, content: f.content })));
  const initialSyncMs = clock() - started;
  const samples: number[] = [];
  let passed = 0;
  let failed = 0;
  for (let r = 0; r < repetitions; r++) {
    const changed = r % tests;
    started = clock();
    await sandbox.sync([{ path: `src/m${changed}.js`, content: moduleSource(changed, 30, r + 1) }]);
    const report = await sandbox.runTests(testPaths, { timeoutMs: 120_000, perFileTimeoutMs: 10_000 });
    samples.push(clock() - started);
    passed = report.passed;
    failed = report.failed + report.timedOut.length;
    if (report.unsupported) throw new Error(`The sandbox could not run the tests: ${report.unsupported}`);
  }
  return { testFiles: tests, initialSyncMs, samples, passed, failed };
}
