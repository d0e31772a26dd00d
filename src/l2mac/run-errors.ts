/**
 * Errors a caller of the control unit's API gets when it asks for something the run cannot do now. They
 * are about the request, not the run: the run is left as it was.
 */

/** Another driver (this tab or another) holds the run's lock (DESIGN.md §6: one driver per run). */
export class RunLockedError extends Error {
  override name = 'RunLockedError';
  constructor(readonly runId: string) {
    super(`Run ${runId} is being driven elsewhere (another tab holds its lock); it can only be watched here.`);
  }
}

/** The run's state does not allow the request (e.g. resuming a completed run). */
export class RunStateError extends Error {
  override name = 'RunStateError';
  constructor(
    readonly runId: string,
    message: string,
  ) {
    super(message);
  }
}

/** A run ended `failed` where the caller needed its files (`generateCodebase`). */
export class RunFailedError extends Error {
  override name = 'RunFailedError';
  constructor(
    readonly runId: string,
    readonly reason: string,
    readonly files: Record<string, string>,
  ) {
    super(`Run ${runId} failed: ${reason}`);
  }
}
