// The at-a-glance reading of one experiment: a verdict sentence that names the cause, and the headline numbers as
// cards.
import type { ExperimentJournal } from '../journal/journal-types.ts';
import { formatAt, formatBytes, formatCount, formatMs, formatNumber, formatPercent } from './format-quantities.ts';
import { classShares, describeErrorClasses, describeErrorRates } from './outcome-breakdown.ts';
import { timelineFacts } from './timeline.ts';

export type CardLevel = 'good' | 'warn' | 'bad' | 'plain';

export interface Card {
  label: string;
  value: string;
  sub: string;
  level: CardLevel;
}

/** What happened, in one or two sentences: for a failure, the chain memory → evictions → sessions → errors. */
export function verdictSentence(e: ExperimentJournal): string {
  const failed = e.expectations.filter((x) => !x.passed);
  if (e.status === 'error')
    return `The run did not complete: ${e.error ? `${e.error.code}: ${e.error.message.replace(/\.\s*$/, '')}` : 'an error without detail'}.`;
  const causes = causeChain(e);
  if (e.status === 'aborted')
    return `Aborted: ${e.abort?.reason ?? e.error?.message ?? 'interrupted'}.${causes.length ? ` Until then: ${causes.join('; ')}.` : ''}`;
  if (e.status === 'passed')
    return `All ${e.expectations.length} expectation(s) held${e.steadyState.before.length ? ' and the steady state held before and after' : ''}.${causes.length ? ` Observed: ${causes.join('; ')}.` : ''}`;
  const what = failed.length
    ? `${failed.length} of ${e.expectations.length} expectation(s) failed (${failed.map((x) => x.expression).join(', ')})`
    : 'the steady state deviated';
  return `${capitalize(what)}.${causes.length ? ` Why: ${causes.join('; ')}.` : ''}`;
}

/** The facts that explain a run, in causal order: memory, evictions, sessions, errors, recovery, broken faults. */
export function causeChain(e: ExperimentJournal): string[] {
  const facts = timelineFacts(e);
  const out: string[] = [];
  if (facts.memoryFullAtMs !== undefined && facts.maxmemory)
    out.push(
      `Redis used_memory reached maxmemory (${formatBytes(facts.maxmemory)}) at ${formatAt(facts.memoryFullAtMs)}`,
    );
  if (facts.evictedKeys > 0)
    out.push(
      `Redis evicted ${formatCount(facts.evictedKeys)} keys${facts.evictionsFromMs !== undefined ? ` from ${formatAt(facts.evictionsFromMs)}` : ''}`,
    );
  if (
    facts.sampledValidBefore !== undefined &&
    facts.sampledValidLowest !== undefined &&
    facts.sampledValidLowest < facts.sampledValidBefore
  ) {
    out.push(
      `sampled sessions still valid fell from ${formatPercent(facts.sampledValidBefore)} to ${formatPercent(facts.sampledValidLowest)} (${formatAt(facts.sampledValidLowestAtMs ?? 0)})`,
    );
  }
  if (e.sessions.lost > 0)
    out.push(
      `${formatCount(e.sessions.lost)} of ${formatCount(e.sessions.created)} ledger sessions (${formatPercent(e.sessions.lostRate)}) were lost`,
    );
  if (e.cache && e.cache.stale > 0)
    out.push(
      `${formatCount(e.cache.stale)} of ${formatCount(e.cache.ids)} cached ids answered differently from the baseline (${e.cache.path})`,
    );
  if (e.writes && e.writes.lost > 0)
    out.push(
      `${formatCount(e.writes.lost)} of ${formatCount(e.writes.acknowledged)} acknowledged probe writes were lost`,
    );
  if (e.writes && e.writes.refusedMs > 0)
    out.push(
      `Redis refused writes for up to ${formatMs(e.writes.refusedMs)}${e.writes.refusedFromMs !== null ? ` from t=${formatNumber(e.writes.refusedFromMs / 1000)} s` : ''}`,
    );
  const faultHttp = e.metrics.fault?.http;
  if (faultHttp && faultHttp.errorRate > 0.01) {
    const onlyLoggedOut = classShares(faultHttp).every((c) => c.info.key === 'unauthorized' || c.count === 0);
    out.push(
      `${formatPercent(faultHttp.errorRate)} of requests failed during the faults — ${describeErrorRates(faultHttp)}${onlyLoggedOut ? ', no 5xx: users were logged out, the service did not fail' : ''}`,
    );
  }
  if (e.faults.length && e.recovery.seconds === null && e.status !== 'aborted')
    out.push('the service did not recover after the faults were reverted');
  for (const f of e.faults.filter((f) => f.status === 'failed' || f.status === 'not-reverted'))
    out.push(`fault ${f.index + 1} (${f.kind}) ${f.status}`);
  return out;
}

