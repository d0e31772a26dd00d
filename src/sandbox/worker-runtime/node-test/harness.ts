/**
 * One test file's run of `node:test`: the root of the tree, the module's API (`test`, `describe`, `it`,
 * hooks, `mock`), errors nobody caught, and the end of the file.
 *
 * Node runs each file in its own process and ends it when the event loop is empty; the worker has no such
 * signal, so the file ends when the module has evaluated and no timer that would keep Node's loop alive is
 * pending (the timers shim counts them, `unref` included). Tests still waiting then are cancelled as Node
 * cancels them. A file that never gets there (a busy loop, an interval never cleared) is stopped by the main
 * thread at its time limit, as `node --test` stops it.
 */
import { MockTracker } from './mock.ts';
import { TestFailureError, type FailureType } from './failure.ts';
import { locateCaller } from './context.ts';
import { Suite } from './suite.ts';
import { Test, type HookName, type TestOptions, type TestServices } from './tests.ts';
import type { ErrorInfo, TestEvent } from '../protocol.ts';

export interface HarnessHost {
  emit(event: TestEvent): void;
  serialize(error: unknown): ErrorInfo;
  now(): number;
  /** A timer that keeps nothing alive; returns its cancel function. */
  setTimer(callback: () => void, ms: number): () => void;
  /** Timers and immediates of the generated code that would keep Node's event loop alive. */
  liveHandles(): number;
}

type Runner = ((name?: unknown, options?: unknown, fn?: unknown) => Promise<void>) & {
  skip: (name?: unknown, options?: unknown, fn?: unknown) => Promise<void>;
  todo: (name?: unknown, options?: unknown, fn?: unknown) => Promise<void>;
  only: (name?: unknown, options?: unknown, fn?: unknown) => Promise<void>;
};

const PENDING_AT_EXIT = 'Promise resolution is still pending but the event loop has already resolved';

export class TestHarness {
  readonly root: Test;
  readonly mock = new MockTracker();
  private current: Test | null = null;
  private halted = false;
  private readonly services: TestServices;

  constructor(private readonly host: HarnessHost) {
    this.services = {
      emit: (event) => host.emit(event),
      serialize: (error) => host.serialize(error),
      now: () => host.now(),
      setTimer: (callback, ms) => host.setTimer(callback, ms),
      within: (test, body) => {
        const previous = this.current;
        this.current = test;
        try {
          return body();
        } finally {
          this.current = previous;
        }
      },
      stopped: () => this.halted,
    };
    this.root = new Test(this.services, null, { name: '<root>', options: {}, fn: undefined }, {});
  }

  /** Nothing more is reported (the file crashed or called `process.exit`). */
  halt(): void {
    this.halted = true;
  }

  get stopped(): boolean {
    return this.halted;
  }

  private parent(): Test {
    return this.current ?? this.root;
  }

  private runner(Kind: typeof Test): Runner {
    const run = (overrides: TestOptions | undefined) => (name?: unknown, options?: unknown, fn?: unknown) => {
      const parent = this.parent();
      const test = parent.createSubtest(Kind, { name, options, fn, location: locateCaller(), overrides });
      if (parent instanceof Suite) return Promise.resolve();
      return this.startSoon(test);
    };
    return Object.assign(run(undefined), { skip: run({ skip: true }), todo: run({ todo: true }), only: run({ only: true }) });
  }

  /** Node starts a test once its reporters are set up: after the code that declared it, never inside it. */
  private async startSoon(test: Test): Promise<void> {
    await Promise.resolve();
    if (this.halted) return;
    await test.start();
  }

  private hook(name: HookName) {
    return (fn: unknown, options?: unknown) => {
      this.parent().createHook(name, fn, options);
    };
  }

  /** The exports of `node:test`. */
  api(): Record<string, unknown> {
    const test = this.runner(Test);
    const describe = this.runner(Suite);
    const hooks = { before: this.hook('before'), after: this.hook('after'), beforeEach: this.hook('beforeEach'), afterEach: this.hook('afterEach') };
    const exports: Record<string, unknown> = {
      test,
      it: test,
      describe,
      suite: describe,
      ...hooks,
      mock: this.mock,
      skip: test.skip,
      todo: test.todo,
      only: test.only,
    };
    Object.assign(test, { test, it: test, describe, suite: describe, ...hooks, mock: this.mock });
    return { ...exports, default: test };
  }

  /** The test an error nobody caught belongs to: the deepest one running (Node uses async context). */
  private runningTest(): Test | null {
    let found: Test | null = null;
    let node: Test = this.root;
    for (;;) {
      const running = node.subtests.find((t) => t.startTime !== null && !t.completed);
      if (!running) return found;
      found = running;
      node = running;
    }
  }

  /**
   * An error nobody caught (`error` or `unhandledrejection` in the worker): fails the running test as Node
   * does. Returns false when no test is running: then the file itself crashed.
   */
  uncaught(error: unknown, kind: Extract<FailureType, 'uncaughtException' | 'unhandledRejection'>): boolean {
    const test = this.runningTest();
    if (!test) return false;
    test.fail(new TestFailureError(error, kind));
    test.controller.abort();
    return true;
  }

  /**
   * Waits until the file is done, then ends it: what still waits is cancelled, as Node cancels it when its
   * event loop runs dry. With no live timer left nothing can make progress any more (the worker gets no
   * other events), so that is the moment Node's loop would be empty.
   */
  async finish(): Promise<void> {
    // Idle twice in a row: the browser reports a rejection nobody handled in a task of its own, queued
    // after the task that rejected, so one more turn lets it reach `uncaught` before the file ends.
    let idleTurns = 0;
    while (!this.halted && idleTurns < 2) {
      await new Promise<void>((resolve) => this.host.setTimer(resolve, 0));
      idleTurns = this.host.liveHandles() > 0 ? 0 : idleTurns + 1;
    }
    if (this.halted) return;
    this.root.postRun(new TestFailureError(PENDING_AT_EXIT, 'cancelledByParent'));
  }
}
