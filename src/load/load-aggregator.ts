// Aggregates request outcomes into per-second, per-phase buckets and per-phase totals; the clock is injected.
import { LatencyHistograms, summarize } from './latency-histogram.ts';
import { Bucket, Totals, roundRate, statsOf } from './load-totals.ts';
import type { LoadSeriesPoint, LoadStats } from './types.ts';

export interface AggregatorOptions {
  /** Monotonic ms. */
  clock: () => number;
  /** Wall-clock epoch ms of the start, for the series' startMs. Default Date.now(). */
  startEpochMs?: number;
  /** Latencies above this are recorded as this. */
  highestLatencyMs: number;
  /**
   * The clock reading counted as t = 0 for the seconds of the series (default: the start), so that the load shares the
   * run's clock with the faults and probes.
   */
  originMs?: number;
}

export class LoadAggregator {
  readonly startMs: number;
  /** t = 0 of the series: second s covers [originMs + s·1000, originMs + (s+1)·1000). */
  readonly originMs: number;
  readonly startEpochMs: number;
  private readonly clock: () => number;
  private readonly histograms: LatencyHistograms;
  private readonly total = new Totals();
  private readonly phases = new Map<string, Totals>();
  private readonly seconds: Bucket[][] = [];
  private lastAdvanceMs: number;
  private oldestOpenSecond = 0;
  private cached: Bucket | null = null;

  constructor(options: AggregatorOptions) {
    this.clock = options.clock;
    this.startMs = options.clock();
    this.originMs = Math.min(options.originMs ?? this.startMs, this.startMs);
    this.lastAdvanceMs = this.startMs;
    this.startEpochMs = (options.startEpochMs ?? Date.now()) - (this.startMs - this.originMs);
    this.histograms = new LatencyHistograms(options.highestLatencyMs);
    this.total.histogram = this.histograms.take();
  }

  /**
   * Attributes the time since the last call up to `toMs` to `phase` (split at second boundaries),
   * then recycles the seconds before `nowMs` that have nothing in flight.
   */
  advance(phase: string, toMs = this.clock(), nowMs = toMs): void {
    let from = this.lastAdvanceMs;
    const to = Math.max(from, toMs);
    this.total.activeMs += to - from;
    this.phaseTotals(phase).activeMs += to - from;
    // The second index moves on every turn, so float rounding at a boundary cannot stall the loop.
    for (let second = Math.max(0, Math.floor((from - this.originMs) / 1000)); from < to; second++) {
      const end = Math.min(to, this.originMs + (second + 1) * 1000);
      if (end > from) this.bucket(second, phase).activeMs += end - from;
      from = Math.max(from, end);
    }
    this.lastAdvanceMs = to;
    this.settle(this.secondOf(nowMs));
  }

  /** The bucket a request scheduled at `scheduledAtMs` in `phase` belongs to. */
  bucketAt(scheduledAtMs: number, phase: string): Bucket {
    const second = this.secondOf(scheduledAtMs);
    const cached = this.cached;
    if (cached && cached.second === second && cached.phaseName === phase) return cached;
    return (this.cached = this.bucket(second, phase));
  }

  scheduled(bucket: Bucket): void {
    bucket.requests++;
    bucket.phase.requests++;
    this.total.requests++;
    bucket.pending++;
  }

  /** A request that finished (any status or error); `reason` null means ok. */
  completed(bucket: Bucket, latencyMs: number, reason: string | null): void {
    bucket.pending--;
    this.record(bucket, latencyMs, reason);
    this.record(bucket.phase, latencyMs, reason);
    this.record(this.total, latencyMs, reason);
  }

  /** A request that was scheduled but never sent (dropped, no token): an error without latency. */
  notSent(bucket: Bucket, reason: string): void {
    this.scheduled(bucket);
    bucket.pending--;
    bucket.addError(reason);
    bucket.phase.addError(reason);
    this.total.addError(reason);
  }

  /** A request cancelled by an abort: it no longer counts. */
  cancelled(bucket: Bucket): void {
    bucket.pending--;
    bucket.requests--;
    bucket.phase.requests--;
    this.total.requests--;
  }

