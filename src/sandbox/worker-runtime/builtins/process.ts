/**
 * `process` and `console` for the worker: what generated code and the assert/util ports read from Node's
 * process (`argv`, `env`, `exit`, `exitCode`, `cwd`, `nextTick`, `hrtime`, `stdout`/`stderr`, `platform`,
 * `version(s)`, `emitWarning`, `on('exit')`), with output captured for the report instead of a terminal.
 * `process.exit()` ends the file or program at once, as in Node: nothing after it is reported.
 */
import { EventEmitter } from './events.ts';

export const NODE_VERSION = 'v20.20.2';

export type Write = (stream: 'stdout' | 'stderr', text: string) => void;

/** Thrown by `process.exit()` to unwind the generated code; the runtime treats it as the exit. */
export class ProcessExit extends Error {
  constructor(readonly code: number) {
    super(`process.exit(${code})`);
  }
}

export interface ProcessOptions {
  argv: string[];
  write: Write;
  /** Called once, first thing, when the program exits through `process.exit()`. */
  onExit(code: number): void;
}

function stream(write: Write, name: 'stdout' | 'stderr') {
  return {
    isTTY: false,
    columns: 80,
    rows: 24,
    fd: name === 'stdout' ? 1 : 2,
    write(chunk: unknown, encoding?: unknown, callback?: unknown) {
      write(name, typeof chunk === 'string' ? chunk : chunk instanceof Uint8Array ? new TextDecoder().decode(chunk) : String(chunk));
      const done = typeof encoding === 'function' ? encoding : callback;
      if (typeof done === 'function') queueMicrotask(() => (done as () => void)());
      return true;
    },
    on() {
      return this;
    },
    once() {
      return this;
    },
    end() {},
  };
}

export type NodeProcess = EventEmitter & Record<string, unknown> & { exitCode: number | undefined };

export function createProcess(options: ProcessOptions): NodeProcess {
  const started = performance.now();
  const process = new EventEmitter() as NodeProcess;
  const hrtime = (previous?: [number, number]): [number, number] => {
    const nanos = BigInt(Math.round((performance.timeOrigin + performance.now()) * 1e6));
    let seconds = Number(nanos / 1_000_000_000n);
    let rest = Number(nanos % 1_000_000_000n);
    if (previous) {
      seconds -= previous[0];
      rest -= previous[1];
      if (rest < 0) {
        seconds--;
        rest += 1e9;
      }
    }
    return [seconds, rest];
  };
  hrtime.bigint = () => BigInt(Math.round((performance.timeOrigin + performance.now()) * 1e6));
  let exiting = false;
  Object.assign(process, {
    argv: options.argv,
    argv0: 'node',
    execArgv: [],
    execPath: '/usr/local/bin/node',
    env: { NODE_ENV: 'test' },
    title: 'node',
    pid: 1,
    ppid: 0,
    platform: 'linux',
    arch: 'x64',
    version: NODE_VERSION,
    versions: { node: NODE_VERSION.slice(1) },
    release: { name: 'node' },
    exitCode: undefined,
    noDeprecation: false,
    throwDeprecation: false,
    traceDeprecation: false,
    cwd: () => '/project',
    uptime: () => (performance.now() - started) / 1000,
    hrtime,
    memoryUsage: () => ({ rss: 0, heapTotal: 0, heapUsed: 0, external: 0, arrayBuffers: 0 }),
    nextTick: (callback: (...args: unknown[]) => void, ...args: unknown[]) => queueMicrotask(() => callback(...args)),
    stdout: stream(options.write, 'stdout'),
    stderr: stream(options.write, 'stderr'),
    emitWarning: (warning: unknown, type?: unknown) => {
      const name = typeof type === 'string' ? type : warning instanceof Error ? warning.name : 'Warning';
      const message = warning instanceof Error ? warning.message : String(warning);
      options.write('stderr', `(node:1) ${name}: ${message}\n`);
    },
    exit: (code?: unknown) => {
      const exitCode = code === undefined ? (process.exitCode ?? 0) : Number(code) || 0;
      if (!exiting) {
        exiting = true;
        process.exitCode = exitCode;
        try {
          process.emit('exit', exitCode);
        } finally {
          options.onExit(exitCode);
        }
      }
      throw new ProcessExit(exitCode);
    },
  });
  return process;
}

/**
 * A console that writes where the runtime says, formatting like Node's (`util.format`): `log`, `info`,
 * `debug` to stdout; `error`, `warn`, `trace` to stderr; `group` indents; `count`, `time`, `table`, `dir`,
 * `assert` as in Node.
 */
export function createConsole(write: Write, format: (...args: unknown[]) => string, inspect: (value: unknown) => string): Record<string, unknown> {
  let indent = '';
  const counts = new Map<string, number>();
  const timers = new Map<string, number>();
  const out = (stream: 'stdout' | 'stderr') => (...args: unknown[]) => {
    const text = format(...args);
    write(stream, `${indent ? text.replace(/^/gm, indent) : text}\n`);
  };
  const log = out('stdout');
  const error = out('stderr');
  return {
    log,
    info: log,
    debug: log,
    error,
    warn: error,
    trace: (...args: unknown[]) => error(`Trace: ${format(...args)}\n${(new Error().stack ?? '').split('\n').slice(2).join('\n')}`),
    dir: (value: unknown) => log(inspect(value)),
    table: (data: unknown) => log(inspect(data)),
    assert: (condition: unknown, ...args: unknown[]) => {
      if (!condition) error(args.length > 0 ? `Assertion failed: ${format(...args)}` : 'Assertion failed');
    },
    count: (label = 'default') => {
      const count = (counts.get(label) ?? 0) + 1;
      counts.set(label, count);
      log(`${label}: ${count}`);
    },
    countReset: (label = 'default') => counts.delete(label),
    time: (label = 'default') => timers.set(label, performance.now()),
    timeLog: (label = 'default', ...args: unknown[]) => log(`${label}: ${(performance.now() - (timers.get(label) ?? 0)).toFixed(3)}ms`, ...args),
    timeEnd: (label = 'default') => {
      log(`${label}: ${(performance.now() - (timers.get(label) ?? 0)).toFixed(3)}ms`);
      timers.delete(label);
    },
    group: (...args: unknown[]) => {
      if (args.length > 0) log(...args);
      indent += '  ';
    },
    groupCollapsed: (...args: unknown[]) => {
      if (args.length > 0) log(...args);
      indent += '  ';
    },
    groupEnd: () => {
      indent = indent.slice(2);
    },
  };
}
