/**
 * A hook of `node:test` (`before`, `after`, `beforeEach`, `afterEach`): a body run with the context of the
 * test or suite it serves, with its own time-out; `before` and `after` run once, and a failed one fails
 * every test that asks for it again (Node keeps the hook's error).
 */
import { invokeBody, stopAt, type Body } from './body.ts';
import { isTestFailure, TestFailureError } from './failure.ts';
import type { Test, TestServices } from './tests.ts';

export class Hook {
  error: TestFailureError | null = null;
  private ran = false;

  constructor(
    private readonly services: TestServices,
    private readonly fn: Body,
    private readonly timeout: number | null,
    private readonly once: boolean,
  ) {}

  /** Runs the hook for `owner` (its test or suite) with `context`; the outcome is in `error`. */
  async runWith(owner: Test, context: object): Promise<void> {
    if (this.once && this.ran) return;
    this.ran = true;
    this.error = null;
    const stop = stopAt(this.timeout, new AbortController().signal, this.services.setTimer);
    try {
      const run = invokeBody(this.fn, context, (body) => this.services.within(owner, body), () => {
        this.error ??= new TestFailureError('passed a callback but also returned a Promise', 'callbackAndPromisePresent');
      });
      await Promise.race([run, stop.promise]);
    } catch (error) {
      this.error = isTestFailure(error) ? error : new TestFailureError(error, 'testCodeFailure');
    } finally {
      stop.dispose();
    }
  }
}
