/** Summaries of timing samples. Percentiles use linear interpolation between closest ranks. */

export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  const a = sorted[low] as number;
  const b = sorted[high] as number;
  return a + (b - a) * (rank - low);
}

export function median(samples: readonly number[]): number {
  return percentile(samples, 50);
}

export interface Summary {
  n: number;
  median: number;
  p95: number;
  min: number;
  max: number;
}

export function summarize(samples: readonly number[]): Summary {
  return {
    n: samples.length,
    median: median(samples),
    p95: percentile(samples, 95),
    min: samples.length ? Math.min(...samples) : Number.NaN,
    max: samples.length ? Math.max(...samples) : Number.NaN,
  };
}

/**
 * The median, over repeated runs, of each run's statistic: one noisy run (another process took the CPU)
 * moves it less than pooling every sample would. `spread` is the range of the runs' medians.
 */
export function acrossRuns(runs: readonly (readonly number[])[]): Summary & { runs: number; spread: [number, number] } {
  const medians = runs.map((r) => median(r));
  const p95s = runs.map((r) => percentile(r, 95));
  const all = runs.flat();
  return {
    n: all.length,
    runs: runs.length,
    median: median(medians),
    p95: median(p95s),
    min: all.length ? Math.min(...all) : Number.NaN,
    max: all.length ? Math.max(...all) : Number.NaN,
    spread: [Math.min(...medians), Math.max(...medians)],
  };
}

/** Milliseconds with a precision that suits their size. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return 'n/a';
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}

export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return 'n/a';
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(2)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} B`;
}
