/**
 * Runs one job (a test file, or a program for `run_file`) inside the worker: builds the Node-like
 * environment (process, console, timers, built-in modules, `node:test`), loads the project's modules and
 * reports through `post` what the main thread turns into the report.
 *
 * Independent of the worker itself (the environment is passed in), so that the same code runs in Node for
 * the unit tests, with `data:` URLs where the worker uses `blob:` URLs.
 */
import { createBuiltins } from './builtins/index.ts';
import { format } from './builtins/format.ts';
import { inspect } from './builtins/inspect.ts';
import { createConsole, createProcess, ProcessExit } from './builtins/process.ts';
import { setWarningSink } from './builtins/events.ts';
import { createTimers, type NativeTimers } from './builtins/timers.ts';
import { isUnsupportedError, setUnsupportedListener } from './errors.ts';
import { ModuleLoader, type ModuleFunction } from './loader.ts';
import { createOutputBatcher } from './output-batch.ts';
import { TestHarness } from './node-test/harness.ts';
import { setCallerLocator } from './node-test/context.ts';
import { absolutePath } from './prepare/resolve.ts';
import { firstProjectLocation, mapStack } from './stack.ts';
import type { ErrorInfo, PreparedModule, RunJob, TestJob, WorkerMessage } from './protocol.ts';

export interface RuntimeEnvironment {
  /** Makes a transformed module's code importable and returns its generator function. */
  compile(module: PreparedModule): Promise<ModuleFunction>;
  post(message: WorkerMessage): void;
  timers: NativeTimers;
  /** Makes these the globals generated code sees; returns how to undo it. */
  installGlobals(globals: Record<string, unknown>): () => void;
  /** Registers the handler of errors nobody caught; returns how to undo it. */
  onUncaught(handler: (error: unknown, kind: 'uncaughtException' | 'unhandledRejection') => void): () => void;
}

/** Values in reports (an assertion's expected and actual): deeper than the console's default. */
const inspectValue = (value: unknown): string => inspect(value, { depth: 4 });

/** An error as the report needs it: message, code, mapped stack, the assertion's values. */
export function serializeError(error: unknown, depth = 0): ErrorInfo {
  if (!(error instanceof Error)) {
    return { name: 'Error', message: typeof error === 'string' ? error : inspectValue(error) };
  }
  const info: ErrorInfo = { name: error.name, message: error.message };
  const extra = error as Error & { code?: unknown; expected?: unknown; actual?: unknown; operator?: unknown; unsupported?: unknown };
  if (typeof extra.code === 'string') info.code = extra.code;
  if (typeof error.stack === 'string') info.stack = mapStack(error.stack);
  if (error.name === 'AssertionError') {
    info.expected = inspectValue(extra.expected);
    info.actual = inspectValue(extra.actual);
    if (typeof extra.operator === 'string') info.operator = extra.operator;
  }
  if (isUnsupportedError(error)) info.unsupported = error.unsupported;
  if (error.cause !== undefined && depth < 3) info.cause = serializeError(error.cause, depth + 1);
  return info;
}

export async function runJob(job: TestJob | RunJob, env: RuntimeEnvironment): Promise<void> {
  let finished = false;
  const out = createOutputBatcher((message) => env.post(message), env.timers);
  const write = (stream: 'stdout' | 'stderr', text: string) => {
    if (!finished) out.write(stream, text);
  };
  const done = (exitCode: number, error?: unknown) => {
    if (finished) return;
    const info = error === undefined ? undefined : serializeError(error);
    finished = true;
    out.post(info ? { type: 'done', exitCode, error: info } : { type: 'done', exitCode });
  };
  const reported = new Set<string>();
  setUnsupportedListener((reason) => {
    if (finished || reported.has(reason)) return;
    reported.add(reason);
    out.post({ type: 'unsupported', reason });
  });
  const timers = createTimers(env.timers);
  const harness = new TestHarness({
    emit: (event) => {
      if (!finished) out.post({ type: 'test', event });
    },
    serialize: (error) => serializeError(error),
    now: () => performance.now(),
    setTimer: (callback, ms) => {
      const id = env.timers.setTimeout(callback, ms);
      return () => env.timers.clearTimeout(id);
    },
    liveHandles: () => timers.liveHandles(),
  });
  const process = createProcess({
    argv: ['node', absolutePath(job.file), ...(job.op === 'run' ? job.args : [])],
    write,
    onExit: (code) => {
      harness.halt();
      done(code);
    },
  });
  setWarningSink((message, name) => (process.emitWarning as (m: string, n: string) => void)(message, name));
  const console = createConsole(write, format, (value) => inspect(value));
  setCallerLocator(firstProjectLocation);
  const builtins = createBuiltins({ nodeTest: harness.api(), process, console, timers });
  const restoreGlobals = env.installGlobals({
    process,
    console,
    global: globalThis,
    setTimeout: timers.setTimeout,
    setInterval: timers.setInterval,
    setImmediate: timers.setImmediate,
    clearTimeout: timers.clearTimeout,
    clearInterval: timers.clearInterval,
    clearImmediate: timers.clearImmediate,
  });
  const crash = (error: unknown) => {
    if (error instanceof ProcessExit || finished) return;
    harness.halt();
    const info = serializeError(error);
    write('stderr', `${info.stack ?? `${info.name}: ${info.message}`}\n`);
    done(1, error);
  };
  const restoreUncaught = env.onUncaught((error, kind) => {
    if (error instanceof ProcessExit) return;
    if (job.op === 'run' || !harness.uncaught(error, kind)) crash(error);
  });
  try {
    const loader = new ModuleLoader(job.project, { compile: env.compile, builtin: builtins });
    await loader.run(job.file, crash);
    if (finished) return;
    if (job.op === 'test') {
      await harness.finish();
      const failed = harness.root.subtests.some((t) => !t.passed && !t.isTodo && !t.skipped);
      done(process.exitCode ?? (failed ? 1 : 0));
    } else {
      // Done when no timer is left, seen on two turns in a row (see TestHarness.finish).
      await new Promise<void>((resolve) => {
        let idleTurns = 0;
        const check = () => {
          idleTurns = timers.liveHandles() === 0 ? idleTurns + 1 : 0;
          if (idleTurns >= 2 || finished) resolve();
          else env.timers.setTimeout(check, idleTurns > 0 ? 0 : 5);
        };
        env.timers.setTimeout(check, 0);
      });
      if (!finished) {
        process.emit('exit', process.exitCode ?? 0);
        done(process.exitCode ?? 0);
      }
    }
  } catch (error) {
    crash(error);
  } finally {
    setUnsupportedListener(null);
    restoreUncaught();
    restoreGlobals();
  }
}
