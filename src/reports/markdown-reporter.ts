// summary.md: per experiment its verdict, the cause in one sentence, and a compact table of the expectations.
import type { ExperimentJournal, Journal } from '../journal/journal-types.ts';
import type { Reporter } from './reporter.ts';
import { formatAt, formatBytes, formatCount, formatSecondsFromMs } from './format-quantities.ts';
import { markdownCode, markdownTable } from './markdown-table.ts';
import { describeErrorClasses } from './outcome-breakdown.ts';
import { faultStatusText } from './fault-outcome.ts';
import { verdictSentence } from './verdict-summary.ts';
import { haltLine, noteLines } from './run-notes.ts';
import { parallelSummary } from './run-parallel.ts';

export const statusIcon: Record<string, string> = { passed: '✅', failed: '❌', error: '💥', aborted: '⏹️' };

export function renderMarkdown(journal: Journal): string {
  const counts = journal.experiments.reduce<Record<string, number>>(
    (acc, e) => ({ ...acc, [e.status]: (acc[e.status] ?? 0) + 1 }),
    {},
  );
  const lines = [
    `### ${statusIcon[journal.status] ?? ''} cachequake ${journal.status}: ${
      Object.entries(counts)
        .map(([k, v]) => `${v} ${k}`)
        .join(', ') || 'no experiments'
    }`,
    '',
    `Run \`${journal.runId}\`, ${journal.startedAt}. Full report: \`report.html\` beside this file.`,
    '',
  ];
  const parallel = parallelSummary(journal);
  if (parallel) lines.push(`Parallelism: ${parallel}`, '');
  const halt = haltLine(journal);
  if (halt) lines.push(`**${halt}**`, '');
  const notes = noteLines(journal);
  if (notes.length)
    lines.push(
      '#### Notes',
      '',
      ...notes.map((n) => `- ${n.when}${n.author ? ` · ${n.author}` : ''}: ${n.text.replace(/\s*\n\s*/g, ' ')}`),
      '',
    );
  for (const e of journal.experiments) lines.push(...experimentBlock(e), '');
  return `${lines.join('\n').trimEnd()}\n`;
}

function experimentBlock(e: ExperimentJournal): string[] {
  const config = e.environment.redisConfig;
  const redis =
    config.maxmemory === undefined
      ? ''
      : ` · Redis maxmemory ${config.maxmemory === '0' ? 'none' : formatBytes(Number(config.maxmemory))} ${config['maxmemory-policy'] ?? ''}`;
  const out = [
    `#### ${statusIcon[e.status] ?? ''} ${e.name} — ${e.status}`,
    '',
    `target \`${e.target.name}\` · ${formatSecondsFromMs(e.durationMs)} · ${
      e.cache && e.sessions.created === 0
        ? `cache stale ${formatCount(e.cache.stale)} of ${formatCount(e.cache.ids)}`
        : `sessions lost ${formatCount(e.sessions.lost)} of ${formatCount(e.sessions.created)}`
    }${redis}`,
    '',
    `> ${verdictSentence(e).replace(/\s*\n\s*/g, ' ')}`,
    ...(e.error?.hint && e.status === 'error' ? ['>', `> ${e.error.hint.split('\n')[0]}`] : []),
    '',
  ];
  if (e.expectations.length) {
    out.push(
      markdownTable(
        ['', 'expectation', 'actual'],
        e.expectations.map((x) => [x.passed ? '✅' : '❌', markdownCode(x.expression), x.actualText]),
        ['l', 'l', 'r'],
      ),
    );
  } else out.push('_No expectations were evaluated._');
  const fault = e.metrics.fault?.http;
  if (fault && fault.errors > 0)
    out.push(
      '',
      `Failed requests in the fault phase: ${formatCount(fault.errors)} of ${formatCount(fault.requests)} — ${describeErrorClasses(fault)}`,
    );
  if (e.faults.length) {
    const faults = e.faults.map(
      (f) =>
        `${f.index + 1}. ${f.kind} ${f.appliedAtMs === undefined ? 'not applied' : `${formatAt(f.appliedAtMs)}→${f.revertedAtMs === undefined ? '?' : formatAt(f.revertedAtMs).slice(2)}`} ${faultStatusText(e, f)}`,
    );
    out.push('', `Faults: ${faults.join(' · ')}`);
  }
  return out;
}

export const markdownReporter: Reporter = { name: 'markdown', fileName: 'summary.md', render: renderMarkdown };
