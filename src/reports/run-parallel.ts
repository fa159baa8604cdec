// One sentence on how many experiments of a run went at the same time, why, and the CPU meanwhile: for the console,
// report.html and summary.md. Said only when more than one could run at once or the level was chosen (auto).
import type { Journal } from '../journal/journal-types.ts';
import type { JournalParallel } from '../journal/journal-parallel.ts';

/** "up to 2 experiment(s) at a time (--parallel auto: …)". */
export function parallelLevelText(parallel: JournalParallel): string {
  const why = parallel.requested === 'auto' ? ` (--parallel auto: ${parallel.reason ?? ''})` : '';
  return `up to ${parallel.level} experiment(s) at a time${why}`;
}

/** The level, the most that ran at once and the CPU seen; undefined for a run of one at a time by default. */
export function parallelSummary(journal: Pick<Journal, 'parallel'>): string | undefined {
  const { parallel } = journal;
  if (!parallel || (parallel.requested !== 'auto' && parallel.level <= 1)) return undefined;
  const most = parallel.maxAtOnce !== undefined ? `; ${parallel.maxAtOnce} ran at once at most` : '';
  const { cpu } = parallel;
  const seen = cpu
    ? `. CPU while it ran (${parallel.cores} cores): busy ${cpu.busyMeanPct}% on average, ${cpu.busyMaxPct}% in the busiest second (headroom ${cpu.headroomMinPct}%)`
    : '';
  return `${parallelLevelText(parallel)}${most}${seen}.`;
}
