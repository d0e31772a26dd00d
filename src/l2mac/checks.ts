/**
 * The checks of the codebase domain (DESIGN.md §4, §7): the in-app syntax check of written files, the
 * sandbox's own runtime check of `.js/.mjs/.cjs` files at the gate, and the whole test suite, run with the
 * test files found in-app. Produces the `checks` object of the tool results and the gate's verdict.
 */
import { truncateOutput } from '../sandbox/output.ts';
import { checkSyntaxInApp, formatSyntaxIssue, isCheckedBySyntax } from '../sandbox/syntax.ts';
import { findTestFiles } from '../sandbox/test-files.ts';
import type { ExecOptions, RunFileResult, SyntaxIssue, TestReport } from '../sandbox/types.ts';
import type { CheckSummary } from './events.ts';
import type { Limits } from './run-state.ts';
import type { SandboxAccess } from './sandbox-access.ts';
import type { CheckRunner, GateResult } from './tools/types.ts';
import type { Workspace } from './workspace.ts';

export interface CodebaseChecksInit {
  workspace: Workspace;
  sandbox: SandboxAccess;
  limits: Limits;
  requirePassingTests: boolean;
  signal: AbortSignal;
  /** Live sandbox output (transient events). */
  onOutput: (text: string) => void;
}

type TestPart = Omit<CheckSummary, 'syntaxErrors' | 'ok'>;

const RUNTIME_CHECKED = /\.[cm]?js$/;

function noTests(): TestPart {
  return { passed: 0, failed: 0, skipped: 0, todo: 0, failures: [], timedOut: [], noTests: true };
}

function fromReport(report: TestReport): TestPart {
  const part: TestPart = {
    passed: report.passed,
    failed: report.failed,
    skipped: report.skipped,
    todo: report.todo,
    failures: report.failures,
    timedOut: report.timedOut,
    noTests: false,
    // The sandbox cuts its output already; cutting again is a no-op then, and a guard if it did not.
    output: truncateOutput(report.output),
  };
  if (report.unsupported) part.unsupported = report.unsupported;
  return part;
}

/** Tests that ran did not fail (no tests, or tests that could not run, are judged by the gate, not here). */
function testsClean(part: TestPart): boolean {
  return part.failed === 0 && part.timedOut.length === 0;
}

/** A failure's message on one line, short enough to list ten of them (the full text is in the checks). */
function oneLine(message: string): string {
  const flat = message.replace(/\s+/g, ' ').trim();
  return flat.length > 240 ? `${flat.slice(0, 240)}…` : flat;
}

function quoteFailures(part: TestPart): string {
  const names = part.failures.slice(0, 10).map((f) => `"${f.name}" (${f.file}): ${oneLine(f.message)}`);
  return names.join('; ') + (part.failures.length > 10 ? `; and ${part.failures.length - 10} more` : '');
}

export class CodebaseChecks implements CheckRunner {
  constructor(private readonly init: CodebaseChecksInit) {}

  private exec(timeoutMs: number): ExecOptions {
    return {
      signal: this.init.signal,
      timeoutMs,
      perFileTimeoutMs: this.init.limits.testTimeoutPerFileMs,
      onOutput: this.init.onOutput,
    };
  }

  private syntaxOf(paths: string[]): SyntaxIssue[] {
    const { workspace } = this.init;
    return paths.filter((p) => isCheckedBySyntax(p) && workspace.has(p)).flatMap((p) => checkSyntaxInApp(p, workspace.read(p) ?? ''));
  }

  private async suite(only?: string[]): Promise<TestPart> {
    const { workspace, sandbox, limits } = this.init;
    const tests = only ?? findTestFiles(workspace.paths());
    if (tests.length === 0) return noTests();
    const ready = await sandbox.ready(workspace, this.exec(limits.testTimeoutPerRunMs));
    if (!ready) {
      return { ...noTests(), noTests: false, unsupported: 'no sandbox is active here, so the tests cannot run (they need the full sandbox)' };
    }
    return fromReport(await ready.runTests(tests, this.exec(limits.testTimeoutPerRunMs)));
  }

