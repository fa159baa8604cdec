// Compares two runs experiment by experiment: status, every compared metric with its change, expectations, Redis
// config.
import type { ExperimentJournal, ExperimentStatus, Journal, JournalExpectation } from '../../journal/journal-types.ts';
import { formatValue } from '../../expectations/index.ts';
import { comparedMetrics } from './compare-metrics.ts';
import { regressionsOf, verdictCounts, verdictOf, verdictOrder, type ExperimentVerdict } from './compare-verdict.ts';

export type Change = 'better' | 'worse' | 'same' | 'changed' | 'n/a';

export interface MetricChange {
  metric: string;
  a: string;
  b: string;
  delta: string;
  change: Change;
}

export interface ExpectationChange {
  expression: string;
  a?: JournalExpectation;
  b?: JournalExpectation;
  change: Change;
}

export interface ExperimentComparison {
  name: string;
  a?: ExperimentJournal;
  b?: ExperimentJournal;
  status: { a: ExperimentStatus | 'absent'; b: ExperimentStatus | 'absent' };
  metrics: MetricChange[];
  expectations: ExpectationChange[];
  redisConfig: { key: string; a: string; b: string }[];
  /** Both runs recorded an effective Redis config for this experiment (so "the same" means something). */
  redisConfigCompared: boolean;
  target: { a: string; b: string };
  verdict: ExperimentVerdict;
  /** Expectations that passed in A and fail in B. */
  regressions: number;
}

export interface RunComparison {
  a: Pick<Journal, 'runId' | 'status' | 'startedAt'>;
  b: Pick<Journal, 'runId' | 'status' | 'startedAt'>;
  /** Regressed first, then improved, unchanged, and those only in one run. */
  experiments: ExperimentComparison[];
  counts: Record<ExperimentVerdict, number>;
  /** Expectations that went from pass to fail, over all experiments. */
  regressions: number;
  /** Why some numbers may differ for reasons outside the service (the two runs shared the machine differently). */
  caveats: string[];
}

export function compareJournals(a: Journal, b: Journal): RunComparison {
  const names = [...new Set([...a.experiments.map((e) => e.name), ...b.experiments.map((e) => e.name)])];
  const experiments = names
    .map((name) =>
      compareExperiment(
        name,
        a.experiments.find((e) => e.name === name),
        b.experiments.find((e) => e.name === name),
      ),
    )
    .map((x, index) => ({ x, index }))
    .sort((p, q) => verdictOrder.indexOf(p.x.verdict) - verdictOrder.indexOf(q.x.verdict) || p.index - q.index)
    .map(({ x }) => x);
  return {
    a: { runId: a.runId, status: a.status, startedAt: a.startedAt },
    b: { runId: b.runId, status: b.status, startedAt: b.startedAt },
    experiments,
    counts: verdictCounts(experiments),
    regressions: experiments.reduce((sum, x) => sum + x.regressions, 0),
    caveats: caveatsOf(a, b),
  };
}

/** Experiments that shared the machine in one run and not in the other have latencies measured under other loads. */
function caveatsOf(a: Journal, b: Journal): string[] {
  const level = (j: Journal) => j.parallel?.maxAtOnce ?? j.parallel?.level ?? 1;
  if (level(a) === level(b)) return [];
  return [
    `A ran up to ${level(a)} experiment(s) at a time, B up to ${level(b)}: latencies (p99, recovery) were measured ` +
      'beside different loads on the machine, so a change in them may be the neighbours, not the service. Compare ' +
      'runs of the same parallelism for latency (--parallel 1 for the most quiet).',
  ];
}

function compareExperiment(
  name: string,
  a: ExperimentJournal | undefined,
  b: ExperimentJournal | undefined,
): ExperimentComparison {
  const metrics: MetricChange[] = [];
  for (const m of comparedMetrics) {
    const va = a ? m.read(a) : null;
    const vb = b ? m.read(b) : null;
    if (va === null && vb === null) continue;
    const show = (v: number | null) => (v === null ? '–' : formatValue(m.kind, v));
    metrics.push({ metric: m.name, a: show(va), b: show(vb), ...changeOf(m.kind, m.better, va, vb) });
  }
  const expressions = [...new Set([...(a?.expectations ?? []), ...(b?.expectations ?? [])].map((x) => x.expression))];
  const expectations = expressions.map((expression): ExpectationChange => {
    const xa = a?.expectations.find((x) => x.expression === expression);
    const xb = b?.expectations.find((x) => x.expression === expression);
    const change: Change = !xa || !xb ? 'n/a' : xa.passed === xb.passed ? 'same' : xb.passed ? 'better' : 'worse';
    return { expression, ...(xa ? { a: xa } : {}), ...(xb ? { b: xb } : {}), change };
  });
  const ca = a?.environment.redisConfig ?? {};
  const cb = b?.environment.redisConfig ?? {};
  const keys = [...new Set([...Object.keys(ca), ...Object.keys(cb)])].sort();
  const redisConfig =
    a && b
      ? keys
          .filter((k) => ca[k] !== cb[k] && !perRunSettings.has(k))
          .map((k) => ({ key: k, a: ca[k] ?? '–', b: cb[k] ?? '–' }))
      : [];
  const status = { a: a?.status ?? ('absent' as const), b: b?.status ?? ('absent' as const) };
  return {
    name,
    ...(a ? { a } : {}),
    ...(b ? { b } : {}),
    status,
    metrics,
    expectations,
    redisConfig,
    redisConfigCompared: Object.keys(ca).length > 0 && Object.keys(cb).length > 0,
    target: { a: a?.target.name ?? '–', b: b?.target.name ?? '–' },
    verdict: verdictOf({ status, expectations }),
    regressions: regressionsOf({ expectations }),
  };
}

/** Settings every run chooses afresh (its own temp dir and port): not a config change. */
const perRunSettings = new Set(['dir', 'logfile', 'pidfile', 'port', 'tls-port', 'unixsocket']);

/**
 * The change from a to b: within 2% (or both zero) is the same; otherwise better or worse by the metric's direction.
 */
function changeOf(
  kind: Parameters<typeof formatValue>[0],
  better: 'lower' | 'higher' | 'neither',
  a: number | null,
  b: number | null,
): { delta: string; change: Change } {
  if (a === null || b === null) return { delta: '–', change: 'n/a' };
  if (
    a === b ||
    (Number.isFinite(a) && Number.isFinite(b) && Math.abs(b - a) <= 0.02 * Math.max(Math.abs(a), Math.abs(b)))
  )
    return { delta: '=', change: 'same' };
  const diff = b - a;
  const sign = diff > 0 ? '+' : '−';
  let delta = Number.isFinite(diff) ? `${sign}${formatValue(kind, Math.abs(diff))}` : diff > 0 ? '→ ∞' : '→ finite';
  if (Number.isFinite(diff) && a !== 0 && kind !== 'ratio')
    delta += ` (${sign}${Math.round((Math.abs(diff) / Math.abs(a)) * 100)}%)`;
  if (kind === 'ratio' && Number.isFinite(diff))
    delta = `${sign}${formatValue('ratio', Math.abs(diff)).replace('%', '')} pt`;
  if (better === 'neither') return { delta, change: 'changed' };
  return { delta, change: diff < 0 === (better === 'lower') ? 'better' : 'worse' };
}