  /** Counts so far and the last complete second (for live progress). */
  progress(nowMs = this.clock()): {
    elapsedMs: number;
    requests: number;
    errors: number;
    unauthorized: number;
    lastSecond: { requests: number; errors: number; p99Ms: number };
  } {
    const second = this.secondOf(nowMs) - 1;
    const lastSecond = { requests: 0, errors: 0, p99Ms: 0 };
    for (const bucket of this.seconds[second] ?? []) {
      lastSecond.requests += bucket.requests;
      lastSecond.errors += bucket.errors;
      lastSecond.p99Ms = Math.max(
        lastSecond.p99Ms,
        (bucket.summary ?? summarize(bucket.histogram, bucket.maxMs)).p99Ms,
      );
    }
    return {
      elapsedMs: nowMs - this.originMs,
      requests: this.total.requests,
      errors: this.total.errors,
      unauthorized: this.total.unauthorized,
      lastSecond,
    };
  }

  series(): LoadSeriesPoint[] {
    const points: LoadSeriesPoint[] = [];
    for (const buckets of this.seconds) {
      for (const b of buckets ?? []) {
        // A sliver of a second at the very end (float sums, a stop just past a boundary) is no data point.
        if (b.requests === 0 && b.activeMs < 1) continue;
        const s = b.summary ?? summarize(b.histogram, b.maxMs);
        points.push({
          second: b.second,
          startMs: this.startEpochMs + b.second * 1000,
          phase: b.phaseName,
          requests: b.requests,
          errors: b.errors,
          unauthorized: b.unauthorized,
          errorsByReason: { ...b.errorsByReason },
          p50Ms: s.p50Ms,
          p90Ms: s.p90Ms,
          p99Ms: s.p99Ms,
          maxMs: s.maxMs,
          rps: b.activeMs > 0 ? roundRate((b.requests * 1000) / b.activeMs) : 0,
          activeMs: Math.round(b.activeMs * 1000) / 1000,
        });
      }
    }
    return points;
  }

  phaseStats(): Record<string, LoadStats> {
    return Object.fromEntries([...this.phases].map(([name, totals]) => [name, statsOf(totals)]));
  }

  totalStats(): LoadStats {
    return statsOf(this.total);
  }

  /**
   * The second (from the start) a time falls in. Scheduled times are sums of float intervals, so the request
   * due at exactly 1000 ms may come out as 999.9999999: a nanosecond of slack puts it in the second it belongs to.
   */
  private secondOf(ms: number): number {
    return Math.max(0, Math.floor((ms - this.originMs + 1e-6) / 1000));
  }

  private record(totals: Totals, latencyMs: number, reason: string | null): void {
    totals.histogram ??= this.histograms.take();
    this.histograms.record(totals.histogram, latencyMs);
    if (latencyMs > totals.maxMs) totals.maxMs = latencyMs;
    if (reason !== null) totals.addError(reason);
  }

  private phaseTotals(phase: string): Totals {
    let totals = this.phases.get(phase);
    if (!totals) this.phases.set(phase, (totals = new Totals()));
    return totals;
  }

  private bucket(second: number, phase: string): Bucket {
    const buckets = (this.seconds[second] ??= []);
    let bucket = buckets.find((b) => b.phaseName === phase);
    if (!bucket) buckets.push((bucket = new Bucket(second, phase, this.phaseTotals(phase))));
    return bucket;
  }

  /** Summarises each second before `currentSecond` once nothing of it is in flight, and recycles its histogram. */
  private settle(currentSecond: number): void {
    while (this.oldestOpenSecond < currentSecond) {
      const buckets = this.seconds[this.oldestOpenSecond] ?? [];
      if (buckets.some((b) => b.pending > 0)) return;
      for (const b of buckets) {
        b.summary = summarize(b.histogram, b.maxMs);
        if (b.histogram) this.histograms.give(b.histogram);
        b.histogram = null;
      }
      this.oldestOpenSecond++;
    }
  }
}
