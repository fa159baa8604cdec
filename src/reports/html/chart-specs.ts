// Which timelines an experiment's report draws, from its journal: the data the page script hands to uPlot.
import type { ExperimentJournal } from '../../journal/journal-types.ts';
import type { JournalFault } from '../../journal/journal-types.ts';
import { isIrreversible } from '../fault-outcome.ts';
import { buildTimeline, type ErrorClassColumn } from '../timeline.ts';

export interface ChartSeries {
  label: string;
  /** A key of ExperimentCharts.columns. */
  column: string;
  color: string;
  dash?: number[];
  stepped?: boolean;
  width?: number;
}

export interface ChartSpec {
  id: string;
  title: string;
  unit: string;
  /** Appended to values in the live legend. */
  suffix?: string;
  format?: 'breaker';
  yMin?: number;
  yMax?: number;
  series: ChartSeries[];
}

export interface ExperimentCharts {
  id: string;
  columns: Record<string, (number | null)[]>;
  phases: { name: string; startS: number; endS: number }[];
  /** revertedS is null for a fault not reverted, and for one that cannot be (reversible false). */
  faults: { number: number; label: string; appliedS: number | null; revertedS: number | null; reversible?: boolean }[];
  charts: ChartSpec[];
}

export const chartColors = {
  blue: '#2563eb',
  red: '#dc2626',
  purple: '#7c3aed',
  orange: '#ea580c',
  darkRed: '#7f1d1d',
  green: '#16a34a',
  slate: '#475569',
} as const;

const errorClassSeries: Record<ErrorClassColumn, Omit<ChartSeries, 'column'>> = {
  unauthorizedRatePercent: { label: '401/403 (session lost)', color: chartColors.purple, dash: [6, 3] },
  serverErrorRatePercent: { label: '5xx', color: chartColors.darkRed, dash: [2, 2] },
  timeoutRatePercent: { label: 'timeouts', color: chartColors.orange, dash: [8, 3, 2, 3] },
  connectionErrorRatePercent: { label: 'connection errors', color: chartColors.slate, dash: [4, 4] },
  otherErrorRatePercent: { label: 'other', color: chartColors.blue, dash: [1, 3] },
};

export function experimentCharts(experiment: ExperimentJournal, id: string): ExperimentCharts {
  const t = buildTimeline(experiment);
  // the session story first (memory → evictions → sessions lost), then what the users felt, then the load itself
  const charts: ChartSpec[] = [];
  if (t.hasRedis) {
    const memory: ChartSeries[] = [
      { label: 'used_memory', column: 'usedMemoryMB', color: chartColors.orange, width: 2.5 },
    ];
    if (t.hasMaxmemory)
      memory.push({ label: 'maxmemory', column: 'maxmemoryMB', color: chartColors.red, dash: [6, 4] });
    charts.push(
      {
        id: `${id}-memory`,
        title: t.hasMaxmemory ? 'Redis used_memory against maxmemory' : 'Redis used_memory (no maxmemory set)',
        unit: 'MB',
        suffix: ' MB',
        series: memory,
      },
      {
        id: `${id}-evicted`,
        title: 'Redis evicted keys (cumulative)',
        unit: 'keys',
        series: [{ label: 'evicted_keys', column: 'evictedKeys', color: chartColors.darkRed }],
      },
    );
  }
  if (t.hasSessions) {
    charts.push({
      id: `${id}-sessions`,
      title: 'Ledger sessions sampled each second',
      unit: 'sessions',
      series: [
        { label: 'still valid', column: 'sessionsValid', color: chartColors.green, width: 2.5 },
        { label: 'lost (401)', column: 'sessionsLost', color: chartColors.red },
      ],
    });
  }
  charts.push(
    {
      id: `${id}-errors`,
      title: t.errorClasses.length ? 'Error rate, and by class' : 'Error rate',
      unit: '%',
      suffix: '%',
      series: [
        { label: 'all errors', column: 'errorRatePercent', color: chartColors.red, width: 2.5 },
        // a logged-out user and a failing service call for different responses: each class its own line
        ...t.errorClasses.map((column) => ({ ...errorClassSeries[column], column })),
      ],
    },
    {
      id: `${id}-latency`,
      title: 'Latency p50 / p99',
      unit: 'ms',
      suffix: ' ms',
      series: [
        { label: 'p50', column: 'p50Ms', color: chartColors.blue },
        { label: 'p99', column: 'p99Ms', color: chartColors.purple },
      ],
    },
    {
      id: `${id}-rps`,
      title: 'Requests per second',
      unit: 'req/s',
      series: [{ label: 'requests/s', column: 'rps', color: chartColors.blue }],
    },
  );
  if (t.hasBreaker) {
    charts.push({
      id: `${id}-breaker`,
      title: 'Target circuit breaker state',
      unit: '',
      format: 'breaker',
      yMin: 0,
      yMax: 2.2,
      series: [{ label: 'breaker', column: 'breakerState', color: chartColors.slate, stepped: true }],
    });
  }
  const { hasRedis: _r, hasMaxmemory: _m, hasSessions: _s, hasBreaker: _b, errorClasses: _c, ...columns } = t;
  return {
    id,
    columns,
    phases: experiment.phases.map((p) => ({ name: p.name, startS: p.startMs / 1000, endS: p.endMs / 1000 })),
    faults: chartFaults(experiment.faults),
    charts,
  };
}

/** The fault markers of a chart: applied, and reverted unless the fault cannot be undone (then said in its label). */
export function chartFaults(faults: readonly JournalFault[]): ExperimentCharts['faults'] {
  return faults.map((f) => {
    const irreversible = isIrreversible(f);
    return {
      number: f.index + 1,
      label: `${f.index + 1} ${f.kind}${irreversible ? ' (not reversible)' : ''}`,
      appliedS: f.appliedAtMs === undefined ? null : f.appliedAtMs / 1000,
      revertedS: f.revertedAtMs === undefined || irreversible ? null : f.revertedAtMs / 1000,
      reversible: !irreversible,
    };
  });
}
