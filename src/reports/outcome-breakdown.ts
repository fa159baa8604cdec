// The failed requests of a phase split by outcome class, for the cards, the "Why" and the terminal: a logged-out user
// (401/403) reads differently from a failing service (5xx), a timeout or a refused connection.
import type { LoadStats } from '../journal/journal-load.ts';
import { errorsByClass, outcomeClasses, type OutcomeClassInfo } from '../load/index.ts';
import { formatCount, formatPercent } from './format-quantities.ts';

export interface ClassShare {
  info: OutcomeClassInfo;
  count: number;
  /** count / requests of the phase. */
  rate: number;
}

/** Every class with its count and rate (0 for none), in catalogue order. */
export function classShares(stats: LoadStats): ClassShare[] {
  const counts = errorsByClass(stats.errorsByReason);
  return outcomeClasses.map((info) => ({
    info,
    count: counts[info.key],
    rate: stats.requests ? counts[info.key] / stats.requests : 0,
  }));
}

/** "3,606 session lost (401/403), no 5xx": the classes that failed requests; says so when there were no 5xx. */
export function describeErrorClasses(stats: LoadStats): string {
  const shares = classShares(stats);
  const present = shares.filter((s) => s.count > 0).map((s) => `${formatCount(s.count)} ${s.info.label}`);
  const server = shares.find((s) => s.info.key === 'serverError');
  if (present.length && server && server.count === 0) present.push('no 5xx');
  return present.join(', ');
}

/** "90.1% session lost (401/403)": the share of each class that failed requests. */
export function describeErrorRates(stats: LoadStats): string {
  return classShares(stats)
    .filter((s) => s.count > 0)
    .map((s) => `${formatPercent(s.rate)} ${s.info.label}`)
    .join(', ');
}
