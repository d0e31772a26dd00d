/**
 * Test reports for what the TAP alone cannot say: a run killed at its overall time limit (the files that
 * never finished are timed out, and failed), and an `npm install` that failed before any test could run.
 */
import { stripAnsi, truncateOutput } from './output.ts';
import type { TestReport } from './types.ts';
import type { ProcessResult } from './webcontainer-process.ts';

const TOP_LEVEL_RESULT = /^(?:not )?ok \d+ - (.*?)(?: # (?:SKIP|TODO)\b.*)?$/;
const MESSAGE_TAIL = 2000;

/** The files with a top-level result line (Node names a file's test by its path, absolute or relative). */
function finishedFiles(output: string, files: string[]): Set<string> {
  const finished = new Set<string>();
  for (const line of stripAnsi(output).replace(/\r\n?/g, '\n').split('\n')) {
    const match = TOP_LEVEL_RESULT.exec(line);
    if (!match) continue;
    const name = (match[1] ?? '').replace(/\\([\\#])/g, '$1').replace(/^file:\/\//, '');
    for (const file of files) if (name === file || name.endsWith(`/${file}`)) finished.add(file);
  }
  return finished;
}

/**
 * After the whole run was killed at `overallMs`: every file without a result is timed out and failed, in
 * place of the parser's one "the run stopped" failure.
 */
export function markUnfinishedFiles(report: TestReport, output: string, files: string[], overallMs: number): TestReport {
  const finished = finishedFiles(output, files);
  const unfinished = files.filter((file) => !finished.has(file));
  if (unfinished.length === 0) return report;
  const runFailures = report.failures.filter((failure) => failure.name === 'node --test');
  const seconds = Math.round(overallMs / 100) / 10;
  const failures = [
    ...report.failures.filter((failure) => failure.name !== 'node --test'),
    ...unfinished.map((file) => ({
      name: file,
      file,
      message: `Stopped at the time limit of the whole test run (${seconds} s) before this file finished.`,
    })),
  ];
  return {
    ...report,
    failed: report.failed - runFailures.length + unfinished.length,
    failures,
    timedOut: [...new Set([...report.timedOut, ...unfinished])],
  };
}

/** No test ran: the dependencies could not be installed. One failure that says so, with npm's words. */
export function installFailureReport(message: string, result: ProcessResult): TestReport {
  const npmOutput = stripAnsi(result.output).replace(/\r\n?/g, '\n').trim();
  const tail = npmOutput.length > MESSAGE_TAIL ? `…${npmOutput.slice(-MESSAGE_TAIL)}` : npmOutput;
  return {
    passed: 0,
    failed: 1,
    skipped: 0,
    todo: 0,
    failures: [{ name: 'npm install', file: 'package.json', message: tail ? `${message}\n${tail}` : message }],
    timedOut: [],
    output: truncateOutput(`${message}\n${npmOutput}`),
    durationMs: result.durationMs,
  };
}
