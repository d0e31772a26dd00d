/**
 * The test tree of `node:test` with Node 20's semantics, written for the worker (no async_hooks):
 * - a test runs its parent's `before` hooks (once), then its parent's `beforeEach` hooks, then its body
 *   (raced against its `timeout`; a body with two parameters gets a `done` callback), then `afterEach`
 *   and its own `after` hooks; a hook failure fails the test with "failed running … hook";
 * - a suite (`describe`) collects its children synchronously when declared and runs them on its turn;
 * - children run `concurrency` at a time (1 by default: in order) and are reported in declaration order,
 *   a parent after its children; a parent fails when a child fails ("N subtests failed") unless the child
 *   is a todo; children still running when their parent ends are cancelled;
 * - `skip` tests never run; `todo` tests run and their failures do not count.
 * Each node emits Node's reporter events (`start`, `result`, `plan`, `diagnostic`) through `TestServices`.
 *
 * `Test` is one class longer than most modules: its run, its place in its parent's queue and its turn in
 * the report share state (as in Node's own implementation); suites (`suite.ts`), hooks (`hook.ts`) and the
 * `t` context (`context.ts`) live apart.
 */
import { invokeBody, noop, stopAt, type Body, type Stopper } from './body.ts';
import { TestContext } from './context.ts';
import { isTestFailure, shownError, TestFailureError } from './failure.ts';
import { Hook } from './hook.ts';
import type { MockTracker } from './mock.ts';
import type { ErrorInfo, TestEvent } from '../protocol.ts';

export interface TestServices {
  emit(event: TestEvent): void;
  serialize(error: unknown): ErrorInfo;
  now(): number;
  /** A timer that does not keep the file alive (Node unrefs test time-outs). */
  setTimer(callback: () => void, ms: number): () => void;
  /** Runs `body` with `test` as the parent of `test()`/hooks called synchronously from it. */
  within<T>(test: Test, body: () => T): T;
  /** The file has crashed or exited: nothing more is reported. */
  stopped(): boolean;
}

export interface TestOptions {
  concurrency?: number | boolean;
  only?: boolean;
  skip?: boolean | string;
  todo?: boolean | string;
  timeout?: number;
  signal?: AbortSignal;
}

type Hooks = Record<'before' | 'after' | 'beforeEach' | 'afterEach', Hook[]>;
export type HookName = keyof Hooks;
const ONLY_WARNING = "'only' and 'runOnly' require the --test-only command-line option.";

export interface CreateArgs {
  name: unknown;
  options: unknown;
  fn: unknown;
  location?: string | undefined;
  /** `test.skip(...)` and friends: applied over the caller's options. */
  overrides?: TestOptions;
}

export class Test {
  readonly services: TestServices;
  name: string;
  parent: Test | null;
  root: Test;
  fn: Body;
  nesting: number;
  testNumber: number;
  concurrency: number;
  timeout: number | null;
  hooks: Hooks;
  only: boolean;
  runOnlySubtests: boolean;
  subtests: Test[] = [];
  activeSubtests = 0;
  pending: { test: Test; resolve: () => void }[] = [];
  ready = new Map<number, Test>();
  waitingOn = 1;
  skipped: boolean;
  isTodo: boolean;
  message: string | null;
  passed = false;
  error: TestFailureError | null = null;
  cancelled = false;
  startTime: number | null = null;
  endTime: number | null = null;
  completed = false;
  finished = false;
  buildPhaseFinished = false;
  diagnostics: string[] = [];
  location: string | undefined;
  controller = new AbortController();
  outerSignal: AbortSignal | undefined;
  mock: MockTracker | null = null;
  private reportedStart = false;
  readonly kind: 'test' | 'suite' = 'test';

  constructor(services: TestServices, parent: Test | null, args: CreateArgs, options: TestOptions) {
    this.services = services;
    let fn: Body = typeof args.fn === 'function' ? (args.fn as Body) : noop;
    this.name = typeof args.name === 'string' && args.name !== '' ? args.name : fn.name || '<anonymous>';
    this.parent = parent;
    if (parent === null) {
      this.root = this;
      this.nesting = 0;
      this.testNumber = 0;
      this.concurrency = 1;
      this.timeout = null;
      this.only = false;
      this.runOnlySubtests = false;
      this.hooks = { before: [], after: [], beforeEach: [], afterEach: [] };
    } else {
      this.root = parent.root;
      this.nesting = parent.parent === null ? parent.nesting : parent.nesting + 1;
      this.testNumber = parent.subtests.length + 1;
      this.concurrency = parent.concurrency;
      this.timeout = parent.timeout;
      this.only = options.only ?? !parent.runOnlySubtests;
      this.runOnlySubtests = !this.only;
      this.hooks = { before: [], after: [], beforeEach: [...parent.hooks.beforeEach], afterEach: [...parent.hooks.afterEach] };
    }
    if (typeof options.concurrency === 'number') this.concurrency = Math.max(1, options.concurrency);
    else if (options.concurrency === true) this.concurrency = parent === null ? 1 : Infinity;
    else if (options.concurrency === false) this.concurrency = 1;
    if (typeof options.timeout === 'number' && options.timeout !== Infinity) this.timeout = options.timeout;
    const skip = options.skip;
    const todo = options.todo;
    if (skip) fn = noop;
    this.fn = fn;
    this.skipped = skip !== undefined && skip !== false;
    this.isTodo = todo !== undefined && todo !== false;
    this.message = typeof skip === 'string' ? skip : typeof todo === 'string' ? todo : null;
    this.location = args.location;
    this.outerSignal = options.signal;
    this.outerSignal?.addEventListener('abort', this.abortHandler);
    if (options.only || (parent !== null && this.runOnlySubtests)) this.diagnostics.push(ONLY_WARNING);
  }

