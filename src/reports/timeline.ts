// Turns an experiment's 1-second series into columns for charts and the facts a failed run is read by.
import type { ExperimentJournal, SeriesPoint } from '../journal/journal-types.ts';

export interface Timeline {
  /** Seconds from the start of the load, one entry per second, ascending. */
  seconds: number[];
  rps: number[];
  errorRatePercent: number[];
  p50Ms: number[];
  p99Ms: number[];
  /** Redis columns are null where no INFO sample landed in that second. */
  usedMemoryMB: (number | null)[];
  maxmemoryMB: (number | null)[];
  evictedKeys: (number | null)[];
  sessionsValid: (number | null)[];
  sessionsLost: (number | null)[];
  breakerState: (number | null)[];
  hasRedis: boolean;
  hasMaxmemory: boolean;
  hasSessions: boolean;
  hasBreaker: boolean;
}

const mb = 1024 * 1024;
const round = (value: number, digits: number) => Number(value.toFixed(digits));

export function buildTimeline(experiment: Pick<ExperimentJournal, 'series'>): Timeline {
  const points: SeriesPoint[] = [...experiment.series].sort((a, b) => a.second - b.second);
  const t: Timeline = {
    seconds: [],
    rps: [],
    errorRatePercent: [],
    p50Ms: [],
    p99Ms: [],
    usedMemoryMB: [],
    maxmemoryMB: [],
    evictedKeys: [],
    sessionsValid: [],
    sessionsLost: [],
    breakerState: [],
    hasRedis: false,
    hasMaxmemory: false,
    hasSessions: false,
    hasBreaker: false,
  };
  for (const p of points) {
    t.seconds.push(p.second);
    t.rps.push(round(p.rps, 2));
    t.errorRatePercent.push(round(p.errorRate * 100, 2));
    t.p50Ms.push(round(p.p50Ms, 2));
    t.p99Ms.push(round(p.p99Ms, 2));
    t.usedMemoryMB.push(p.redis ? round(p.redis.usedMemory / mb, 3) : null);
    t.maxmemoryMB.push(p.redis && p.redis.maxmemory > 0 ? round(p.redis.maxmemory / mb, 3) : null);
    t.evictedKeys.push(p.redis ? p.redis.evictedKeys : null);
    t.sessionsValid.push(p.sessions ? p.sessions.valid : null);
    t.sessionsLost.push(p.sessions ? p.sessions.lost : null);
    t.breakerState.push(p.breakerState);
    t.hasRedis ||= p.redis !== null;
    t.hasMaxmemory ||= (p.redis?.maxmemory ?? 0) > 0;
    t.hasSessions ||= p.sessions !== null;
    t.hasBreaker ||= p.breakerState !== null;
  }
  return t;
}

/** The moments a failed incident run is read by; each undefined when it did not happen. */
export interface TimelineFacts {
  /** First second used_memory was within 2% of maxmemory. */
  memoryFullAtSecond?: number;
  peakUsedMemory?: number;
  maxmemory?: number;
  /** Evictions counted by INFO over the series (last − first sample), and the second they began. */
  evictedKeys: number;
  evictionsFromSecond?: number;
  /** Share of sampled sessions still valid: before the first fault, and the lowest afterwards. */
  sampledValidBefore?: number;
  sampledValidLowest?: number;
  sampledValidLowestAtSecond?: number;
}

export function timelineFacts(experiment: Pick<ExperimentJournal, 'series' | 'faults'>): TimelineFacts {
  const points = [...experiment.series].sort((a, b) => a.second - b.second);
  const firstFaultMs = Math.min(...experiment.faults.map((f) => f.appliedAtMs ?? f.scheduledAtMs));
  const facts: TimelineFacts = { evictedKeys: 0 };
  let firstEvicted: number | undefined;
  let before = { checked: 0, valid: 0 };
  for (const p of points) {
    if (p.redis) {
      firstEvicted ??= p.redis.evictedKeys;
      facts.evictedKeys = p.redis.evictedKeys - firstEvicted;
      if (facts.evictedKeys > 0) facts.evictionsFromSecond ??= p.second;
      if (p.redis.usedMemory > (facts.peakUsedMemory ?? -1)) facts.peakUsedMemory = p.redis.usedMemory;
      if (p.redis.maxmemory > 0) {
        facts.maxmemory = p.redis.maxmemory;
        if (p.redis.usedMemory >= p.redis.maxmemory * 0.98) facts.memoryFullAtSecond ??= p.second;
      }
    }
    if (p.sessions && p.sessions.checked > 0) {
      const share = p.sessions.valid / p.sessions.checked;
      if ((p.second + 1) * 1000 <= firstFaultMs)
        before = { checked: before.checked + p.sessions.checked, valid: before.valid + p.sessions.valid };
      else if (share < (facts.sampledValidLowest ?? Infinity)) {
        facts.sampledValidLowest = share;
        facts.sampledValidLowestAtSecond = p.second;
      }
    }
  }
  if (before.checked > 0) facts.sampledValidBefore = before.valid / before.checked;
  return facts;
}
