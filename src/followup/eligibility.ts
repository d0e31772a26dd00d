/**
 * Which runs a follow-up task may start from (DESIGN.md §4, "Continue with a follow-up task on a finished
 * or cancelled run"): completed or cancelled, whose files are final. A run still planning, running, paused
 * or interrupted may change further (resume or cancel it first); a failed run stopped on an error, and is
 * restored or re-run rather than built on.
 */
import type { RunStatus } from '../l2mac/run-state.ts';

export function canFollowUp(status: RunStatus): boolean {
  return status === 'completed' || status === 'cancelled';
}
