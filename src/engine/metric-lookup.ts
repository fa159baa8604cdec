// Answers an expectation's metric from the run's data: load stats per phase, Redis INFO deltas, target metrics,
// sessions, recovery.
import { errorsByClass, outcomeClasses, type LoadResult, type LoadStats } from '../load/index.ts';
import type { MetricLookup } from '../expectations/index.ts';
import { seriesKey } from '../probes/prometheus-text.ts';
import { counterIncrease, lastIn, maxIn, type Point } from './counter-deltas.ts';
import type { PhaseClock } from './phase-clock.ts';
import type { Sample } from './sampler.ts';
import type { WriteProbeResult } from '../probes/write-probe.ts';
import type { JournalCache } from '../journal/journal-cache.ts';

export interface RunData {
  load: LoadResult;
  samples: Sample[];
  clock: PhaseClock;
  sessions: { created: number; lost: number; errors: number };
  recoverySeconds: number;
  /** The write probe's result, when it ran. */
  writes?: WriteProbeResult;
  /** The cache check, for a target with a cache section. */
  cache?: JournalCache;
}

const httpFields: Record<string, (s: LoadStats) => number> = {
  'http.requests': (s) => s.requests,
  'http.errors': (s) => s.errors,
  'http.error_rate': (s) => s.errorRate,
  'http.rps': (s) => s.rps,
  'http.unauthorized': (s) => s.unauthorized,
  'http.latency.p50': (s) => s.p50Ms,
  'http.latency.p90': (s) => s.p90Ms,
  'http.latency.p95': (s) => s.p95Ms,
  'http.latency.p99': (s) => s.p99Ms,
  'http.latency.max': (s) => s.maxMs,
  // one count and one rate per outcome class: 401/403 apart from 5xx, timeouts and connection errors
  ...Object.fromEntries(
    outcomeClasses.flatMap((c) => [
      [`http.${c.countMetric}`, (s: LoadStats) => errorsByClass(s.errorsByReason)[c.key]],
      [
        `http.${c.rateMetric}`,
        (s: LoadStats) => (s.requests ? errorsByClass(s.errorsByReason)[c.key] / s.requests : 0),
      ],
    ]),
  ),
};

export const redisCounters = ['evicted_keys', 'expired_keys', 'keyspace_misses', 'rejected_connections'] as const;

export function windowOf(data: Pick<RunData, 'clock'>, phase: string | undefined): [number, number] {
  if (!phase) return [-Infinity, Infinity];
  const w = data.clock.window(phase as 'baseline');
  return [w.startMs, w.endMs];
}

export function redisPoints(samples: readonly Sample[], field: string): Point[] {
  return samples.map((s) => ({
    tMs: s.tMs,
    value: s.redis ? (s.redis as unknown as Record<string, number>)[field] : undefined,
  }));
}

export function metricLookup(data: RunData): MetricLookup {
  return (metric, labels) => {
    const { phase, ...rest } = labels;
    const [from, to] = windowOf(data, phase);
    const http = httpFields[metric];
    if (http) {
      const stats = phase ? data.load.phases[phase] : data.load.total;
      return stats ? http(stats) : undefined;
    }
    switch (metric) {
      case 'sessions.created':
        return data.sessions.created;
      case 'sessions.lost':
        return data.sessions.lost;
      case 'sessions.errors':
        return data.sessions.errors;
      case 'sessions.lost_rate':
        return data.sessions.created ? data.sessions.lost / data.sessions.created : 0;
      case 'cache.ids':
        return data.cache?.ids;
      case 'cache.reads':
        return data.cache?.reads;
      case 'cache.stale':
        return data.cache?.stale;
      case 'cache.stale_at_end':
        return data.cache?.staleAtEnd;
      case 'cache.errors':
        return data.cache?.errors;
      case 'recovery.seconds':
        return data.recoverySeconds;
      case 'writes.attempted':
        return data.writes?.attempted;
      case 'writes.acknowledged':
        return data.writes?.acknowledged;
      case 'writes.failed':
        return data.writes?.failed;
      case 'writes.lost':
        return data.writes?.lost;
      case 'writes.unverified':
        return data.writes?.unverified;
      case 'writes.refused_ms':
        return data.writes?.refusedMs;
      case 'redis.used_memory':
        return maxIn(redisPoints(data.samples, 'used_memory'), from, to);
    }
    if (metric.startsWith('redis.')) return counterIncrease(redisPoints(data.samples, metric.slice(6)), from, to);
    if (metric.startsWith('target.')) return targetMetric(data.samples, metric.slice(7), rest, from, to);
    return undefined;
  };
}

/**
 * A target metric summed over the series whose labels include `labels`: counters as increases, gauges as the last
 * value.
 */
function targetMetric(
  samples: readonly Sample[],
  name: string,
  labels: Record<string, string>,
  from: number,
  to: number,
): number | undefined {
  const keys = new Map<string, { counter: boolean; points: Point[] }>();
  samples.forEach((sample, i) => {
    for (const s of sample.target ?? []) {
      if (s.name !== name || !Object.entries(labels).every(([k, v]) => s.labels[k] === v)) continue;
      const key = seriesKey(s.name, s.labels);
      let entry = keys.get(key);
      if (!entry)
        keys.set(
          key,
          (entry = {
            counter: s.type === 'counter' || name.endsWith('_total'),
            points: samples.map((x) => ({ tMs: x.tMs, value: undefined as number | undefined })),
          }),
        );
      (entry.points[i] as Point).value = s.value;
    }
  });
  if (keys.size === 0) return undefined;
  // A labelled counter appears on its first increment: scrapes that answered before that saw it at 0.
  for (const { counter, points } of keys.values()) {
    if (!counter) continue;
    for (let i = 0; i < points.length && (points[i] as Point).value === undefined; i++)
      if (samples[i]?.target !== undefined) (points[i] as Point).value = 0;
  }
  let total = 0;
  let any = false;
  for (const { counter, points } of keys.values()) {
    const value = counter ? counterIncrease(points, from, to) : lastIn(points, from, to);
    if (value !== undefined) {
      total += value;
      any = true;
    }
  }
  return any ? total : undefined;
}
