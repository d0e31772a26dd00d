/**
 * Tool results as DESIGN.md §5 fixes them: a JSON string `{"status": "ok" | "error", "message": ...}`,
 * with a `checks` object after writes and at the gate.
 */
import type { CheckSummary } from '../events.ts';
import type { ToolOutcome } from './types.ts';

export function okResult(message: string, extra: Record<string, unknown> = {}): ToolOutcome {
  return { status: 'ok', content: JSON.stringify({ status: 'ok', message, ...extra }) };
}

export function errorResult(message: string, extra: Record<string, unknown> = {}): ToolOutcome {
  return { status: 'error', content: JSON.stringify({ status: 'error', message, ...extra }) };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function syntaxLine(issue: CheckSummary['syntaxErrors'][number]): string {
  const where = [issue.file, issue.line, issue.column].filter((x) => x !== undefined).join(':');
  return `${where}: ${issue.message}`;
}

/** The `checks` object of a tool result. */
export function checksObject(summary: CheckSummary): Record<string, unknown> {
  const checks: Record<string, unknown> = {
    syntax_errors: summary.syntaxErrors.map(syntaxLine),
  };
  if (summary.unsupported) {
    checks.tests_not_run = summary.unsupported;
  } else if (summary.noTests) {
    checks.tests = 'no test files found';
  } else {
    checks.tests = {
      passed: summary.passed,
      failed: summary.failed,
      skipped: summary.skipped,
      todo: summary.todo,
      failing: summary.failures.map((f) => ({ name: f.name, file: f.file, message: f.message, ...(f.location ? { location: f.location } : {}) })),
      timed_out: summary.timedOut,
    };
  }
  if (summary.output && !summary.ok) checks.output = summary.output;
  return checks;
}

/** One plain sentence per kind of check, e.g. "Syntax: no errors. Tests: 3 passed, 1 failed (add > negatives)." */
export function describeChecks(summary: CheckSummary): string {
  const parts: string[] = [];
  parts.push(
    summary.syntaxErrors.length
      ? `Syntax: ${plural(summary.syntaxErrors.length, 'error')} (${summary.syntaxErrors.slice(0, 5).map(syntaxLine).join('; ')}${summary.syntaxErrors.length > 5 ? '; …' : ''}).`
      : 'Syntax: no errors.',
  );
  if (summary.unsupported) {
    parts.push(`Tests: not run: ${summary.unsupported}`);
  } else if (summary.noTests) {
    parts.push('Tests: there are no test files yet.');
  } else {
    let tests = `Tests: ${summary.passed} passed, ${summary.failed} failed`;
    if (summary.skipped) tests += `, ${summary.skipped} skipped`;
    if (summary.todo) tests += `, ${summary.todo} todo`;
    const failing = summary.failures.map((f) => JSON.stringify(f.name));
    if (failing.length) tests += `; failing: ${failing.slice(0, 10).join(', ')}${failing.length > 10 ? ', …' : ''}`;
    if (summary.timedOut.length) tests += `; timed out: ${summary.timedOut.join(', ')}`;
    parts.push(`${tests}.`);
  }
  return parts.join(' ');
}
