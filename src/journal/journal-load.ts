// The load driver's statistics as the journal stores them: counts, rates and latency percentiles of a phase or the run.
/** Latency and counts of one phase, or of the whole run. Latencies in ms (recorded at µs precision). */
export interface LoadStats {
  requests: number;
  errors: number;
  /** errors / requests (0 when no requests). */
  errorRate: number;
  rps: number;
  durationMs: number;
  unauthorized: number;
  errorsByReason: Record<string, number>;
  p50Ms: number;
  p90Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** The classes of failed requests (see src/load/outcome-classes.ts for which reasons fall in each). */
export type OutcomeClass = 'unauthorized' | 'serverError' | 'timeout' | 'connectionError' | 'other';

/** Failed requests per class: 401/403, 5xx, timeouts, connection errors, the rest. */
export type ErrorsByClass = Record<OutcomeClass, number>;
