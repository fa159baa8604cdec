// Overlaid timelines of the same experiment in two runs (A dashed grey, B in colour), for the page script to draw.
import type { ExperimentJournal } from '../../journal/journal-types.ts';
import { chartColors, chartFaults, type ChartSpec, type ExperimentCharts } from '../html/chart-specs.ts';
import { buildTimeline, type Timeline } from '../timeline.ts';

type Column = 'errorRatePercent' | 'p99Ms' | 'usedMemoryMB' | 'evictedKeys' | 'sessionsValid';

const overlays: {
  column: Column;
  title: string;
  unit: string;
  suffix: string;
  color: string;
  needs?: keyof Timeline;
}[] = [
  {
    column: 'usedMemoryMB',
    title: 'Redis used_memory',
    unit: 'MB',
    suffix: ' MB',
    color: chartColors.orange,
    needs: 'hasRedis',
  },
  {
    column: 'evictedKeys',
    title: 'Redis evicted keys (cumulative)',
    unit: 'keys',
    suffix: '',
    color: chartColors.darkRed,
    needs: 'hasRedis',
  },
  {
    column: 'sessionsValid',
    title: 'Ledger sessions sampled each second: still valid',
    unit: 'sessions',
    suffix: '',
    color: chartColors.green,
    needs: 'hasSessions',
  },
  { column: 'errorRatePercent', title: 'Error rate', unit: '%', suffix: '%', color: chartColors.red },
  { column: 'p99Ms', title: 'Latency p99', unit: 'ms', suffix: ' ms', color: chartColors.purple },
];

export function comparisonCharts(a: ExperimentJournal, b: ExperimentJournal, id: string): ExperimentCharts {
  const ta = buildTimeline(a);
  const tb = buildTimeline(b);
  // both runs on one x axis: the union of their moments, each run null where it has no value
  const seconds = [...new Set([...ta.seconds, ...tb.seconds])].sort((x, y) => x - y);
  const aligned = (t: Timeline, column: Column) => {
    const atSecond = new Map(t.seconds.map((s, i) => [s, t[column][i] ?? null]));
    return seconds.map((s) => atSecond.get(s) ?? null);
  };
  const columns: Record<string, (number | null)[]> = { seconds };
  const charts: ChartSpec[] = [];
  for (const o of overlays) {
    if (o.needs && !ta[o.needs] && !tb[o.needs]) continue;
    columns[`a.${o.column}`] = aligned(ta, o.column);
    columns[`b.${o.column}`] = aligned(tb, o.column);
    charts.push({
      id: `${id}-${o.column}`,
      title: o.title,
      unit: o.unit,
      suffix: o.suffix,
      // B first, A dashed on top of it: where the runs agree both stay visible
      series: [
        { label: 'B', column: `b.${o.column}`, color: o.color, width: 2.5 },
        { label: 'A', column: `a.${o.column}`, color: chartColors.slate, dash: [5, 4], width: 1.5 },
      ],
    });
  }
  return {
    id,
    columns,
    phases: b.phases.map((p) => ({ name: p.name, startS: p.startMs / 1000, endS: p.endMs / 1000 })),
    faults: chartFaults(b.faults),
    charts,
  };
}
