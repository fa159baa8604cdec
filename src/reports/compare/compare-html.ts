// compare.html: a self-contained page with, per experiment, the metric changes, expectation changes, Redis config
// changes and overlaid timelines.
import { escapeHtml, jsonForScript, scriptText } from '../html/html-escape.ts';
import { inlineAssets } from '../html/inline-assets.ts';
import { reportStyles } from '../html/report-styles.ts';
import { scrollableTables } from '../html/html-reporter.ts';
import type { ExperimentCharts } from '../html/chart-specs.ts';
import type { Change, ExperimentComparison, RunComparison } from './compare-journals.ts';
import { comparisonCharts } from './compare-charts.ts';
import { verdictLine } from './compare-markdown.ts';
import { verdictLabel, verdictOrder } from './compare-verdict.ts';

/** Plain words: an emoji font is not on every machine that opens the file. */
const changeMark: Record<Change, string> = {
  better: 'better',
  worse: 'worse',
  same: 'same',
  changed: 'changed',
  'n/a': '–',
};

export function renderCompareHtml(c: RunComparison): string {
  const assets = inlineAssets();
  const charts: ExperimentCharts[] = [];
  const sections = c.experiments.flatMap((x, i) => {
    if (!x.a || !x.b) return []; // only in one run: listed in the summary, nothing to compare
    const id = `c${i}-${x.name.replace(/[^A-Za-z0-9_-]/g, '-')}`;
    const overlay = x.a && x.b ? comparisonCharts(x.a, x.b, id) : undefined;
    if (overlay) charts.push(overlay);
    return section(x, id, overlay);
  });
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>cachequake compare ${escapeHtml(c.a.runId)} → ${escapeHtml(c.b.runId)}</title>
<style>${assets.uplotCss}</style>
<style>${reportStyles}</style>
</head>
<body>
<header class="run">
<h1>cachequake compare</h1>
<div class="meta">A: ${escapeHtml(c.a.runId)} <span class="badge ${c.a.status}">${c.a.status}</span> (${escapeHtml(c.a.startedAt)}) → B: ${escapeHtml(c.b.runId)} <span class="badge ${c.b.status}">${c.b.status}</span> (${escapeHtml(c.b.startedAt)})</div>
</header>
<main>
${scrollableTables(`${summary(c)}\n${sections.join('\n')}`)}
</main>
<script type="application/json" id="cq-data">${jsonForScript({ experiments: charts })}</script>
<script>${scriptText(assets.uplotJs)}</script>
<script>${scriptText(assets.chartsJs)}</script>
</body>
</html>
`;
}

/** The verdict first: one sentence, then a row per verdict with its experiments (links to the sections). */
function summary(c: RunComparison): string {
  const sentence = verdictLine(c).replace(/\*\*(.+?)\*\*/, '<strong>$1</strong>');
  const rows = verdictOrder
    .filter((v) => c.counts[v] > 0)
    .map((v) => {
      const names = c.experiments
        .map((x, i) => ({ x, i }))
        .filter(({ x }) => x.verdict === v)
        .map(({ x, i }) =>
          x.a && x.b
            ? `<a href="#c${i}-${x.name.replace(/[^A-Za-z0-9_-]/g, '-')}">${escapeHtml(x.name)}</a>`
            : escapeHtml(x.name),
        );
      return `<tr class="${v === 'regressed' ? 'worse' : v === 'improved' ? 'better' : ''}"><td>${verdictLabel[v]}</td><td class="num">${c.counts[v]}</td><td>${names.join(', ')}</td></tr>`;
    });
  return `<section class="experiment compare-summary">
<h2>Summary</h2>
<p>${sentence}</p>
${c.caveats.map((caveat) => `<p class="caveat">⚠️ ${escapeHtml(caveat)}</p>`).join('\n')}
<table class="metrics"><thead><tr><th>verdict</th><th class="num">experiments</th><th></th></tr></thead><tbody>${rows.join('')}</tbody></table>
</section>`;
}

function section(x: ExperimentComparison, id: string, overlay: ExperimentCharts | undefined): string {
  const badge = (s: string) =>
    s === 'absent' ? '<span class="muted">absent</span>' : `<span class="badge ${s}">${s.toUpperCase()}</span>`;
  const metricRows = x.metrics.map(
    (m) =>
      `<tr class="${m.change}"><td><code>${escapeHtml(m.metric)}</code></td><td class="num">${escapeHtml(m.a)}</td><td class="num">${escapeHtml(m.b)}</td><td class="num delta">${escapeHtml(m.delta)}</td><td>${escapeHtml(changeMark[m.change])}</td></tr>`,
  );
  const expRows = x.expectations.map(
    (e) =>
      `<tr class="${e.change}"><td><code>${escapeHtml(e.expression)}</code></td><td>${e.a ? `${e.a.passed ? '✓' : '✗'} ${escapeHtml(e.a.actualText)}` : '–'}</td><td>${e.b ? `${e.b.passed ? '✓' : '✗'} ${escapeHtml(e.b.actualText)}` : '–'}</td><td class="delta">${escapeHtml(changeMark[e.change])}</td></tr>`,
  );
  const configRows = x.redisConfig.map(
    (r) =>
      `<tr><td><code>${escapeHtml(r.key)}</code></td><td><code>${escapeHtml(r.a)}</code></td><td><code>${escapeHtml(r.b)}</code></td></tr>`,
  );
  return `<section class="experiment" id="${id}">
<h2>${escapeHtml(x.name)} <span class="muted">${verdictLabel[x.verdict]}</span> ${badge(x.status.a)} → ${badge(x.status.b)} <span class="muted" style="font-size:13px;font-weight:400">target ${escapeHtml(x.target.a)} → ${escapeHtml(x.target.b)}</span></h2>
<h3>Metrics</h3>
<table class="metrics"><thead><tr><th>metric</th><th class="num">A</th><th class="num">B</th><th class="num">change</th><th></th></tr></thead><tbody>${metricRows.join('')}</tbody></table>
<h3>Expectations</h3>
${expRows.length ? `<table class="expectations"><thead><tr><th>expectation</th><th>A</th><th>B</th><th></th></tr></thead><tbody>${expRows.join('')}</tbody></table>` : '<p class="muted">None.</p>'}
<h3>Redis config changes</h3>
${configRows.length ? `<table class="redis-config"><thead><tr><th>setting</th><th>A</th><th>B</th></tr></thead><tbody>${configRows.join('')}</tbody></table>` : x.redisConfigCompared ? '<p class="muted">The effective Redis config is the same.</p>' : '<p class="muted">No effective Redis config recorded in both runs: nothing to compare.</p>'}
${overlay ? `<h3>Timelines <span class="muted" style="font-weight:400">(A dashed grey, B in colour; phases and faults of B)</span></h3><div class="charts">${overlay.charts.map((ch) => `<div class="chart"><h4>${escapeHtml(ch.title)}</h4><div class="plot" id="${ch.id}"></div></div>`).join('')}</div>` : ''}
</section>`;
}
