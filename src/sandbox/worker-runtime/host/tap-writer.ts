/**
 * Writes what the worker reported as the TAP that `node --test --test-reporter=tap <files>` prints (Node
 * 20's reporter: `# Subtest:` lines, `ok`/`not ok` with YAML details, plans, console output as `#` comments,
 * the file itself as a test when Node reports it so, the summary). The report is then read from it by the
 * same parser as every other sandbox's (`tap.ts`), so counts, names and messages mean the same everywhere,
 * and the model sees the same format whichever sandbox ran its tests.
 */
import { absolutePath } from '../prepare/resolve.ts';
import type { ErrorInfo, TestEvent, WorkerMessage } from '../protocol.ts';
import type { JobEnd } from './launch.ts';

export interface FileRun {
  file: string;
  messages: WorkerMessage[];
  end: JobEnd;
  durationMs: number;
  /** The per-file time limit, for the time-out message. */
  timeoutMs: number;
  /** Set when the file never started because the whole run reached its time limit. */
  runLimitMs?: number;
}

/** Node's `tapEscape`: names and comments stay on one line, `#` cannot start a directive. */
function tapEscape(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/#/g, '\\#')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t')
    .replace(/\f/g, '\\f')
    .replace(/\v/g, '\\v')
    .replace(/\x08/g, '\\b');
}

/** A one-line string as `util.inspect` quotes it. */
function quote(text: string): string {
  const escaped = text.replace(/\\/g, '\\\\').replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  if (!text.includes("'")) return `'${escaped}'`;
  if (!text.includes('"')) return `"${escaped}"`;
  if (!text.includes('`') && !text.includes('${')) return `\`${escaped}\``;
  return `'${escaped.replace(/'/g, "\\'")}'`;
}

const indentOf = (nesting: number) => '    '.repeat(nesting);

function yamlField(indent: string, key: string, value: string | number | undefined): string {
  if (value === undefined) return '';
  if (typeof value === 'number') return `${indent}  ${key}: ${value}\n`;
  const lines = value.split(/\r?\n/);
  if (lines.length === 1) return `${indent}  ${key}: ${quote(value)}\n`;
  return `${indent}  ${key}: |-\n${lines.map((line) => `${indent}    ${line}\n`).join('')}`;
}

function yamlError(indent: string, error: ErrorInfo | undefined, failureType: string | undefined): string {
  if (!error) return '';
  let out = yamlField(indent, 'failureType', failureType);
  out += yamlField(indent, 'error', error.message);
  out += yamlField(indent, 'code', error.code ?? 'ERR_TEST_FAILURE');
  if (error.name && error.name !== 'Error') out += yamlField(indent, 'name', error.name);
  if (error.name === 'AssertionError') {
    if (error.expected !== undefined) out += `${indent}  expected: ${error.expected.replace(/\n\s*/g, ' ')}\n`;
    if (error.actual !== undefined) out += `${indent}  actual: ${error.actual.replace(/\n\s*/g, ' ')}\n`;
    out += yamlField(indent, 'operator', error.operator);
  }
  const frames = (error.stack ?? '').split('\n').filter((line) => /^ {4}at /.test(line)).map((line) => line.replace(/^ {4}at /, ''));
  if (frames.length > 0) out += `${indent}  stack: |-\n${frames.map((frame) => `${indent}    ${frame}\n`).join('')}`;
  return out;
}

interface Counters {
  topLevel: number;
  all: number;
  suites: number;
  passed: number;
  failed: number;
  cancelled: number;
  skipped: number;
  todo: number;
}

function count(counters: Counters, event: Extract<TestEvent, { type: 'result' }>): void {
  if (event.suite) {
    counters.suites++;
    return;
  }
  if (event.skip !== undefined) counters.skipped++;
  else if (event.todo !== undefined) counters.todo++;
  else if (event.cancelled) counters.cancelled++;
  else if (!event.passed) counters.failed++;
  else counters.passed++;
  counters.all++;
}

function resultLine(event: Extract<TestEvent, { type: 'result' }>, number: number): string {
  const indent = indentOf(event.nesting);
  let line = `${indent}${event.passed ? 'ok' : 'not ok'} ${number} ${tapEscape(`- ${event.name}`)}`;
  if (event.skip !== undefined) line += ` # SKIP${typeof event.skip === 'string' && event.skip ? ` ${tapEscape(event.skip)}` : ''}`;
  else if (event.todo !== undefined) line += ` # TODO${typeof event.todo === 'string' && event.todo ? ` ${tapEscape(event.todo)}` : ''}`;
  let details = `${indent}  ---\n${yamlField(indent, 'duration_ms', Number(event.durationMs.toFixed(6)))}`;
  if (event.suite) details += yamlField(indent, 'type', 'suite');
  if (!event.passed && event.location) details += yamlField(indent, 'location', event.location);
  if (!event.passed) details += yamlError(indent, event.error, event.failureType);
  return `${line}\n${details}${indent}  ...\n`;
}

/** Output as Node's reporter shows a test file's stdout and stderr: one `#` comment per non-empty line. */
class OutputLines {
  private partial = { stdout: '', stderr: '' };

