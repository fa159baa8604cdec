// report.html: one self-contained page per run (uPlot, CSS, data and the chart script inlined) that opens offline.
import { parallelSummary } from '../run-parallel.ts';
import type { Journal } from '../../journal/journal-types.ts';
import type { Reporter } from '../reporter.ts';
import { formatSecondsFromMs } from '../format-quantities.ts';
import { experimentCharts } from './chart-specs.ts';
import { experimentSection } from './experiment-section.ts';
import { escapeHtml, jsonForScript, scriptText } from './html-escape.ts';
import { inlineAssets } from './inline-assets.ts';
import { reportStyles } from './report-styles.ts';
import { notesSection } from './notes-section.ts';

export function renderHtmlReport(journal: Journal): string {
  const assets = inlineAssets();
  const ids = journal.experiments.map((e, i) => `x${i}-${e.name.replace(/[^A-Za-z0-9_-]/g, '-')}`);
  const charts = journal.experiments.map((e, i) => experimentCharts(e, ids[i] as string));
  const durationMs = Date.parse(journal.endedAt) - Date.parse(journal.startedAt);
  const parallel = parallelSummary(journal);
  const counts = journal.experiments.reduce<Record<string, number>>(
    (acc, e) => ({ ...acc, [e.status]: (acc[e.status] ?? 0) + 1 }),
    {},
  );
  const nav = journal.experiments
    .map((e, i) => `<a href="#${ids[i]}">${escapeHtml(e.name)} <span class="badge ${e.status}">${e.status}</span></a>`)
    .join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>cachequake ${escapeHtml(journal.status)} · ${escapeHtml(journal.runId)}</title>
<style>${assets.uplotCss}</style>
<style>${reportStyles}</style>
</head>
<body data-status="${journal.status}">
<header class="run">
<h1>cachequake run ${escapeHtml(journal.runId)} <span class="badge ${journal.status}">${journal.status.toUpperCase()}</span></h1>
<div class="meta">${escapeHtml(journal.startedAt)} · ${escapeHtml(Number.isFinite(durationMs) ? formatSecondsFromMs(durationMs) : '–')} · ${journal.experiments.length} experiment(s): ${escapeHtml(
    Object.entries(counts)
      .map(([k, v]) => `${v} ${k}`)
      .join(', '),
  )} · ${escapeHtml(journal.tool.name)} ${escapeHtml(journal.tool.version)}</div>
${parallel ? `<div class="meta parallel">${escapeHtml(parallel)}</div>` : ''}
${journal.experiments.length > 1 ? `<nav>${nav}</nav>` : ''}
</header>
<main>
${notesSection(journal)}
${journal.experiments.map((e, i) => scrollableTables(experimentSection(e, charts[i] as (typeof charts)[number]))).join('\n')}
${journal.experiments.length === 0 ? '<p>The journal holds no experiments.</p>' : ''}
</main>
<script type="application/json" id="cq-data">${jsonForScript({ experiments: charts })}</script>
<script>${scriptText(assets.uplotJs)}</script>
<script>${scriptText(assets.chartsJs)}</script>
</body>
</html>
`;
}

/** Each table in a box that scrolls sideways on a narrow screen, so the page itself never does. */
export function scrollableTables(html: string): string {
  return html.replace(/<table\b/g, '<div class="table-scroll"><table').replace(/<\/table>/g, '</table></div>');
}

export const htmlReporter: Reporter = { name: 'html', fileName: 'report.html', render: renderHtmlReport };