  private abortHandler = (): void => {
    const reason: unknown = this.outerSignal?.reason;
    const error = reason instanceof Error ? reason : new Error('The test was aborted');
    this.cancel(new TestFailureError(error, 'testAborted'));
  };

  /** Adds a child test or suite (`t.test`, `test()` in a suite, ...); a finished parent hands it to the root. */
  createSubtest(Kind: typeof Test, args: CreateArgs): Test {
    let { name, options, fn } = args;
    if (typeof name === 'function') fn = name;
    else if (name !== null && typeof name === 'object') {
      fn = options;
      options = name;
    } else if (typeof options === 'function') fn = options;
    const opts = { ...(options !== null && typeof options === 'object' ? options : {}), ...args.overrides } as TestOptions;
    let parent: Test = this;
    const late = this.finished || this.completed || this.buildPhaseFinished;
    if (late) parent = this.root;
    const test = new Kind(this.services, parent, { name, options: opts, fn, location: args.location }, opts);
    if (late) {
      test.startTime = this.services.now();
      test.fail(new TestFailureError('test could not be started because its parent finished', 'parentAlreadyFinished'));
    }
    parent.subtests.push(test);
    return test;
  }

  /** `t.test(...)`: a child test, started at once (it waits its turn when the parent is at its concurrency). */
  createChildTest(args: CreateArgs): Promise<void> {
    return this.createSubtest(Test, args).start();
  }

  createHook(name: HookName, fn: unknown, options: unknown): void {
    const opts = (options !== null && typeof options === 'object' ? options : {}) as TestOptions;
    const timeout = typeof opts.timeout === 'number' && opts.timeout !== Infinity ? opts.timeout : null;
    this.hooks[name].push(new Hook(this.services, typeof fn === 'function' ? (fn as Body) : noop, timeout, name === 'before' || name === 'after'));
  }

  hasConcurrency(): boolean {
    return this.concurrency > this.activeSubtests;
  }

  start(): Promise<void> {
    if (this.parent && !this.parent.hasConcurrency()) {
      return new Promise((resolve) => this.parent!.pending.push({ test: this, resolve }));
    }
    return this.run();
  }

  async processPending(): Promise<void> {
    while (this.pending.length > 0 && this.hasConcurrency()) {
      const next = this.pending.shift()!;
      await next.test.run();
      next.resolve();
    }
  }

  protected shouldAbort(): boolean {
    if (this.controller.signal.aborted) return true;
    if (this.outerSignal?.aborted) {
      this.abortHandler();
      return true;
    }
    return false;
  }

  /** The context a body gets (`t`). */
  context(): object {
    return new TestContext(this);
  }

  async runHook(name: HookName, context: object): Promise<void> {
    try {
      for (const hook of this.hooks[name]) {
        await hook.runWith(this, context);
        if (hook.error) throw hook.error;
      }
    } catch (error) {
      const failure = new TestFailureError(`failed running ${name} hook`, 'hookFailed');
      failure.cause = isTestFailure(error) ? error.cause : error;
      throw failure;
    }
  }

  /** Runs `fn` with the context (see `invokeBody`); a body that takes `done` AND returns a promise fails. */
  protected invoke(fn: Body, context: object): Promise<unknown> {
    return invokeBody(fn, context, (body) => this.services.within(this, body), () =>
      this.fail(new TestFailureError('passed a callback but also returned a Promise', 'callbackAndPromisePresent')),
    );
  }

  /** Resolves at the time-out (rejecting with Node's error) or when the test is aborted. */
  protected stopper(): Stopper {
    return stopAt(this.timeout, this.controller.signal, this.services.setTimer);
  }

