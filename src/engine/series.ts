// Builds the 1-second time series of the journal from the load's per-second points and the probe samples.
import type { LoadResult } from '../load/index.ts';
import type { SeriesPoint } from '../journal/journal-types.ts';
import type { Sample } from './sampler.ts';

export function buildSeries(
  load: LoadResult,
  samples: readonly Sample[],
  breakerMetric: string | undefined,
  totalSeconds: number,
): SeriesPoint[] {
  const bySecond = new Map<number, SeriesPoint>();
  for (const point of load.series) {
    let entry = bySecond.get(point.second);
    if (!entry) {
      entry = {
        second: point.second,
        phase: point.phase,
        requests: 0,
        errors: 0,
        unauthorized: 0,
        rps: 0,
        errorRate: 0,
        p50Ms: 0,
        p99Ms: 0,
        redis: null,
        breakerState: null,
        sessions: null,
      };
      bySecond.set(point.second, entry);
    }
    // a second that spans a phase change has two points: add the counts, keep the worse latency
    entry.requests += point.requests;
    entry.errors += point.errors;
    entry.unauthorized += point.unauthorized;
    entry.rps += point.rps;
    entry.p50Ms = Math.max(entry.p50Ms, point.p50Ms);
    entry.p99Ms = Math.max(entry.p99Ms, point.p99Ms);
  }
  for (let s = 0; s < totalSeconds; s++) {
    if (!bySecond.has(s))
      bySecond.set(s, {
        second: s,
        phase: '',
        requests: 0,
        errors: 0,
        unauthorized: 0,
        rps: 0,
        errorRate: 0,
        p50Ms: 0,
        p99Ms: 0,
        redis: null,
        breakerState: null,
        sessions: null,
      });
  }
  for (const sample of samples) {
    // a sample taken at the start of second s describes the state at the end of second s − 1
    const entry = bySecond.get(Math.max(0, Math.round(sample.tMs / 1000) - 1));
    if (!entry || sample.tMs < 0) continue;
    if (sample.redis) {
      entry.redis = {
        usedMemory: sample.redis.used_memory,
        maxmemory: sample.redis.maxmemory,
        evictedKeys: sample.redis.evicted_keys,
        connectedClients: sample.redis.connected_clients,
        keys: sample.redis.keys,
      };
    }
    if (breakerMetric && sample.target) {
      const breaker = sample.target.find((s) => s.name === breakerMetric);
      if (breaker) entry.breakerState = breaker.value;
    }
    if (sample.cache)
      entry.cache = { checked: sample.cache.checked, stale: sample.cache.stale, errors: sample.cache.errors };
    if (sample.sessions)
      entry.sessions = {
        checked: sample.sessions.checked,
        valid: sample.sessions.valid,
        lost: sample.sessions.lost,
        errors: sample.sessions.errors,
      };
  }
  const series = [...bySecond.values()].sort((a, b) => a.second - b.second);
  for (const point of series) point.errorRate = point.requests ? point.errors / point.requests : 0;
  return series;
}
