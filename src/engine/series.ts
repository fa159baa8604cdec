// Builds the 1-second time series of the journal from the load's per-second points and the probe samples, on the one
// clock of the run (t = 0 when the load starts).
import { errorsByClass, type LoadResult } from '../load/index.ts';
import type { SeriesPoint } from '../journal/journal-types.ts';
import type { Sample } from './sampler.ts';

function emptyPoint(second: number, phase: string): SeriesPoint {
  return {
    second,
    phase,
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
}

export function buildSeries(
  load: LoadResult,
  samples: readonly Sample[],
  breakerMetric: string | undefined,
  totalSeconds: number,
): SeriesPoint[] {
  const bySecond = new Map<number, SeriesPoint>();
  const activeMs = new Map<number, number>();
  const pointAt = (second: number, phase: string) => {
    let entry = bySecond.get(second);
    if (!entry) bySecond.set(second, (entry = emptyPoint(second, phase)));
    return entry;
  };
  for (const point of load.series) {
    const entry = pointAt(point.second, point.phase);
    // a second that spans a phase change has two points: add the counts (the rate is recomputed from them below) and
    // keep the worse latency
    entry.requests += point.requests;
    entry.errors += point.errors;
    entry.unauthorized += point.unauthorized;
    const classes = errorsByClass(point.errorsByReason);
    entry.errorsByClass ??= { unauthorized: 0, serverError: 0, timeout: 0, connectionError: 0, other: 0 };
    for (const [k, n] of Object.entries(classes)) entry.errorsByClass[k as keyof typeof classes] += n;
    const ms = point.activeMs ?? (point.rps > 0 ? (point.requests * 1000) / point.rps : 0);
    activeMs.set(point.second, (activeMs.get(point.second) ?? 0) + ms);
    entry.p50Ms = Math.max(entry.p50Ms, point.p50Ms);
    entry.p99Ms = Math.max(entry.p99Ms, point.p99Ms);
  }
  for (let s = 0; s < totalSeconds; s++) pointAt(s, '');
  for (const sample of samples) {
    if (sample.tMs < 0) continue;
    // the sampler starts a sample on each whole second: it belongs to the second it was started in, and is drawn at
    // the moment it was complete (never before what it saw)
    const entry = bySecond.get(Math.round(sample.tMs / 1000));
    if (!entry) continue;
    entry.sampledAtMs = sample.doneMs ?? sample.tMs;
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
  for (const point of series) {
    point.errorRate = point.requests ? point.errors / point.requests : 0;
    const ms = activeMs.get(point.second) ?? 0;
    point.rps = ms > 0 ? Math.round(((point.requests * 1000) / ms) * 100) / 100 : 0;
  }
  return series;
}