  push(stream: 'stdout' | 'stderr', text: string): string {
    const lines = (this.partial[stream] + text).split(/\r?\n/);
    this.partial[stream] = lines.pop() ?? '';
    return lines.filter((line) => line.length > 0).map((line) => `# ${tapEscape(line)}\n`).join('');
  }

  flush(): string {
    const rest = [this.partial.stdout, this.partial.stderr].filter((line) => line.length > 0);
    this.partial = { stdout: '', stderr: '' };
    return rest.map((line) => `# ${tapEscape(line)}\n`).join('');
  }
}

function fileFailure(file: string, number: number, durationMs: number, failureType: string, message: string, exitCode?: number): string {
  const path = absolutePath(file);
  let out = `# Subtest: ${tapEscape(path)}\nnot ok ${number} ${tapEscape(`- ${path}`)}\n  ---\n`;
  out += yamlField('', 'duration_ms', Number(durationMs.toFixed(6)));
  out += yamlField('', 'location', `${path}:1:1`);
  out += yamlField('', 'failureType', failureType);
  if (exitCode !== undefined) out += `  exitCode: ${exitCode}\n  signal: ~\n`;
  out += yamlField('', 'error', message);
  out += yamlField('', 'code', 'ERR_TEST_FAILURE');
  return `${out}  ...\n`;
}

/** The TAP of all files, in order, with Node's summary. */
export function writeTap(runs: FileRun[]): string {
  const counters: Counters = { topLevel: 0, all: 0, suites: 0, passed: 0, failed: 0, cancelled: 0, skipped: 0, todo: 0 };
  let tap = 'TAP version 13\n';
  let totalMs = 0;
  for (const run of runs) {
    totalMs += run.durationMs;
    const output = new OutputLines();
    let topLevelResults = 0;
    let topLevelFailed = false;
    const running: string[] = [];
    for (const message of run.messages) {
      if (message.type === 'output') tap += output.push(message.stream, message.text);
      if (message.type !== 'test') continue;
      const event = message.event;
      if (event.type === 'begin') running.push(event.name);
      else if (event.type === 'start') tap += `${indentOf(event.nesting)}# Subtest: ${tapEscape(event.name)}\n`;
      else if (event.type === 'plan') tap += `${indentOf(event.nesting)}1..${event.count}\n`;
      else if (event.type === 'diagnostic') tap += `${indentOf(event.nesting)}# ${tapEscape(event.message)}\n`;
      else {
        const fullName = [...event.parents, event.name].join(' > ');
        const index = running.lastIndexOf(fullName);
        if (index !== -1) running.splice(index, 1);
        count(counters, event);
        if (event.nesting === 0) {
          counters.topLevel++;
          topLevelResults++;
          if (!event.passed && event.todo === undefined) topLevelFailed = true;
        }
        tap += resultLine(event, event.nesting === 0 ? counters.topLevel : event.testNumber);
      }
    }
    tap += output.flush();
    const fileLine = (failureType: string, message: string, exitCode?: number) => {
      counters.topLevel++;
      counters.all++;
      counters[failureType === 'testTimeoutFailure' ? 'cancelled' : 'failed']++;
      tap += fileFailure(run.file, counters.topLevel, run.durationMs, failureType, message, exitCode);
    };
    const end = run.end;
    if (end.kind === 'timeout' && run.runLimitMs !== undefined) {
      fileLine('testTimeoutFailure', `not run: the test run reached its time limit of ${run.runLimitMs}ms`);
    } else if (end.kind === 'timeout') {
      const current = running[running.length - 1];
      if (current) tap += `# ${tapEscape(`the file was stopped while running "${current}"`)}\n`;
      fileLine('testTimeoutFailure', `test timed out after ${run.timeoutMs}ms`);
    } else if (end.kind === 'failed') {
      tap += `# ${tapEscape(end.message)}\n`;
      fileLine('testCodeFailure', 'test failed');
    } else if (end.kind === 'done') {
      if (topLevelResults === 0 && end.exitCode === 0) {
        counters.topLevel++;
        counters.all++;
        counters.passed++;
        const path = absolutePath(run.file);
        tap += `# Subtest: ${tapEscape(path)}\nok ${counters.topLevel} ${tapEscape(`- ${path}`)}\n  ---\n${yamlField('', 'duration_ms', Number(run.durationMs.toFixed(6)))}  ...\n`;
      } else if (end.exitCode !== 0 && (topLevelResults === 0 || !topLevelFailed)) {
        fileLine('testCodeFailure', 'test failed', end.exitCode);
      }
    }
  }
  tap += `1..${counters.topLevel}\n`;
  for (const key of ['tests', 'suites', 'pass', 'fail', 'cancelled', 'skipped', 'todo'] as const) {
    const value = { tests: counters.all, suites: counters.suites, pass: counters.passed, fail: counters.failed, cancelled: counters.cancelled, skipped: counters.skipped, todo: counters.todo }[key];
    tap += `# ${key} ${value}\n`;
  }
  return `${tap}# duration_ms ${Number(totalMs.toFixed(6))}\n`;
}
