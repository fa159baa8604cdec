// The final table of a run: per experiment its status, sessions lost (or stale cache ids), and every expectation with its
// actual value.
import type { ExperimentJournal, Journal } from '../journal/journal-types.ts';
import { evidenceLines } from './format-evidence.ts';
import { appliedText, faultStatusText } from './fault-outcome.ts';
import { formatCount, formatPercent } from './format-quantities.ts';
import { describeErrorClasses } from './outcome-breakdown.ts';
import { causeChain } from './verdict-summary.ts';

export function resultTable(journal: Journal): string {
  const lines: string[] = [];
  for (const e of journal.experiments) {
    const mark = e.status === 'passed' ? 'PASS' : e.status.toUpperCase();
    lines.push(
      `${mark.padEnd(7)} ${e.name}  (target ${e.target.name}, ${(e.durationMs / 1000).toFixed(1)}s, ${[
        e.cache && e.sessions.created === 0
          ? undefined
          : `sessions ${e.sessions.created} created / ${e.sessions.lost} lost / ${e.sessions.errors} unchecked`,
        e.cache && `cache ${e.cache.ids} ids / ${e.cache.stale} stale / ${e.cache.errors} unread`,
      ]
        .filter(Boolean)
        .join(', ')})`,
    );
    for (const x of e.expectations)
      lines.push(`   ${x.passed ? '✓' : '✗'} ${x.expression.padEnd(46)} actual ${x.actualText}`);
    if (e.steadyState.deviated) {
      for (const r of [...e.steadyState.before, ...e.steadyState.after].filter((r) => !r.passed))
        lines.push(`   ✗ steady state: ${r.name}: ${r.detail}`);
    }
    for (const f of e.faults.filter((f) => f.status === 'failed' || f.status === 'not-reverted'))
      lines.push(`   ! fault ${f.index + 1} ${f.kind} ${f.status}: ${f.error?.message}`);
    if (e.status === 'failed' || e.status === 'aborted') lines.push(...explanation(e));
    if (e.abort) lines.push(`   aborted: ${e.abort.reason}`);
    if (e.error && e.status !== 'aborted')
      lines.push(
        `   error: ${e.error.code}: ${e.error.message}${e.error.hint ? `\n     ${e.error.hint.split('\n').join('\n     ')}` : ''}`,
      );
  }
  const counts = journal.experiments.reduce<Record<string, number>>(
    (acc, e) => ({ ...acc, [e.status]: (acc[e.status] ?? 0) + 1 }),
    {},
  );
  lines.push(
    '',
    `${journal.experiments.length} experiment(s): ${Object.entries(counts)
      .map(([k, v]) => `${v} ${k}`)
      .join(', ')}`,
  );
  return lines.join('\n');
}

/** Why it failed, as the report says it, then the evidence it rests on: requests by class, each fault's record. */
function explanation(e: ExperimentJournal, maxEvidence = 3): string[] {
  const lines: string[] = [];
  const causes = causeChain(e);
  if (causes.length) lines.push(`   Why: ${causes.join('; ')}.`);
  const fault = e.metrics.fault?.http;
  if (fault && fault.errors > 0)
    lines.push(
      `   requests in the fault phase: ${formatPercent(fault.errorRate)} failed (${formatCount(fault.errors)} of ${formatCount(fault.requests)}): ${describeErrorClasses(fault)}`,
    );
  for (const f of e.faults) {
    const evidence = evidenceLines(f.evidence)
      .slice(0, maxEvidence)
      .map(([k, v]) => `${k} ${v}`)
      .join('; ');
    lines.push(
      `   fault ${f.index + 1} ${f.kind} applied ${appliedText(f)}, ${faultStatusText(e, f)}${evidence ? `: ${evidence}` : ''}`,
    );
  }
  return lines;
}
