/**
 * Reads what `node --test --test-reporter=tap` prints (Node 20 and newer; stdout and stderr possibly merged,
 * with ANSI codes and noise) into the structured `TestReport` every sandbox returns (DESIGN.md §7).
 *
 * Counting: `passed`/`failed`/`skipped`/`todo` count leaf tests (a test or file with no reported children).
 * A parent whose failure is its own (a failing `before`/`after` hook, an error after its subtests) also
 * counts as one failure; a parent that failed only because a child did ("subtestsFailed") does not; suites
 * never count as tests (as Node counts them). A file that Node reports as a whole (no tests in it, a crash
 * at load, an exit code, a per-file timeout) is a test named by its path.
 *
 * Never a pass by accident: output with no TAP at all, a run that stopped before its summary, a non-zero
 * exit code without a failing test, or a summary that counts failures the tree does not show, each adds a
 * failure carrying the output.
 *
 * One parser in one file (longer than most modules): the tree reader, the YAML subset and the tally share
 * private shapes that would only leak if split.
 */
import { OUTPUT_LIMIT, stripAnsi, truncateOutput } from './output.ts';
import type { TestFailure, TestReport } from './types.ts';

export interface TapParseOptions {
  /** Absolute working directory of the run; absolute paths and `file://` URLs under it become relative. */
  root?: string;
  /** The project-relative test files that were run: maps absolute paths when `root` is unknown. */
  files?: string[];
  /** The runner's exit code when known: non-zero with no failure found becomes a failure. */
  exitCode?: number | null;
  /** Measured by the caller; otherwise the summary's `duration_ms`. */
  durationMs?: number;
  /** Limit of the report's `output` (default 8,000 characters, DESIGN.md §5). */
  outputLimit?: number;
}

interface TapNode {
  ok: boolean;
  name: string;
  directive?: 'skip' | 'todo';
  details: TapDetails;
  children: TapNode[];
  /** Top-level comment lines printed since the previous top-level result (a crashing file's stderr). */
  comments: string[];
  unfinished?: boolean;
}

const RESULT = /^( *)(not ok|ok)\b(?: +\d+)?(?: +-)?(?: (.*))?$/;
const SUBTEST = /^( *)# Subtest: (.*)$/;
const PLAN = /^( *)\d+\.\.\d+/;
const SUMMARY = /^# (tests|suites|pass|fail|cancelled|skipped|todo|duration_ms) (\d+(?:\.\d+)?)\s*$/;
const COMMENT = /^# ?(.*)$/;
const VERSION = /^TAP version \d+/;
const YAML_START = /^( *)---\s*$/;
const YAML_END = /^( *)\.\.\.\s*$/;
const MAX_MESSAGE = 2000;

