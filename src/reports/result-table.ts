// The final table of a run: per experiment its status, sessions lost (or stale cache ids), and every expectation with its
// actual value.
import type { Journal } from '../journal/journal-types.ts';

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
