/**
 * Node's `ERR_TEST_FAILURE`: why a test failed (`failureType`, as Node's TAP shows it) and the original error
 * (`cause`). For the failure types Node "unwraps" (the test's own code, a hook, an uncaught error), reports
 * show the original error; for the others (time-outs, cancellations, failed subtests) the failure itself.
 */

export type FailureType =
  | 'testCodeFailure'
  | 'testTimeoutFailure'
  | 'hookFailed'
  | 'subtestsFailed'
  | 'cancelledByParent'
  | 'parentAlreadyFinished'
  | 'callbackAndPromisePresent'
  | 'uncaughtException'
  | 'unhandledRejection'
  | 'testAborted';

const UNWRAPPED: ReadonlySet<FailureType> = new Set(['testCodeFailure', 'hookFailed', 'uncaughtException', 'unhandledRejection']);

export class TestFailureError extends Error {
  readonly code = 'ERR_TEST_FAILURE';
  failureType: FailureType;

  constructor(reason: unknown, failureType: FailureType) {
    super(typeof reason === 'string' ? reason : reason instanceof Error ? reason.message : String(reason));
    this.name = 'Error';
    this.failureType = failureType;
    if (typeof reason !== 'string') this.cause = reason;
  }
}

export function isTestFailure(error: unknown): error is TestFailureError {
  return error instanceof TestFailureError;
}

/** What a report shows for a failure: the original error for the unwrapped types, else the failure. */
export function shownError(failure: TestFailureError): unknown {
  return UNWRAPPED.has(failure.failureType) && failure.cause !== undefined ? failure.cause : failure;
}