export function headlineCards(e: ExperimentJournal): Card[] {
  const facts = timelineFacts(e);
  const cards: Card[] = [];
  if (!e.cache || e.sessions.created > 0)
    cards.push({
      label: 'Sessions lost',
      value: `${formatCount(e.sessions.lost)} / ${formatCount(e.sessions.created)}`,
      sub: `${formatPercent(e.sessions.lostRate)} of the ledger; ${formatCount(e.sessions.errors)} unchecked`,
      level: e.sessions.lost > 0 ? 'bad' : e.sessions.created > 0 ? 'good' : 'plain',
    });
  if (e.cache)
    cards.push({
      label: 'Cache stale',
      value: `${formatCount(e.cache.stale)} / ${formatCount(e.cache.ids)}`,
      sub: `ids of ${e.cache.path} answering differently from the baseline; ${formatCount(e.cache.errors)} unread at the end`,
      level: e.cache.stale > 0 ? 'bad' : e.cache.errors > 0 ? 'warn' : 'good',
    });
  if (e.writes) {
    cards.push({
      label: 'Writes lost',
      value: `${formatCount(e.writes.lost)} / ${formatCount(e.writes.acknowledged)}`,
      sub: `acknowledged probe writes; ${formatCount(e.writes.failed)} refused, longest ${formatMs(e.writes.refusedMs)}${e.writes.unverified ? `; ${formatCount(e.writes.unverified)} unverified` : ''}`,
      level: e.writes.lost > 0 ? 'bad' : e.writes.refusedMs > 0 ? 'warn' : 'good',
    });
  }
  if (facts.peakUsedMemory !== undefined) {
    const share = facts.maxmemory ? facts.peakUsedMemory / facts.maxmemory : undefined;
    cards.push({
      label: 'Redis used_memory, peak',
      value: formatBytes(facts.peakUsedMemory),
      sub:
        share === undefined
          ? 'no maxmemory set'
          : `${formatPercent(share)} of maxmemory ${formatBytes(facts.maxmemory ?? 0)}`,
      // full memory is the cause when sessions were lost; when none were, it is the fault doing its job
      level:
        share === undefined
          ? 'plain'
          : share >= 0.98
            ? e.sessions.lost > 0
              ? 'bad'
              : 'warn'
            : share >= 0.85
              ? 'warn'
              : 'good',
    });
    cards.push({
      label: 'Redis evicted keys',
      value: formatCount(facts.evictedKeys),
      sub: facts.evictionsFromMs === undefined ? 'none' : `from ${formatAt(facts.evictionsFromMs)}`,
      level: facts.evictedKeys === 0 ? 'good' : e.sessions.lost > 0 ? 'bad' : 'warn',
    });
  }
  const fault = e.metrics.fault?.http;
  const baseline = e.metrics.baseline?.http;
  if (fault) {
    cards.push({
      label: 'Error rate, fault phase',
      value: formatPercent(fault.errorRate),
      sub: `baseline ${baseline ? formatPercent(baseline.errorRate) : '–'}; ${formatCount(fault.errors)} of ${formatCount(fault.requests)}${fault.errors ? `: ${describeErrorClasses(fault)}` : ''}`,
      level: fault.errorRate > 0.01 ? 'bad' : 'good',
    });
    // one card per class: 401/403 and 5xx always (the two that are most often confused), the others when they occur
    const baselineShares = baseline ? classShares(baseline) : [];
    for (const share of classShares(fault)) {
      const key = share.info.key;
      if (share.count === 0 && key !== 'unauthorized' && key !== 'serverError') continue;
      const before = baselineShares.find((b) => b.info.key === key);
      cards.push({
        label: `${capitalize(share.info.label)}, fault phase`,
        value: formatPercent(share.rate),
        sub: `${formatCount(share.count)} of ${formatCount(fault.requests)}; baseline ${before ? formatPercent(before.rate) : '–'}`,
        level: share.rate > 0.01 ? 'bad' : share.count > 0 ? 'warn' : 'good',
      });
    }
    cards.push({
      label: 'p99 latency, fault phase',
      value: formatMs(fault.p99Ms),
      sub: `baseline ${baseline ? formatMs(baseline.p99Ms) : '–'}`,
      level: baseline && fault.p99Ms > Math.max(2 * baseline.p99Ms, baseline.p99Ms + 20) ? 'warn' : 'plain',
    });
  }
  if (e.faults.length) {
    const never = e.recovery.seconds === null;
    cards.push({
      label: 'Recovery',
      value: never ? 'never' : `${formatNumber(e.recovery.seconds ?? 0)} s`,
      sub: never ? 'not back within baseline bounds' : 'back within baseline bounds',
      level: never ? 'bad' : 'good',
    });
  }
  return cards;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
