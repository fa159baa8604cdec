// compare.md: per experiment the status change, a table of metrics A → B with the change, failed-expectation changes,
// Redis config changes.
import { markdownCode, markdownTable } from '../markdown-table.ts';
import { statusIcon } from '../markdown-reporter.ts';
import type { Change, RunComparison } from './compare-journals.ts';

export const changeMark: Record<Change, string> = {
  better: '🟢 better',
  worse: '🔴 worse',
  same: 'same',
  changed: 'changed',
  'n/a': '–',
};

export function renderCompareMarkdown(c: RunComparison): string {
  const lines = [`### cachequake compare: A \`${c.a.runId}\` (${c.a.status}) → B \`${c.b.runId}\` (${c.b.status})`, ''];
  for (const x of c.experiments) {
    const status = (s: string) => `${statusIcon[s] ?? '➖'} ${s}`;
    lines.push(`#### ${x.name}: ${status(x.status.a)} → ${status(x.status.b)}`, '');
    if (x.target.a !== x.target.b) lines.push(`target: \`${x.target.a}\` → \`${x.target.b}\``, '');
    if (x.metrics.length) {
      lines.push(
        markdownTable(
          ['metric', 'A', 'B', 'change', ''],
          x.metrics.map((m) => [markdownCode(m.metric), m.a, m.b, m.delta, changeMark[m.change]]),
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
