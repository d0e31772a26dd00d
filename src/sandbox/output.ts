/**
 * Test and run output as the model and the report get it (DESIGN.md §5): cut to 8,000 characters, keeping
 * the failing tests' names and the summary, and saying how much was cut.
 */
import type { TestReport } from './types.ts';

export const OUTPUT_LIMIT = 8000;

/** Longest piece of one kept line (a failing name can be huge when a test is named after its input). */
const MAX_KEPT_LINE = 300;
/** Below this limit there is no room for structure: a plain prefix is all that fits. */
const MIN_STRUCTURED_LIMIT = 400;

const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]/g;
const SUMMARY_LINE = /^\s*(?:#|ℹ)\s*(?:tests|suites|pass|fail|cancelled|skipped|todo|duration_ms)\s+\d/;
const FAILING_LINE = /^\s*not ok\b|^\s*✖ /;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

/** A prefix of `text` at most `length` long that does not end inside a surrogate pair. */
function safePrefix(text: string, length: number): string {
  if (length <= 0) return '';
  const cut = text.slice(0, length);
  const last = cut.charCodeAt(cut.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? cut.slice(0, -1) : cut;
}

/** A suffix of `text` at most `length` long that does not start inside a surrogate pair. */
function safeSuffix(text: string, length: number): string {
  if (length <= 0) return '';
  const cut = text.slice(Math.max(0, text.length - length));
  const first = cut.charCodeAt(0);
  return first >= 0xdc00 && first <= 0xdfff ? cut.slice(1) : cut;
}

function cutNotice(cut: number, total: number): string {
  return `… [${cut} of ${total} characters cut; failing tests and the summary are kept] …`;
}

interface Line {
  text: string;
  start: number;
}

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  for (const text_ of text.split('\n')) {
    lines.push({ text: text_, start });
    start += text_.length + 1;
  }
  return lines;
}

/**
 * `text` when it fits in `limit`; otherwise its beginning, the summary lines and the failing tests' lines
 * (`not ok …`) from the part that was cut, a notice of how much was cut, and its end. Never longer than
 * `limit`.
 */
export function truncateOutput(text: string, limit: number = OUTPUT_LIMIT): string {
  if (text.length <= limit) return text;
  const limitSafe = Math.max(0, Math.floor(limit));
  if (limitSafe < MIN_STRUCTURED_LIMIT) {
    const notice = `\n… [${text.length} characters, cut]`;
    return notice.length > limitSafe ? safePrefix(text, limitSafe) : safePrefix(text, limitSafe - notice.length) + notice;
  }

  // Both notices, with the widest numbers they can hold.
  const noticeBudget = 2 * (cutNotice(text.length, text.length).length + 2);
  let budget = limitSafe - noticeBudget;

  // The summary first (it is what a reader checks), then the failing lines in order, each shortened.
  const lines = splitLines(text);
  const summary = lines.filter((line) => SUMMARY_LINE.test(stripAnsi(line.text)));
  const failing = lines.filter((line) => FAILING_LINE.test(stripAnsi(line.text)));
  const importantBudget = Math.floor(budget * 0.6);
  const kept = new Map<number, { shown: string; end: number }>();
  let importantUsed = 0;
  for (const line of [...summary, ...failing]) {
    if (kept.has(line.start)) continue;
    const shown = line.text.length > MAX_KEPT_LINE ? `${safePrefix(line.text, MAX_KEPT_LINE - 1)}…` : line.text;
    if (importantUsed + shown.length + 1 > importantBudget) continue;
    kept.set(line.start, { shown, end: line.start + line.text.length });
    importantUsed += shown.length + 1;
  }
  budget -= importantUsed;

  // The rest goes to the beginning (a third) and the end (two thirds: the summary and last failures).
  const headLength = Math.floor(budget / 3);
  const tailLength = budget - headLength;
  const head = safePrefix(text, headLength);
  const tail = safeSuffix(text, tailLength);
  const middleStart = head.length;
  const middleEnd = text.length - tail.length;

  // A kept line partly inside the beginning or the end is shown whole again: a half name helps nobody.
  const middle = [...kept.entries()]
    .filter(([start, { end }]) => end > middleStart && start < middleEnd)
    .sort(([a], [b]) => a - b)
    .map(([, { shown }]) => shown);
  const keptChars = head.length + tail.length + middle.reduce((sum, line) => sum + line.length, 0);
  const notice = cutNotice(text.length - keptChars, text.length);
  const pieces = middle.length > 0 ? [head, notice, ...middle, notice, tail] : [head, notice, tail];
  return pieces.join('\n');
}

/** Plain text of a test report for people and models: counts, then each failure with where and why. */
export function formatTestReport(report: TestReport): string {
  if (report.unsupported) return `Tests not run: ${report.unsupported}`;
  const counts = [
    `${report.passed} passed`,
    `${report.failed} failed`,
    ...(report.skipped ? [`${report.skipped} skipped`] : []),
    ...(report.todo ? [`${report.todo} todo`] : []),
  ].join(', ');
  const lines = [counts];
  for (const failure of report.failures) {
    const where = failure.location ?? failure.file;
    lines.push(`✖ ${failure.name}${where ? ` (${where})` : ''}`);
    if (failure.message) lines.push(...failure.message.split('\n').map((line) => `    ${line}`));
  }
  if (report.timedOut.length > 0) lines.push(`Timed out: ${report.timedOut.join(', ')}`);
  return lines.join('\n');
}
