// Turns an experiment's 1-second series into chart columns on the run's clock, and the facts a failed run is read by.
// Every value is placed at the moment it was known: a second of load at the end of that second, a probe sample when
// its last answer arrived, so no effect is ever drawn before its cause.
import type { ExperimentJournal, SeriesPoint } from '../journal/journal-types.ts';

export interface Timeline {
  /** Seconds from the start of the load (fractional), ascending: the x of every column. */
  seconds: number[];
  /** Load columns: a value at the end of each second of load, null on the probe samples' rows. */
  rps: (number | null)[];
  errorRatePercent: (number | null)[];
  /** The error rate split by outcome class (percent of the second's requests); null in journals without classes. */
  unauthorizedRatePercent: (number | null)[];
  serverErrorRatePercent: (number | null)[];
  timeoutRatePercent: (number | null)[];
  connectionErrorRatePercent: (number | null)[];
  otherErrorRatePercent: (number | null)[];
  p50Ms: (number | null)[];
  p99Ms: (number | null)[];
  /** Probe columns: a value where a sample was complete, null elsewhere (and where the sample had no answer). */
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
  /** The outcome classes that failed at least one request in the run. */
  errorClasses: ErrorClassColumn[];
}

export type ErrorClassColumn =
  | 'unauthorizedRatePercent'
  | 'serverErrorRatePercent'
  | 'timeoutRatePercent'
  | 'connectionErrorRatePercent'
  | 'otherErrorRatePercent';

const classColumns: Record<keyof NonNullable<SeriesPoint['errorsByClass']>, ErrorClassColumn> = {
  unauthorized: 'unauthorizedRatePercent',
  serverError: 'serverErrorRatePercent',
  timeout: 'timeoutRatePercent',
  connectionError: 'connectionErrorRatePercent',
  other: 'otherErrorRatePercent',
};

type Column = Exclude<
  keyof Timeline,
  'seconds' | 'hasRedis' | 'hasMaxmemory' | 'hasSessions' | 'hasBreaker' | 'errorClasses'
>;

const mb = 1024 * 1024;
const round = (value: number, digits: number) => Number(value.toFixed(digits));

/** When the load counts of a point were known: the end of its second. */
export function loadKnownAtMs(point: Pick<SeriesPoint, 'second'>): number {
  return (point.second + 1) * 1000;
}

/** When a point's probe sample was complete (an older journal's sample: the end of its second). */
export function sampleKnownAtMs(point: Pick<SeriesPoint, 'second' | 'sampledAtMs'>): number {
  return point.sampledAtMs ?? (point.second + 1) * 1000;
}

function hasSample(p: SeriesPoint): boolean {
  return p.redis !== null || p.sessions !== null || p.breakerState !== null;
}