  async run(): Promise<void> {
    if (this.parent) this.parent.activeSubtests++;
    this.startTime = this.services.now();
    if (this.parent) this.emit({ type: 'begin', name: [...this.parentNames(), this.name].join(' > ') });
    if (this.shouldAbort()) {
      this.postRun();
      return;
    }
    const context = this.context();
    let afterEachDone = false;
    const afterEach = async () => {
      if (afterEachDone) return;
      afterEachDone = true;
      if (this.parent && this.parent.hooks.afterEach.length > 0) await this.parent.runHook('afterEach', context);
    };
    const after = async () => {
      if (this.hooks.after.length > 0) await this.runHook('after', context);
    };
    let stop: Stopper | undefined;
    try {
      if (this.parent && this.parent.hooks.before.length > 0) await this.parent.runHook('before', this.parent.context());
      if (this.parent && this.parent.hooks.beforeEach.length > 0) await this.parent.runHook('beforeEach', context);
      stop = this.stopper();
      await Promise.race([this.invoke(this.fn, context), stop.promise]);
      if (this.shouldAbort()) {
        this.postRun();
        return;
      }
      await afterEach();
      await after();
      this.pass();
    } catch (error) {
      try {
        await afterEach();
      } catch {
        // The test is failing already; Node ignores a second failure here.
      }
      try {
        await after();
      } catch {
        // As above.
      }
      if (isTestFailure(error)) {
        if (error.failureType === 'testTimeoutFailure') this.cancel(error);
        else this.fail(error);
      } else {
        this.fail(new TestFailureError(error, 'testCodeFailure'));
      }
    } finally {
      stop?.dispose();
      if (this.parent) this.controller.abort();
    }
    if (this.parent) this.postRun();
  }

  fail(error: TestFailureError): void {
    if (this.error !== null) return;
    this.endTime = this.services.now();
    this.passed = false;
    this.error = error;
  }

  pass(): void {
    if (this.endTime !== null) return;
    this.endTime = this.services.now();
    this.passed = true;
  }

  cancel(error?: TestFailureError): void {
    if (this.endTime !== null) return;
    this.fail(error ?? new TestFailureError('test did not finish before its parent and was cancelled', 'cancelledByParent'));
    this.startTime ??= this.endTime;
    this.cancelled = true;
    this.controller.abort();
  }

  postRun(pendingError?: TestFailureError): void {
    this.endTime ??= this.services.now();
    this.startTime ??= this.endTime;
    this.pending = [];
    let failed = 0;
    for (const subtest of this.subtests) {
      if (!subtest.completed) {
        subtest.cancel(pendingError);
        subtest.postRun(pendingError);
      }
      if (!subtest.passed && !subtest.isTodo) failed++;
    }
    if ((this.passed || this.parent === null) && failed > 0) {
      this.fail(new TestFailureError(`${failed} subtest${failed > 1 ? 's' : ''} failed`, 'subtestsFailed'));
    }
    this.outerSignal?.removeEventListener('abort', this.abortHandler);
    this.mock?.reset();
    this.completed = true;
    const parent = this.parent;
    if (!parent) return;
    parent.activeSubtests--;
    parent.ready.set(this.testNumber, this);
    parent.processReady(false);
    void parent.processPending();
    if (parent === this.root && parent.activeSubtests === 0 && parent.pending.length === 0 && parent.ready.size === 0 && parent.hooks.after.length > 0) {
      void this.root.run();
    }
  }

  isClearToSend(): boolean {
    return this.parent === null || (this.parent.waitingOn === this.testNumber && this.parent.isClearToSend());
  }

  processReady(canSend: boolean): void {
    for (;;) {
      const subtest = this.ready.get(this.waitingOn);
      if (!subtest) return;
      canSend = canSend || this.isClearToSend();
      if (!canSend) return;
      if (this.waitingOn === 1 && this.parent !== null) this.reportStarted();
      this.ready.delete(this.waitingOn);
      subtest.finalize();
    }
  }

  private finalize(): void {
    this.processReady(true);
    this.report();
    this.parent!.waitingOn++;
    this.finished = true;
  }

  private emit(event: TestEvent): void {
    if (!this.services.stopped()) this.services.emit(event);
  }

  private reportStarted(): void {
    if (this.reportedStart || this.parent === null) return;
    this.reportedStart = true;
    this.parent.reportStarted();
    this.emit({ type: 'start', nesting: this.nesting, name: this.name });
  }

  private parentNames(): string[] {
    const names: string[] = [];
    for (let node = this.parent; node && node.parent; node = node.parent) names.unshift(node.name);
    return names;
  }

  private report(): void {
    if (this.subtests.length > 0) this.emit({ type: 'plan', nesting: this.subtests[0]!.nesting, count: this.subtests.length });
    else this.reportStarted();
    const event: Extract<TestEvent, { type: 'result' }> = {
      type: 'result',
      passed: this.passed,
      nesting: this.nesting,
      testNumber: this.testNumber,
      name: this.name,
      parents: this.parentNames(),
      durationMs: (this.endTime ?? 0) - (this.startTime ?? 0),
      suite: this.kind === 'suite',
      cancelled: this.cancelled,
    };
    if (this.skipped) event.skip = this.message ?? true;
    else if (this.isTodo) event.todo = this.message ?? true;
    if (this.location) event.location = this.location;
    if (!this.passed && this.error) {
      event.failureType = this.error.failureType;
      event.error = this.services.serialize(shownError(this.error));
    }
    this.emit(event);
    for (const message of this.diagnostics) this.emit({ type: 'diagnostic', nesting: this.nesting, message });
  }
}

