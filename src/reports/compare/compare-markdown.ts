// compare.md: per experiment the status change, a table of metrics A → B with the change, failed-expectation changes,
// Redis config changes.
import { markdownCode, markdownTable } from '../markdown-table.ts';
import { statusIcon } from '../markdown-reporter.ts';
import type { Change, ExperimentComparison, RunComparison } from './compare-journals.ts';
import { verdictLabel, verdictOrder } from './compare-verdict.ts';

export const changeMark: Record<Change, string> = {
  better: '🟢 better',
  worse: '🔴 worse',
  same: 'same',
  changed: 'changed',
  'n/a': '–',
};

export function renderCompareMarkdown(c: RunComparison): string {
  const lines = [
    `### cachequake compare: A \`${c.a.runId}\` (${c.a.status}) → B \`${c.b.runId}\` (${c.b.status})`,
    '',
    verdictLine(c),
    '',
    ...c.caveats.flatMap((caveat) => [`> ⚠️ ${caveat}`, '']),
    markdownTable(
      ['verdict', 'experiments', ''],
      verdictOrder
        .filter((v) => c.counts[v] > 0)
        .map((v) => [verdictMark[v], String(c.counts[v]), namesOf(c.experiments.filter((x) => x.verdict === v))]),
      ['l', 'r', 'l'],
    ),
    '',
  ];
  // experiments run in only one of the two have nothing to compare: their row above is all there is to say
  for (const x of c.experiments.filter((e) => e.a && e.b)) {
    const status = (s: string) => `${statusIcon[s] ?? '➖'} ${s}`;
    lines.push(`#### ${x.name}: ${verdictLabel[x.verdict]}, ${status(x.status.a)} → ${status(x.status.b)}`, '');
    if (x.target.a !== x.target.b) lines.push(`target: \`${x.target.a}\` → \`${x.target.b}\``, '');
    if (x.metrics.length) {
      // an unchanged experiment shows only what moved; a changed one shows everything for context
      const rows = x.verdict === 'unchanged' ? x.metrics.filter((m) => m.change !== 'same') : x.metrics;
      if (rows.length === 0) lines.push('Every compared metric is the same.', '');
      else
        lines.push(
          markdownTable(
            ['metric', 'A', 'B', 'change', ''],
            rows.map((m) => [markdownCode(m.metric), m.a, m.b, m.delta, changeMark[m.change]]),
            ['l', 'r', 'r', 'r', 'l'],
          ),
          '',
        );
    }
    const flipped = x.expectations.filter((e) => e.change === 'better' || e.change === 'worse');
    if (flipped.length) {
      lines.push(
        markdownTable(
          ['expectation', 'A', 'B'],
          flipped.map((e) => [
            markdownCode(e.expression),
            `${e.a?.passed ? '✅' : '❌'} ${e.a?.actualText ?? ''}`,
            `${e.b?.passed ? '✅' : '❌'} ${e.b?.actualText ?? ''}`,
          ]),
        ),
        '',
      );
    }
    if (x.redisConfig.length) {
      const shown = x.redisConfig.slice(0, 20);
      lines.push(
        `Redis config changed: ${shown.map((r) => `${markdownCode(r.key)} ${markdownCode(r.a || '""')} → ${markdownCode(r.b || '""')}`).join(', ')}${x.redisConfig.length > shown.length ? `, and ${x.redisConfig.length - shown.length} more` : ''}`,
        '',
      );
    }
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

const verdictMark = {
  regressed: '🔴 regressed',
  improved: '🟢 improved',
  unchanged: 'unchanged',
  'only-in-a': '➖ only in A',
  'only-in-b': '➖ only in B',
} as const;

/** The first line a reader needs: did anything go from pass to fail. */
export function verdictLine(c: RunComparison): string {
  if (c.regressions > 0 || c.counts.regressed > 0)
    return `**Regressed**: ${c.regressions} expectation(s) went from pass to fail in ${c.counts.regressed} experiment(s).`;
  if (c.counts.improved > 0) return `**Improved**: nothing regressed; ${c.counts.improved} experiment(s) improved.`;
  return '**No regression**: no expectation went from pass to fail.';
}

function namesOf(experiments: readonly ExperimentComparison[]): string {
  return experiments.map((x) => x.name).join(', ');
}