/** Undoes Node's `tapEscape` (`\#` and `\\`; Node 20 also turns a newline into a literal `\n`). */
function unescapeName(text: string): string {
  return text.replace(/\\([\\#])/g, '$1');
}

/** Splits `name # SKIP reason` (an unescaped `#` starts a directive) into the name and the directive. */
function splitDirective(rest: string): { name: string; directive?: 'skip' | 'todo' } {
  const match = /^(.*?)(?:^| )# (SKIP|TODO)\b.*$/i.exec(rest);
  if (!match || /\\$/.test(match[1] ?? '')) return { name: unescapeName(rest.trim()) };
  return { name: unescapeName((match[1] ?? '').trim()), directive: match[2]?.toLowerCase() === 'skip' ? 'skip' : 'todo' };
}

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

interface ParsedTap {
  roots: TapNode[];
  sawTap: boolean;
  complete: boolean;
  summary: Partial<Record<string, number>>;
}

/** Reads the lines into a tree of results (children before parents, by indentation, as TAP 14 nests). */
function readTree(lines: string[]): ParsedTap {
  const pending = new Map<number, TapNode[]>();
  const open: { name: string; nesting: number }[] = [];
  const summary: Partial<Record<string, number>> = {};
  let topComments: string[] = [];
  let sawTap = false;
  let topPlan = false;

  const collectChildren = (nesting: number): TapNode[] => {
    const children: TapNode[] = [];
    const deeper = [...pending.keys()].filter((level) => level > nesting).sort((a, b) => a - b);
    for (const level of deeper) {
      children.push(...(pending.get(level) ?? []));
      pending.delete(level);
    }
    return children;
  };
  const add = (nesting: number, node: TapNode) => {
    const list = pending.get(nesting) ?? [];
    list.push(node);
    pending.set(nesting, list);
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const result = RESULT.exec(line);
    if (result) {
      sawTap = true;
      const indent = (result[1] ?? '').length;
      const nesting = Math.floor(indent / 4);
      const { name, directive } = splitDirective(result[3] ?? '');
      let details: TapDetails = {};
      const start = YAML_START.exec(lines[i + 1] ?? '');
      if (start && (start[1] ?? '').length >= indent) {
        const base = (start[1] ?? '').length;
        let end = i + 2;
        const block: string[] = [];
        for (; end < lines.length; end++) {
          const inner = lines[end] ?? '';
          const close = YAML_END.exec(inner);
          if (close && (close[1] ?? '').length === base) break;
          if (inner.trim() !== '' && indentOf(inner) < base && isTapLine(inner)) {
            end--;
            break;
          }
          block.push(inner);
        }
        details = parseDetails(block, base);
        i = end;
      }
      const node: TapNode = { ok: result[2] === 'ok', name, details, children: collectChildren(nesting), comments: [] };
      if (directive) node.directive = directive;
      while (open.length > 0 && (open[open.length - 1]?.nesting ?? -1) >= nesting) open.pop();
      if (nesting === 0) {
        node.comments = topComments;
        topComments = [];
        topPlan = false;
      }
      add(nesting, node);
      continue;
    }
    const subtest = SUBTEST.exec(line);
    if (subtest) {
      sawTap = true;
      const nesting = Math.floor((subtest[1] ?? '').length / 4);
      while (open.length > 0 && (open[open.length - 1]?.nesting ?? -1) >= nesting) open.pop();
      open.push({ name: unescapeName(subtest[2] ?? ''), nesting });
      continue;
    }
    if (VERSION.test(line)) {
      sawTap = true;
      continue;
    }
    const plan = PLAN.exec(line);
    if (plan) {
      if ((plan[1] ?? '').length === 0) topPlan = true;
      continue;
    }
    const summaryLine = SUMMARY.exec(line);
    if (summaryLine) {
      summary[summaryLine[1] ?? ''] = Number(summaryLine[2]);
      continue;
    }
    const comment = COMMENT.exec(line);
    if (comment) topComments.push(unescapeName(comment[1] ?? ''));
  }

  // Tests that started but never reported: the process died (or was killed) inside them.
  for (let k = open.length - 1; k >= 0; k--) {
    const started = open[k];
    if (!started) continue;
    const node: TapNode = {
      ok: false,
      name: started.name,
      details: {},
      children: collectChildren(started.nesting),
      comments: started.nesting === 0 ? topComments : [],
      unfinished: true,
    };
    add(started.nesting, node);
  }
  const roots = collectChildren(-1);
  return { roots, sawTap, complete: topPlan && summary.tests !== undefined, summary };
}

function isTapLine(line: string): boolean {
  return RESULT.test(line) || SUBTEST.test(line) || PLAN.test(line) || line.trimStart().startsWith('#');
}


/** The YAML diagnostic block of one result: scalars decoded, nested values and `|-` blocks as text. */
type TapDetails = Partial<Record<string, string | null>>;

/** Decodes a scalar as Node writes it: `util.inspect` of a string ('…', "…" or `…`), `~`, or plain text. */
function decodeScalar(raw: string): string | null {
  const text = raw.trim();
  if (text === '~') return null;
  const quote = text[0];
  if (text.length >= 2 && (quote === "'" || quote === '"' || quote === '`') && text.endsWith(quote)) {
    return text.slice(1, -1).replace(/\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)/g, (_, escape: string) => {
      if (escape.startsWith('u{')) return String.fromCodePoint(Number.parseInt(escape.slice(2, -1), 16));
      if (escape.length > 1) return String.fromCharCode(Number.parseInt(escape.slice(1), 16));
      const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v', '0': '\0' };
      return simple[escape] ?? escape;
    });
  }
  return text;
}

/** Parses the lines between `---` and `...`; keys sit at `base` indentation. Unknown shapes are skipped. */
function parseDetails(block: string[], base: number): TapDetails {
  const details: TapDetails = {};
  for (let i = 0; i < block.length; i++) {
    const line = block[i] ?? '';
    if (indentOf(line) !== base) continue;
    const entry = /^(\w+):(?: (.*))?$/.exec(line.slice(base));
    if (!entry) continue;
    const key = entry[1] ?? '';
    const rest = entry[2];
    if (rest !== undefined && !/^[|>][-+]?$/.test(rest.trim())) {
      details[key] = decodeScalar(rest);
      continue;
    }
    // A block scalar (`|-`) or a nested mapping: every following line indented deeper (or blank).
    const nested: string[] = [];
    while (i + 1 < block.length) {
      const next = block[i + 1] ?? '';
      if (next.trim() !== '' && indentOf(next) <= base) break;
      nested.push(next.slice(base + 2));
      i++;
    }
    details[key] = nested.join('\n').replace(/\s+$/, '');
  }
  return details;
}

/** Turns absolute paths and `file://` URLs of the run into project paths. */
class PathMapper {
  readonly root: string | undefined;

  constructor(root: string | undefined, private readonly files: string[], samples: string[]) {
    this.root = root?.replace(/\/+$/, '') || this.inferRoot(samples);
  }

  private inferRoot(samples: string[]): string | undefined {
    for (const sample of samples) {
      const path = this.fromUrl(sample);
      const file = [...this.files].sort((a, b) => b.length - a.length).find((f) => path.endsWith(`/${f}`));
      if (file) return path.slice(0, -file.length - 1);
    }
    return undefined;
  }

  private fromUrl(path: string): string {
    if (!path.startsWith('file://')) return path;
    try {
      return decodeURIComponent(path.slice('file://'.length));
    } catch {
      return path.slice('file://'.length);
    }
  }

  /** The project path of an absolute path, or null when it is not under the run's folder. */
  relative(path: string): string | null {
    const plain = this.fromUrl(path);
    if (this.root && plain.startsWith(`${this.root}/`)) return plain.slice(this.root.length + 1);
    return this.files.includes(plain) ? plain : null;
  }

  /** `rel/path:line:column` for a location or stack frame. */
  location(raw: string): { file: string; location: string } | null {
    const match = /^(.*):(\d+):(\d+)$/.exec(raw.trim());
    if (!match) return null;
    const file = this.relative(match[1] ?? '');
    return file === null ? null : { file, location: `${file}:${match[2]}:${match[3]}` };
  }

  /** Text with the run's folder removed from paths and URLs. */
  text(text: string): string {
    if (!this.root) return text;
    return text.replaceAll(`file://${this.root}/`, '').replaceAll(`${this.root}/`, '');
  }
}

function isTimeout(details: TapDetails): boolean {
  return details.failureType === 'testTimeoutFailure' || /test timed out after/.test(details.error ?? '');
}

/** The first stack frame inside the project, e.g. `src/a.test.js:4:30`. */
function firstProjectFrame(stack: string | null | undefined, paths: PathMapper): string | undefined {
  for (const frame of (stack ?? '').split('\n')) {
    const match = /\(?((?:file:\/\/)?\/[^()\s]*:\d+:\d+)\)?\s*$/.exec(frame.trim());
    const found = match && paths.location(match[1] ?? '');
    if (found && !found.file.includes('node_modules/')) return found.location;
  }
  return undefined;
}

/**
 * What a crashed test file printed, without Node's internals: the frames and source excerpt of
 * `node:internal` code (shown when Node itself throws, e.g. for a missing module) and the version banner.
 */
function crashText(comments: string[]): string {
  let lines = comments.filter((line) => !/^\s+at .*node:internal|^Node\.js v\d|^\}$/.test(line));
  if (/^node:internal\//.test(lines[0] ?? '')) {
    const errorLine = lines.findIndex((line) => /\bError\b/.test(line));
    if (errorLine > 0) lines = lines.slice(errorLine);
  }
  return lines.join('\n').trim();
}

/** What a reader needs to fix a failure: the error, the values compared, where it was thrown. */
function failureMessage(node: TapNode, paths: PathMapper, isFile: boolean): string {
  const d = node.details;
  if (node.unfinished) return 'did not finish: the test process ended before this test reported a result';
  const parts: string[] = [];
  let error = d.error ?? (node.ok ? '' : 'failed');
  if (isFile && error === 'test failed') error = '';
  if (d.name && d.name !== 'AssertionError' && !error.startsWith(d.name)) error = `${d.name}: ${error}`;
  if (error) parts.push(error);
  if (!error.includes('\n') && (d.expected !== undefined || d.actual !== undefined) && d.operator !== undefined) {
    parts.push(`expected: ${d.expected ?? 'null'}`, `actual: ${d.actual ?? 'null'}`);
  }
  if (isFile) {
    if (isTimeout(d)) parts.push('The whole file was stopped at its time limit (a busy loop, or a timer or server that never ends?); its tests that had not reported are lost.');
    const crash = crashText(node.comments);
    if (crash) parts.push(crash);
    if (d.exitCode !== undefined && d.exitCode !== null) parts.push(`The test file exited with code ${d.exitCode}.`);
    if (d.signal) parts.push(`The test file was killed by ${d.signal}.`);
  }
  const frame = firstProjectFrame(d.stack, paths);
  if (frame) parts.push(`at ${frame}`);
  const message = paths.text(parts.join('\n')).trim();
  return message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE - 1)}…` : message;
}

interface Tally {
  passed: number;
  failed: number;
  skipped: number;
  todo: number;
  failures: TestFailure[];
  timedOut: string[];
}

function tally(roots: TapNode[], paths: PathMapper, files: string[]): Tally {
  const result: Tally = { passed: 0, failed: 0, skipped: 0, todo: 0, failures: [], timedOut: [] };
  const soleFile = files.length === 1 ? files[0] : undefined;

  const fail = (node: TapNode, names: string[], file: string | undefined, isFile: boolean) => {
    result.failed++;
    const where = node.details.location ? paths.location(node.details.location) : null;
    const failureFile = isFile ? (file ?? '') : (where?.file ?? file ?? soleFile ?? '');
    const name = names.join(' > ') || failureFile || node.name;
    const failure: TestFailure = { name, file: failureFile, message: failureMessage(node, paths, isFile) };
    if (where && !isFile) failure.location = where.location;
    result.failures.push(failure);
    if (isTimeout(node.details)) result.timedOut.push(isFile ? failureFile : name);
  };

  const visit = (node: TapNode, ancestors: string[], file: string | undefined, depth: number) => {
    const asFile = depth === 0 && /^(?:file:\/\/)?\//.test(node.name) ? paths.relative(node.name) : null;
    const isFile = asFile !== null;
    const names = isFile ? [] : [...ancestors, node.name];
    const nodeFile = asFile ?? file;
    const isSuite = node.details.type === 'suite';
    if (node.children.length > 0) {
      const ownFailure = !node.ok && node.details.failureType !== 'subtestsFailed' && node.directive !== 'todo';
      if (ownFailure) fail(node, names, nodeFile, isFile);
      for (const child of node.children) visit(child, names, nodeFile, depth + 1);
      return;
    }
    if (node.directive === 'skip') {
      if (!isSuite) result.skipped++;
    } else if (node.directive === 'todo') {
      if (!isSuite) result.todo++;
    } else if (!node.ok) {
      fail(node, names, nodeFile, isFile);
    } else if (!isSuite) {
      result.passed++;
    }
  };

  for (const root of roots) visit(root, [], undefined, 0);
  return result;
}

/** The last part of the output, for failures that only the output can explain. */
function outputTail(output: string, paths: PathMapper): string {
  const text = paths.text(output).trim();
  return text.length > MAX_MESSAGE ? `…${text.slice(-(MAX_MESSAGE - 1))}` : text;
}

/**
 * The report of one `node --test --test-reporter=tap` run from its output. `failures[].name` joins the
 * parents with " > "; `file` and `location` are project-relative; `timedOut` holds timed-out files (as
 * project paths) and tests (as full names).
 */
export function parseTap(output: string, options: TapParseOptions = {}): TestReport {
  const clean = stripAnsi(output).replace(/\r\n?/g, '\n');
  const lines = clean.split('\n');
  const files = options.files ?? [];
  const tree = readTree(lines);
  const samples = [
    ...lines.filter((line) => /^\s*location: /.test(line)).map((line) => (decodeScalar(line.replace(/^\s*location: /, '')) ?? '').replace(/:\d+:\d+$/, '')),
    ...tree.roots.map((root) => root.name),
  ];
  const paths = new PathMapper(options.root, files, samples);
  const counts = tally(tree.roots, paths, files);
  const runFailure = (message: string) => {
    counts.failed++;
    counts.failures.push({ name: 'node --test', file: files.length === 1 ? (files[0] ?? '') : '', message });
  };

  if (!tree.sawTap) {
    runFailure(`The test runner printed no test results.${clean.trim() ? `\n${outputTail(clean, paths)}` : ' It printed nothing.'}`);
  } else if (!tree.complete) {
    runFailure(`The test run stopped before it finished (no final summary). Last output:\n${outputTail(clean, paths)}`);
  } else if (counts.failed === 0) {
    const reported = (tree.summary.fail ?? 0) + (tree.summary.cancelled ?? 0);
    if (reported > 0) runFailure(`The runner reported ${reported} failing or cancelled tests.\n${outputTail(clean, paths)}`);
    else if (options.exitCode !== undefined && options.exitCode !== null && options.exitCode !== 0) {
      runFailure(`The test runner exited with code ${options.exitCode}.\n${outputTail(clean, paths)}`);
    }
  }

  return {
    passed: counts.passed,
    failed: counts.failed,
    skipped: counts.skipped,
    todo: counts.todo,
    failures: counts.failures,
    timedOut: counts.timedOut,
    output: truncateOutput(paths.text(clean), options.outputLimit ?? OUTPUT_LIMIT),
    durationMs: options.durationMs ?? tree.summary.duration_ms ?? 0,
  };
}
