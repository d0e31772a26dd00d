/**
 * Coalesces many updates into one flush per animation frame (DESIGN.md §9: streamed text batched per
 * frame). The scheduler is injectable so the rule can be tested without a browser; a hidden tab gets no
 * animation frames, so a timer takes over there.
 */
export type Scheduler = (flush: () => void) => void;

export function browserScheduler(): Scheduler {
  return (flush) => {
    if (typeof document !== 'undefined' && document.visibilityState === 'hidden') {
      setTimeout(flush, 250);
      return;
    }
    requestAnimationFrame(() => flush());
  };
}

export class FrameBatcher {
  private scheduled = false;

  constructor(
    private readonly flush: () => void,
    private readonly schedule: Scheduler,
  ) {}

  /** Ask for a flush; any number of requests before the frame give one flush. */
  request(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    this.schedule(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  /** Flush now (e.g. when the run ends, so the final state shows without waiting for a frame). */
  flushNow(): void {
    this.flush();
  }
}
