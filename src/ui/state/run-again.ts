/**
 * "Run again with the same settings" from the run history (issue 6): a new run of a stored run's task and
 * domain, with the settings the run was last driven with (limits, model, sandbox choice, plan first, prompt
 * program) and, when it started from existing code, the same starting files. Nothing of the old run's
 * outcome (status, plan, usage, report, title) carries over, and the old run is left as it was.
 */
import type { AppServices, RunStart } from '../../app/types.ts';
import type { RunRecord, RunSettings } from '../../store/types.ts';

export interface RunAgainInput {
  settings: RunSettings;
  start: RunStart;
}

/** Whether a run started from files (an import or a follow-up) rather than an empty project. */
export function startedFromFiles(record: Pick<RunRecord, 'origin' | 'parentRunId'>): boolean {
  const kind = record.origin?.kind;
  return kind === 'import' || kind === 'follow-up' || record.parentRunId !== undefined;
}

/**
 * The new run's input from the old run's record and its starting files (its files at step 0). The starting
 * files are given as contents, not as "the parent's current files": the parent of a follow-up may have
 * changed or been deleted since, and the same contents share their blobs in the store anyway.
 */
export function runAgainInput(record: RunRecord, startingFiles: Readonly<Record<string, string>>): RunAgainInput {
  // A copy: the new run's settings must not alias the old record's objects.
  const settings = structuredClone(record.settings);
  const start: RunStart = { task: record.task, domain: record.domain };
  const count = Object.keys(startingFiles).length;
  if (startedFromFiles(record) && count > 0) {
    start.files = { ...startingFiles };
    start.origin = record.origin && record.origin.kind !== 'empty'
      ? { ...record.origin, files: count }
      : { kind: 'follow-up', label: `Same starting files as run ${record.id}`, files: count };
  }
  return { settings, start };
}

/** Starts "run again" of a stored run in this tab; resolves with the new run's id. */
export async function runAgain(services: Pick<AppServices, 'store' | 'driver'>, runId: string): Promise<string> {
  const record = await services.store.getRun(runId);
  if (!record) throw new Error('This run is no longer stored.');
  const startingFiles = startedFromFiles(record) ? await services.store.filesAtStep(runId, 0) : {};
  const { settings, start } = runAgainInput(record, startingFiles);
  return services.driver.startWith(settings, start);
}
