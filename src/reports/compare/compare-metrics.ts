// The metrics a comparison of two runs lists per experiment, each with its unit and which direction is better.
import type { ExperimentJournal } from '../../journal/journal-types.ts';
import type { MetricKind } from '../../expectations/index.ts';
import { errorsByClass, outcomeClasses } from '../../load/index.ts';
import { timelineFacts } from '../timeline.ts';

export interface ComparedMetric {
  /** Named as in expectations where there is such a metric. */
  name: string;
  kind: MetricKind;
  /** Which way is an improvement; 'neither' for quantities that only describe (e.g. memory peak). */
  better: 'lower' | 'higher' | 'neither';
  /** The value in the journal; null = not measured; Infinity = never (recovery). */
  read: (e: ExperimentJournal) => number | null;
}

const phases = ['baseline', 'fault', 'recovery'] as const;

export const comparedMetrics: ComparedMetric[] = [
  { name: 'sessions.lost', kind: 'count', better: 'lower', read: (e) => e.sessions.lost },
  { name: 'sessions.lost_rate', kind: 'ratio', better: 'lower', read: (e) => e.sessions.lostRate },
  { name: 'sessions.errors', kind: 'count', better: 'lower', read: (e) => e.sessions.errors },
  { name: 'writes.lost', kind: 'count', better: 'lower', read: (e) => e.writes?.lost ?? null },
  { name: 'writes.refused_ms', kind: 'duration', better: 'lower', read: (e) => e.writes?.refusedMs ?? null },
  ...phases.map((p): ComparedMetric => ({
    name: `http.error_rate{phase=${p}}`,
    kind: 'ratio',
    better: 'lower',
    read: (e) => e.metrics[p]?.http.errorRate ?? null,
  })),
  // a logged-out user and a failing service call for different fixes: each class compared on its own
  ...outcomeClasses
    .filter((c) => c.key !== 'other')
    .map((c): ComparedMetric => ({
      name: `http.${c.rateMetric}{phase=fault}`,
      kind: 'ratio',
      better: 'lower',
      read: (e) => {
        const http = e.metrics.fault?.http;
        return http ? (http.requests ? errorsByClass(http.errorsByReason)[c.key] / http.requests : 0) : null;
      },
    })),
  ...phases.map((p): ComparedMetric => ({
    name: `http.latency.p99{phase=${p}}`,
    kind: 'duration',
    better: 'lower',
    read: (e) => e.metrics[p]?.http.p99Ms ?? null,
  })),
  {
    name: 'http.latency.p50{phase=fault}',
    kind: 'duration',
    better: 'lower',
    read: (e) => e.metrics.fault?.http.p50Ms ?? null,
  },
  { name: 'http.rps{phase=fault}', kind: 'rate', better: 'higher', read: (e) => e.metrics.fault?.http.rps ?? null },
  {
    name: 'redis.evicted_keys',
    kind: 'count',
    better: 'lower',
    read: (e) => e.metrics.run?.redis?.evicted_keys ?? null,
  },
  {
    name: 'redis.used_memory (peak)',
    kind: 'bytes',
    better: 'neither',
    read: (e) => timelineFacts(e).peakUsedMemory ?? null,
  },
  {
    name: 'recovery.seconds',
    kind: 'seconds',
    better: 'lower',
    read: (e) => (e.faults.length === 0 ? null : (e.recovery.seconds ?? Infinity)),
  },
  {
    name: 'expectations failed',
    kind: 'count',
    better: 'lower',
    read: (e) => e.expectations.filter((x) => !x.passed).length,
  },
];
