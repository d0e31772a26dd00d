/**
 * `describe()` / `suite()` of `node:test`: runs its body at once to collect its children (so `it()` inside
 * it declares, never starts), then on its turn runs its own and its parent's `before` hooks, its children
 * (at its concurrency), and its `after` hooks. A body that throws fails the suite, and its children that
 * never ran are cancelled, as in Node.
 */
import { noop, type Stopper } from './body.ts';
import { SuiteContext } from './context.ts';
import { isTestFailure, TestFailureError } from './failure.ts';
import { Test, type CreateArgs, type TestOptions, type TestServices } from './tests.ts';

export class Suite extends Test {
  override readonly kind = 'suite';
  private readonly build: Promise<void>;

  constructor(services: TestServices, parent: Test | null, args: CreateArgs, options: TestOptions) {
    super(services, parent, args, options);
    this.runOnlySubtests = false;
    const body = this.fn;
    let built: Promise<void>;
    try {
      const context = this.context();
      const returned = services.within(this, () => body.call(context, context));
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
    let stop: Stopper | undefined;
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

