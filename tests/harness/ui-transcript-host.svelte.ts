/**
 * A stand-in for `RunSession` as `TranscriptPanel` reads it (the view's transcript and status, whether the
 * run is driven), with reactive state so a spec can append entries and watch the panel follow.
 */
import type { TranscriptEntry } from '../../src/ui/model/transcript.ts';

export class TranscriptHostSession {
  view: { transcript: TranscriptEntry[]; status: 'running' | 'completed' } = $state.raw({ transcript: [], status: 'running' });
  driving = false;
  canResume = false;
}