export function buildTimeline(experiment: Pick<ExperimentJournal, 'series'>): Timeline {
  const points: SeriesPoint[] = [...experiment.series].sort((a, b) => a.second - b.second);
  const rows = new Map<number, Partial<Record<Column, number | null>>>();
  const row = (atMs: number) => {
    const key = Math.round(atMs);
    let r = rows.get(key);
    if (!r) rows.set(key, (r = {}));
    return r;
  };
  const t: Timeline = {
    seconds: [],
    rps: [],
    errorRatePercent: [],
    unauthorizedRatePercent: [],
    serverErrorRatePercent: [],
    timeoutRatePercent: [],
    connectionErrorRatePercent: [],
    otherErrorRatePercent: [],
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
    errorClasses: [],
  };
  const seenClasses = new Set<ErrorClassColumn>();
  for (const p of points) {
    const byClass: Partial<Record<ErrorClassColumn, number | null>> = {};
    for (const [key, column] of Object.entries(classColumns)) {
      const count = p.errorsByClass?.[key as keyof typeof classColumns];
      byClass[column] = count === undefined ? null : p.requests ? round((count / p.requests) * 100, 2) : 0;
      if (count) seenClasses.add(column);
    }
    Object.assign(row(loadKnownAtMs(p)), {
      rps: round(p.rps, 2),
      errorRatePercent: round(p.errorRate * 100, 2),
      ...byClass,
      p50Ms: round(p.p50Ms, 2),
      p99Ms: round(p.p99Ms, 2),
    });
    if (hasSample(p))
      Object.assign(row(sampleKnownAtMs(p)), {
        usedMemoryMB: p.redis ? round(p.redis.usedMemory / mb, 3) : null,
        maxmemoryMB: p.redis && p.redis.maxmemory > 0 ? round(p.redis.maxmemory / mb, 3) : null,
        evictedKeys: p.redis ? p.redis.evictedKeys : null,
        sessionsValid: p.sessions ? p.sessions.valid : null,
        sessionsLost: p.sessions ? p.sessions.lost : null,
        breakerState: p.breakerState,
      });
    t.hasRedis ||= p.redis !== null;
    t.hasMaxmemory ||= (p.redis?.maxmemory ?? 0) > 0;
    t.hasSessions ||= p.sessions !== null;
    t.hasBreaker ||= p.breakerState !== null;
  }
  const columns: Column[] = [
    'rps',
    'errorRatePercent',
    ...Object.values(classColumns),
    'p50Ms',
    'p99Ms',
    'usedMemoryMB',
    'maxmemoryMB',
    'evictedKeys',
    'sessionsValid',
    'sessionsLost',
    'breakerState',
  ];
  for (const [atMs, r] of [...rows].sort((a, b) => a[0] - b[0])) {
    t.seconds.push(atMs / 1000);
    for (const c of columns) t[c].push(r[c] ?? null);
  }
  t.errorClasses = Object.values(classColumns).filter((c) => seenClasses.has(c));
  return t;
}

/** The moments a failed incident run is read by; each undefined when it did not happen. */
export interface TimelineFacts {
  /** When the first sample with used_memory within 2% of maxmemory was complete (ms from t = 0). */
  memoryFullAtMs?: number;
  peakUsedMemory?: number;
  maxmemory?: number;
  /** Evictions counted by INFO over the series (last − first sample), and when the first sample showing them was. */
  evictedKeys: number;
  evictionsFromMs?: number;
  /**
   * Share of sampled sessions still valid: in the samples complete before the first fault, and the lowest in a sample
   * after it.
   */
  sampledValidBefore?: number;
  sampledValidLowest?: number;
  sampledValidLowestAtMs?: number;
}

export function timelineFacts(experiment: Pick<ExperimentJournal, 'series' | 'faults'>): TimelineFacts {
  const points = [...experiment.series].sort((a, b) => a.second - b.second);
  const firstFaultMs = Math.min(...experiment.faults.map((f) => f.appliedAtMs ?? f.scheduledAtMs));
  const facts: TimelineFacts = { evictedKeys: 0 };
  let firstEvicted: number | undefined;
  let before = { checked: 0, valid: 0 };
  for (const p of points) {
    const atMs = sampleKnownAtMs(p);
    if (p.redis) {
      firstEvicted ??= p.redis.evictedKeys;
      facts.evictedKeys = p.redis.evictedKeys - firstEvicted;
      if (facts.evictedKeys > 0) facts.evictionsFromMs ??= atMs;
      if (p.redis.usedMemory > (facts.peakUsedMemory ?? -1)) facts.peakUsedMemory = p.redis.usedMemory;
      if (p.redis.maxmemory > 0) {
        facts.maxmemory = p.redis.maxmemory;
        if (p.redis.usedMemory >= p.redis.maxmemory * 0.98) facts.memoryFullAtMs ??= atMs;
      }
    }
    if (p.sessions && p.sessions.checked > 0) {
      const share = p.sessions.valid / p.sessions.checked;
      // a sample complete before the fault cannot have seen it; one that ended at or after it may have
      if (atMs < firstFaultMs)
        before = { checked: before.checked + p.sessions.checked, valid: before.valid + p.sessions.valid };
      else if (share < (facts.sampledValidLowest ?? Infinity)) {
        facts.sampledValidLowest = share;
        facts.sampledValidLowestAtMs = atMs;
      }
    }
  }
  if (before.checked > 0) facts.sampledValidBefore = before.valid / before.checked;
  return facts;
}
