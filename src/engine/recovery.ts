// recovery.seconds: from the last fault's revert until error rate and p99 are back within the baseline's bounds for 3 s
// in a row.
import type { LoadStats } from '../load/index.ts';
import type { SeriesPoint } from '../journal/journal-types.ts';

export const recoveryWindowSeconds = 3;

/**
 * The bounds a second must meet: error rate ≤ baseline + 1 point; p99 ≤ max(2 × baseline p99, baseline p99 + 20 ms).
 */
export function recoveryBounds(baseline: LoadStats | undefined): { errorRate: number; p99Ms: number } {
  const errorRate = (baseline?.errorRate ?? 0) + 0.01;
  const p99 = baseline?.p99Ms ?? 0;
  return { errorRate, p99Ms: Math.max(2 * p99, p99 + 20) };
}

export function recoverySeconds(
  series: readonly SeriesPoint[],
  fromMs: number | undefined,
  bounds: { errorRate: number; p99Ms: number },
): number {
  if (fromMs === undefined) return 0;
  const within = (p: SeriesPoint) => p.requests === 0 || (p.errorRate <= bounds.errorRate && p.p99Ms <= bounds.p99Ms);
  const first = Math.floor(fromMs / 1000);
  for (let i = 0; i < series.length; i++) {
    const start = series[i] as SeriesPoint;
    if (start.second < first) continue;
    const run = series.slice(i, i + recoveryWindowSeconds);
    if (run.length === recoveryWindowSeconds && run.every(within))
      return Math.max(0, start.second * 1000 - fromMs) / 1000;
  }
  return Infinity;
}
