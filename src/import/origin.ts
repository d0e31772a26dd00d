/** The run record's `origin` for a run started from an import (shown in the run's header and history). */
import type { RunRecord } from '../store/types.ts';
import type { ImportSummary } from './summary.ts';

export function importOrigin(summary: ImportSummary): NonNullable<RunRecord['origin']> {
  const what = summary.source.kind === 'zip' ? `zip ${summary.source.name}` : `folder ${summary.source.name}`;
  return { kind: 'import', label: `Imported from ${what}`, files: summary.imported.files };
}
