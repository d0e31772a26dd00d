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
 * One file for the three node kinds (test, suite, hook): they share private state and the reporting
 * protocol, as Node's own implementation does.
 */
import { isTestFailure, shownError, TestFailureError } from './failure.ts';
import type { ErrorInfo, TestEvent } from '../protocol.ts';
import { MockTracker } from './mock.ts';

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
// Test bodies are arbitrary user functions.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Body = (...args: any[]) => unknown;

const noop: Body = () => undefined;
const ONLY_WARNING = "'only' and 'runOnly' require the --test-only command-line option.";

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

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
  readonly kind: 'test' | 'suite' | 'hook' = 'test';

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

  createHook(name: HookName, fn: unknown, options: unknown): void {
    const opts = (options !== null && typeof options === 'object' ? options : {}) as TestOptions;
    this.hooks[name].push(new Hook(this.services, typeof fn === 'function' ? (fn as Body) : noop, opts, name === 'before' || name === 'after'));
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
        await hook.runWith(context);
        if (hook.error) throw hook.error;
      }
    } catch (error) {
      const failure = new TestFailureError(`failed running ${name} hook`, 'hookFailed');
      failure.cause = isTestFailure(error) ? error.cause : error;
      throw failure;
    }
  }

  /** Runs `fn` with the context: a promise, or a `done` callback when it takes two parameters. */
  protected invoke(fn: Body, context: object): Promise<unknown> {
    if (fn.length === 2) {
      return new Promise((resolve, reject) => {
        const done = (error?: unknown) => (error ? reject(error) : resolve(undefined));
        const returned = this.services.within(this, () => fn.call(context, context, done));
        if (isThenable(returned)) {
          this.fail(new TestFailureError('passed a callback but also returned a Promise', 'callbackAndPromisePresent'));
          Promise.resolve(returned).then(resolve, reject);
        }
      });
    }
    return Promise.resolve(this.services.within(this, () => fn.call(context, context)));
  }

  /** Resolves at the time-out (rejecting with Node's error) or when the test is aborted. */
  protected stopper(): { promise: Promise<void>; dispose: () => void } {
    let clear = () => {};
    const signal = this.controller.signal;
    const promise = new Promise<void>((resolve, reject) => {
      const onAbort = () => resolve();
      signal.addEventListener('abort', onAbort);
      const timeout = this.timeout;
      const cancelTimer =
        timeout === null ? () => {} : this.services.setTimer(() => reject(new TestFailureError(`test timed out after ${timeout}ms`, 'testTimeoutFailure')), timeout);
      clear = () => {
        signal.removeEventListener('abort', onAbort);
        cancelTimer();
      };
    });
    promise.catch(() => undefined);
    return { promise, dispose: () => clear() };
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
    let stop: ReturnType<Test['stopper']> | undefined;
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

/** `describe()`: runs its body at once to collect its children, then runs them on its turn. */
export class Suite extends Test {
  override readonly kind = 'suite';
  private readonly build: Promise<void>;

  constructor(services: TestServices, parent: Test | null, args: CreateArgs, options: TestOptions) {
    super(services, parent, args, options);
    this.runOnlySubtests = false;
    const body = this.fn;
    let built: Promise<void>;
    try {
      const returned = services.within(this, () => body.call(this.context(), this.context()));
      built = Promise.resolve(returned).then(
        () => undefined,
        (error: unknown) => this.fail(new TestFailureError(error, 'testCodeFailure')),
      );
    } catch (error) {
      this.fail(new TestFailureError(error, 'testCodeFailure'));
      built = Promise.resolve();
    }
    this.build = built.finally(() => {
      this.buildPhaseFinished = true;
    });
    this.fn = noop;
  }

  override context(): object {
    return new SuiteContext(this);
  }

  override async run(): Promise<void> {
    const parent = this.parent!;
    let stop: ReturnType<Test['stopper']> | undefined;
    try {
      parent.activeSubtests++;
      await this.build;
      this.startTime = this.services.now();
      if (this.shouldAbort()) {
        this.subtests = [];
        this.postRun();
        return;
      }
      if (parent.hooks.before.length > 0) await parent.runHook('before', parent.context());
      await this.runHook('before', this.context());
      stop = this.stopper();
      const children = this.skipped || this.error ? [] : this.subtests;
      await Promise.race([Promise.all(children.map((child) => child.start())), stop.promise]);
      await this.runHook('after', this.context());
      this.pass();
    } catch (error) {
      this.fail(isTestFailure(error) ? error : new TestFailureError(error, 'testCodeFailure'));
    } finally {
      stop?.dispose();
    }
    this.postRun();
  }
}

/** A hook: a body run with the context of the test (or suite) it serves; `before`/`after` run once. */
export class Hook extends Test {
  override readonly kind = 'hook';
  private ran = false;

  constructor(services: TestServices, fn: Body, options: TestOptions, private readonly once: boolean) {
    super(services, null, { name: fn.name, options, fn }, options);
  }

  async runWith(context: object): Promise<void> {
    if (this.once && this.ran) return;
    this.ran = true;
    if (this.error) {
      this.passed = false;
      this.error = null;
      this.endTime = null;
      this.controller = new AbortController();
    }
    let stop: ReturnType<Test['stopper']> | undefined;
    this.startTime = this.services.now();
    try {
      stop = this.stopper();
      await Promise.race([this.invoke(this.fn, context), stop.promise]);
      this.pass();
    } catch (error) {
      this.fail(isTestFailure(error) ? error : new TestFailureError(error, 'testCodeFailure'));
    } finally {
      stop?.dispose();
    }
  }
}

/** `t` in a test: Node 20's TestContext. */
export class TestContext {
  readonly #test: Test;

  constructor(test: Test) {
    this.#test = test;
  }

  get name(): string {
    return this.#test.name;
  }

  get signal(): AbortSignal {
    return this.#test.controller.signal;
  }

  get mock(): MockTracker {
    this.#test.mock ??= new MockTracker();
    return this.#test.mock;
  }

  diagnostic(message: unknown): void {
    this.#test.diagnostics.push(String(message));
  }

  runOnly(value: unknown): void {
    this.#test.runOnlySubtests = Boolean(value);
  }

  skip(message?: string): void {
    this.#test.skipped = true;
    this.#test.message = message ?? null;
  }

  todo(message?: string): void {
    this.#test.isTodo = true;
    this.#test.message = message ?? null;
  }

  test(name?: unknown, options?: unknown, fn?: unknown): Promise<void> {
    const location = locateCaller();
    return this.#test.createSubtest(Test, { name, options, fn, location }).start();
  }

  before(fn: unknown, options?: unknown): void {
    this.#test.createHook('before', fn, options);
  }

  after(fn: unknown, options?: unknown): void {
    this.#test.createHook('after', fn, options);
  }

  beforeEach(fn: unknown, options?: unknown): void {
    this.#test.createHook('beforeEach', fn, options);
  }

  afterEach(fn: unknown, options?: unknown): void {
    this.#test.createHook('afterEach', fn, options);
  }
}

/** The context a `describe` body and its hooks get. */
export class SuiteContext {
  readonly #suite: Test;

  constructor(suite: Test) {
    this.#suite = suite;
  }

  get name(): string {
    return this.#suite.name;
  }

  get signal(): AbortSignal {
    return this.#suite.controller.signal;
  }
}

let locator: (stack: string | undefined) => string | undefined = () => undefined;

/** Sets how a caller's location is found (the worker maps blob: frames to project files). */
export function setCallerLocator(locate: (stack: string | undefined) => string | undefined): void {
  locator = locate;
}

/** Where the generated code that called into `node:test` is (`/project/a.test.js:3:1`). */
export function locateCaller(): string | undefined {
  return locator(new Error().stack);
}
