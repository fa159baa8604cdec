// The shape every benchmark returns: raw measurements, and goals each stated as a ratio or bound measured in the same
// run.
export interface BenchGoal {
  name: string;
  /** The measured value, with its unit in the name or as a string. */
  actual: number | string;
  /** The goal as text, e.g. ">= 0.6 of direct" or "< 300 ms". */
  goal: string;
  met: boolean;
}

export interface BenchResult {
  /** Everything measured, numbers with units in their keys (e.g. `medianMs`, `opsPerSecond`). */
  measurements: Record<string, unknown>;
  goals: BenchGoal[];
}

/** Median and a percentile of a list of numbers (nearest-rank). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}
