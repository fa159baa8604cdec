// Turns k6's requests into the LoadResult the built-in driver produces: per-second points tagged by phase, per-phase
// and total stats.
import { LoadAggregator } from '../load-aggregator.ts';
import type { LoadResult } from '../types.ts';
import type { K6Request } from './k6-requests.ts';

export interface PhaseWindow {
  name: string;
  /** ms from t = 0. */
  startMs: number;
  endMs: number;
}

export interface K6ConversionOptions {
  /** Epoch ms of t = 0 (when the load started). */
  startedAtMs: number;
  /** The experiment's phases, in order. */
  phases: readonly PhaseWindow[];
  /** Latencies above this are recorded as this (as in the built-in driver). */
  highestLatencyMs?: number;
}

/**
 * A request belongs to the second and phase of its start (k6 stamps samples at the end: start = stamp − duration),
 * as the built-in driver files a request under its scheduled time.
 */
export function k6LoadResult(requests: readonly K6Request[], options: K6ConversionOptions): LoadResult {
  let now = 0;
  const aggregator = new LoadAggregator({
    clock: () => now,
    startEpochMs: options.startedAtMs,
    highestLatencyMs: options.highestLatencyMs ?? 60_000,
  });
  const phases = options.phases.length ? options.phases : [{ name: 'run', startMs: 0, endMs: Infinity }];
  const phaseAt = (ms: number) => (phases.find((p) => ms < p.endMs) ?? phases.at(-1))!.name;
  /** Attributes time to each phase up to its boundary, then to the one after. */
  const advanceTo = (toMs: number) => {
    for (const phase of phases) {
      if (now >= toMs) break;
      if (now >= phase.endMs) continue;
      const until = Math.min(toMs, phase.endMs);
      now = until;
      aggregator.advance(phase.name, until);
    }
    if (now < toMs) {
      now = toMs;
      aggregator.advance(phases.at(-1)!.name, toMs);
    }
  };
  const starts = requests
    .map((r) => ({ request: r, atMs: Math.max(0, r.endMs - r.durationMs - options.startedAtMs) }))
    .sort((a, b) => a.atMs - b.atMs);
  for (const { request, atMs } of starts) {
    advanceTo(atMs);
    const bucket = aggregator.bucketAt(atMs, phaseAt(atMs));
    aggregator.scheduled(bucket);
    aggregator.completed(bucket, request.durationMs, request.reason);
  }
  const lastEnd = Math.max(0, ...requests.map((r) => r.endMs - options.startedAtMs));
  const endMs = Math.max(lastEnd, Number.isFinite(phases.at(-1)!.endMs) ? phases.at(-1)!.endMs : 0);
  advanceTo(endMs);
  return {
    startedAtMs: options.startedAtMs,
    elapsedMs: Math.round(endMs),
    endReason: 'max-duration',
    cancelled: 0,
    series: aggregator.series(),
    phases: aggregator.phaseStats(),
    total: aggregator.totalStats(),
  };
}
