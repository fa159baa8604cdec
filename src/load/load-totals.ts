// The counters of a phase, of the run and of one second of one phase: requests, errors by reason, latency histogram.
import type { Histogram } from 'hdr-histogram-js';
import { summarize } from './latency-histogram.ts';
import type { LatencySummary } from './latency-histogram.ts';
import { reasons } from './classify-outcome.ts';
import type { LoadStats } from './types.ts';

/** Counts and latencies of a phase or the whole run. */
export class Totals {
  requests = 0;
  errors = 0;
  unauthorized = 0;
  maxMs = 0;
  readonly errorsByReason: Record<string, number> = {};
  /** Time during which this phase was current (for a bucket: within its second). */
  activeMs = 0;
  histogram: Histogram | null = null;

  addError(reason: string): void {
    this.errors++;
    this.errorsByReason[reason] = (this.errorsByReason[reason] ?? 0) + 1;
    if (reason === reasons.unauthorized) this.unauthorized++;
  }
}

/** One second of one phase, by scheduled time. */
export class Bucket extends Totals {
  readonly second: number;
  readonly phase: Totals;
  readonly phaseName: string;
  /** Requests scheduled in this bucket still in flight. */
  pending = 0;
  /** Set once the second is over and nothing is pending; the histogram is then recycled. */
  summary: LatencySummary | null = null;

  constructor(second: number, phaseName: string, phase: Totals) {
    super();
    this.second = second;
    this.phaseName = phaseName;
    this.phase = phase;
  }
}

/** Rates to two decimals. */
export function roundRate(value: number): number {
  return Math.round(value * 100) / 100;
}

/** The JSON-safe stats of a phase or the run. */
export function statsOf(t: Totals): LoadStats {
  const s = summarize(t.histogram, t.maxMs);
  return {
    requests: t.requests,
    errors: t.errors,
    errorRate: t.requests > 0 ? t.errors / t.requests : 0,
    rps: t.activeMs > 0 ? roundRate((t.requests * 1000) / t.activeMs) : 0,
    durationMs: Math.round(t.activeMs),
    unauthorized: t.unauthorized,
    errorsByReason: { ...t.errorsByReason },
    ...s,
  };
}
