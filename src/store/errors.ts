/**
 * Errors the store raises for a caller's mistake (as opposed to the browser refusing to store more, which
 * is `StorageQuotaError` of `src/errors.ts`). Callers decide by type; messages are for people.
 */

/** The run does not exist (deleted, or never created in this browser). */
export class RunNotFoundError extends Error {
  override name = 'RunNotFoundError';
  constructor(readonly runId: string) {
    super(`Run ${runId} does not exist.`);
  }
}

/** A commit, new run or import broke a rule of the store; nothing of it was stored. */
export class InvalidCommitError extends Error {
  override name = 'InvalidCommitError';
}

/** A bundle that is not a run export of this app, or was changed after it was written. */
export class InvalidBundleError extends Error {
  override name = 'InvalidBundleError';
}
