// The verdict of a comparison, per experiment and for the run: regressed, improved, unchanged, or only in one run.
// Regressed means an expectation (or the experiment) went from pass to fail; that is what `compare` exits 1 on.
import type { ExperimentComparison } from './compare-journals.ts';

export type ExperimentVerdict = 'regressed' | 'improved' | 'unchanged' | 'only-in-a' | 'only-in-b';

/** The order experiments are shown in: what needs attention first. */
export const verdictOrder: readonly ExperimentVerdict[] = [
  'regressed',
  'improved',
  'unchanged',
  'only-in-a',
  'only-in-b',
];

export const verdictLabel: Record<ExperimentVerdict, string> = {
  regressed: 'regressed',
  improved: 'improved',
  unchanged: 'unchanged',
  'only-in-a': 'only in A',
  'only-in-b': 'only in B',
};

type Compared = Pick<ExperimentComparison, 'status' | 'expectations'>;

export function verdictOf(x: Compared): ExperimentVerdict {
  if (x.status.b === 'absent') return 'only-in-a';
  if (x.status.a === 'absent') return 'only-in-b';
  if (regressionsOf(x) > 0 || (x.status.a === 'passed' && x.status.b !== 'passed')) return 'regressed';
  if (x.expectations.some((e) => e.change === 'better') || (x.status.a !== 'passed' && x.status.b === 'passed'))
    return 'improved';
  return 'unchanged';
}

/** Expectations that passed in A and fail in B. */
export function regressionsOf(x: Pick<ExperimentComparison, 'expectations'>): number {
  return x.expectations.filter((e) => e.change === 'worse').length;
}

/** How many experiments have each verdict, every verdict present (zero when none). */
export function verdictCounts(
  experiments: readonly { verdict: ExperimentVerdict }[],
): Record<ExperimentVerdict, number> {
  const counts = Object.fromEntries(verdictOrder.map((v) => [v, 0])) as Record<ExperimentVerdict, number>;
  for (const x of experiments) counts[x.verdict]++;
  return counts;
}
