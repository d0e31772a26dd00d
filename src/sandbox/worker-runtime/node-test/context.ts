/**
 * What test bodies receive: `t` (Node 20's TestContext) in a test and its hooks, and the SuiteContext of a
 * `describe` body; and where a `test()` call comes from (its location in the generated file).
 */
import { MockTracker } from './mock.ts';
import type { Test } from './tests.ts';

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
    return this.#test.createChildTest({ name, options, fn, location });
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