  async afterWrite(paths: string[]): Promise<CheckSummary> {
    const syntaxErrors = this.syntaxOf(paths);
    const tests = await this.suite();
    return { syntaxErrors, ...tests, ok: syntaxErrors.length === 0 && testsClean(tests) };
  }

  async runTests(paths?: string[]): Promise<CheckSummary> {
    const tests = await this.suite(paths);
    return { syntaxErrors: [], ...tests, ok: testsClean(tests) };
  }

  /** Syntax of every file, in-app and, for plain JS, by the sandbox's own runtime (the final judge). */
  private async syntaxOfAll(): Promise<SyntaxIssue[]> {
    const { workspace, sandbox, limits } = this.init;
    const inApp = this.syntaxOf(workspace.paths());
    const flagged = new Set(inApp.map((i) => i.file));
    const runtimeChecked = workspace.paths().filter((p) => RUNTIME_CHECKED.test(p) && !flagged.has(p) && !p.split('/').includes('node_modules'));
    if (runtimeChecked.length === 0) return inApp;
    const ready = await sandbox.ready(workspace, this.exec(limits.testTimeoutPerRunMs));
    if (!ready) return inApp;
    const report = await ready.checkSyntax(runtimeChecked, this.exec(limits.testTimeoutPerRunMs));
    return [...inApp, ...report.issues];
  }

  async gate(): Promise<GateResult> {
    const syntaxErrors = await this.syntaxOfAll();
    const tests = await this.suite();
    const check: CheckSummary = { syntaxErrors, ...tests, ok: false };
    const verdict = (passed: boolean, message: string, testsNotRun = false): GateResult => {
      check.ok = passed;
      return { passed, message, check, testsNotRun };
    };
    const problems: string[] = [];
    if (syntaxErrors.length) problems.push(`syntax errors: ${syntaxErrors.slice(0, 10).map(formatSyntaxIssue).join('; ')}`);
    if (tests.noTests) {
      problems.push('there are no tests: write unit tests for this step with node:test, in files named *.test.js, that pass');
    } else if (tests.unsupported) {
      if (this.init.requirePassingTests) {
        problems.push(
          `the tests cannot run in the active sandbox: ${tests.unsupported}. "Require passing tests" is on, so the step cannot complete until they run here; keep the code and tests to what this sandbox supports`,
        );
      } else if (!syntaxErrors.length) {
        return verdict(true, `The step is complete, marked "tests not run": the active sandbox cannot run them (${tests.unsupported}).`, true);
      }
    } else {
      if (tests.failed) problems.push(`${tests.failed} test${tests.failed === 1 ? '' : 's'} failed: ${quoteFailures(tests)}`);
      if (tests.timedOut.length) problems.push(`stopped at the time limit (a time-out fails): ${tests.timedOut.join(', ')}`);
      if (!tests.failed && !tests.timedOut.length && tests.passed === 0) {
        problems.push(`no test passed (${tests.skipped} skipped, ${tests.todo} todo): write tests that run and pass`);
      }
    }
    if (problems.length) return verdict(false, `The step is not complete: ${problems.join('. ')}.`);
    return verdict(true, `The step is complete: no syntax errors, ${tests.passed} test${tests.passed === 1 ? '' : 's'} passed.`);
  }

  async runFile(path: string, args: string[]): Promise<RunFileResult> {
    const { workspace, sandbox, limits } = this.init;
    const ready = await sandbox.ready(workspace, this.exec(limits.runFileTimeoutMs));
    if (!ready) return { output: '', exitCode: null, timedOut: false, unsupported: 'no sandbox is active here, so files cannot run' };
    const result = await ready.runFile(path, args, this.exec(limits.runFileTimeoutMs));
    return { ...result, output: truncateOutput(result.output) };
  }
}
