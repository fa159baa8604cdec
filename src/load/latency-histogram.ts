// HdrHistograms of latency in microseconds (3 significant digits, pure JS), recycled so a run allocates few of them.
import { build } from 'hdr-histogram-js';
import type { Histogram } from 'hdr-histogram-js';

export interface LatencySummary {
  p50Ms: number;
  p90Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
}

export const emptySummary: LatencySummary = { p50Ms: 0, p90Ms: 0, p95Ms: 0, p99Ms: 0, maxMs: 0 };

export class LatencyHistograms {
  private readonly highestUs: number;
  private readonly free: Histogram[] = [];

  /** Latencies above `highestMs` are recorded as `highestMs`. */
  constructor(highestMs: number) {
    this.highestUs = Math.max(2, Math.ceil(highestMs * 1000));
  }

  take(): Histogram {
    return (
      this.free.pop() ??
      build({
        useWebAssembly: false,
        bitBucketSize: 32,
        autoResize: false,
        lowestDiscernibleValue: 1,
        highestTrackableValue: this.highestUs,
        numberOfSignificantValueDigits: 3,
      })
    );
  }

  give(histogram: Histogram): void {
    histogram.reset();
    this.free.push(histogram);
  }

  record(histogram: Histogram, latencyMs: number): void {
    const us = Math.round(latencyMs * 1000);
    histogram.recordValue(us < 1 ? 1 : us > this.highestUs ? this.highestUs : us);
  }
}

const toMs = (us: number) => Math.round(us) / 1000;

/** Percentiles in ms (µs resolution); `exactMaxMs` replaces the histogram's bucketed max. */
export function summarize(histogram: Histogram | null, exactMaxMs: number): LatencySummary {
  if (!histogram || histogram.totalCount === 0) return emptySummary;
  const maxMs = Math.round(exactMaxMs * 1000) / 1000;
  // A percentile is reported as its bucket's highest equivalent value: never above the exact max.
  const at = (percentile: number) => Math.min(maxMs, toMs(histogram.getValueAtPercentile(percentile)));
  return { p50Ms: at(50), p90Ms: at(90), p95Ms: at(95), p99Ms: at(99), maxMs };
}
