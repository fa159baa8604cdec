// One experiment in report.html: verdict and cards, expectations, timelines, faults, steady state, sessions,
// environment, steps.
import type { ExperimentJournal } from '../../journal/journal-types.ts';
import { formatCount, formatMs, formatSecondsFromMs } from '../format-quantities.ts';
import { headlineCards, verdictSentence } from '../verdict-summary.ts';
import type { ExperimentCharts } from './chart-specs.ts';
import { environmentSection } from './environment-section.ts';
import { faultList } from './fault-list.ts';
import { escapeHtml } from './html-escape.ts';

export function experimentSection(e: ExperimentJournal, charts: ExperimentCharts): string {
  const cards = headlineCards(e).map(
    (c) =>
      `<div class="card ${c.level}"><div class="label">${escapeHtml(c.label)}</div><div class="value">${escapeHtml(c.value)}</div><div class="sub">${escapeHtml(c.sub)}</div></div>`,
  );
  return `<section class="experiment" id="${charts.id}" data-status="${e.status}">
<h2>${escapeHtml(e.name)} <span class="badge ${e.status}">${e.status.toUpperCase()}</span> <span class="muted" style="font-size:13px;font-weight:400">target ${escapeHtml(e.target.name)} · ${escapeHtml(formatSecondsFromMs(e.durationMs))} · started ${escapeHtml(e.startedAt)}</span></h2>
${e.description ? `<p class="muted">${escapeHtml(e.description)}</p>` : ''}
<div class="verdict ${e.status}">${escapeHtml(verdictSentence(e))}</div>
${errorBox(e)}
<div class="cards">${cards.join('')}</div>
<h3>Expectations</h3>
${expectationsTable(e)}
<h3>Timelines <span class="muted" style="font-weight:400">(1 s resolution, seconds from the start of the load)</span></h3>
<div class="legend"><span><i style="background:rgba(100,116,139,.25)"></i>baseline</span><span><i style="background:rgba(220,38,38,.25)"></i>fault</span><span><i style="background:rgba(22,163,74,.25)"></i>recovery</span><span style="color:#991b1b">▼ fault applied</span><span style="color:#166534">▲ fault reverted (dashed)</span></div>
${charts.charts.length && charts.columns.seconds?.length ? `<div class="charts">${charts.charts.map((c) => `<div class="chart"><h4>${escapeHtml(c.title)}</h4><div class="plot" id="${c.id}" data-chart="${c.id}"></div></div>`).join('')}</div>` : '<p class="muted">No time series: the load never started.</p>'}
<h3>Faults</h3>
${faultList(e.faults, e)}
<h3>Steady state and sessions</h3>
${steadyStateTable(e)}
${sessionsBlock(e)}
<h3>Environment</h3>
${environmentSection(e)}
<details><summary>steps (${e.steps.length})</summary>${stepsTable(e)}</details>
</section>`;
}

function expectationsTable(e: ExperimentJournal): string {
  if (e.expectations.length === 0) return '<p class="muted">No expectations were evaluated.</p>';
  const rows = e.expectations.map(
    (x) =>
      `<tr class="${x.passed ? 'pass' : 'fail'}"><td class="mark">${x.passed ? '✓ pass' : '✗ fail'}</td><td><code>${escapeHtml(x.expression)}</code></td><td class="num">${escapeHtml(x.actualText)}</td></tr>`,
  );
  return `<table class="expectations"><thead><tr><th>result</th><th>expectation</th><th class="num">actual</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function steadyStateTable(e: ExperimentJournal): string {
  const rows = [
    ...e.steadyState.before.map((r) => ({ when: 'before', r })),
    ...e.steadyState.after.map((r) => ({ when: 'after', r })),
  ];
  if (rows.length === 0) return '<p class="muted">No steady-state probes.</p>';
  return `<table class="steady-state"><thead><tr><th>when</th><th>probe</th><th>status</th><th>detail</th></tr></thead><tbody>${rows
    .map(
      ({ when, r }) =>
        `<tr class="${r.passed ? 'pass' : 'fail'}"><td>${when}</td><td>${escapeHtml(r.name)}</td><td class="mark">${r.passed ? '✓' : '✗'} ${r.status ?? '–'}</td><td>${escapeHtml(r.detail)}</td></tr>`,
    )
    .join('')}</tbody></table>`;
}

function sessionsBlock(e: ExperimentJournal): string {
  const s = e.sessions;
  const parts = [
    `<p>Session ledger: ${formatCount(s.created)} created, ${formatCount(s.valid)} valid at the end, <b>${formatCount(s.lost)} lost</b>, ${formatCount(s.errors)} could not be checked.</p>`,
  ];
  const lists: [string, Record<string, number>][] = [
    ['login failures', s.loginFailures],
    ['check errors', s.errorReasons],
  ];
  for (const [label, counts] of lists) {
    const entries = Object.entries(counts);
    if (entries.length)
      parts.push(
        `<p>${label}: ${entries.map(([k, v]) => `<code>${escapeHtml(k)}</code> ${formatCount(v)}`).join(', ')}</p>`,
      );
  }
  if (s.lostUsers.length)
    parts.push(
      `<details><summary>lost users (${formatCount(s.lostUsers.length)}${s.lostUsers.length < s.lost ? ` of ${formatCount(s.lost)}` : ''})</summary><pre>${escapeHtml(s.lostUsers.join(' '))}</pre></details>`,
    );
  return parts.join('');
}

function stepsTable(e: ExperimentJournal): string {
  return `<table><thead><tr><th>step</th><th>status</th><th class="num">duration</th><th>error</th></tr></thead><tbody>${e.steps
    .map(
      (s) =>
        `<tr class="${s.status === 'failed' ? 'fail' : ''}"><td>${escapeHtml(s.name)}</td><td>${s.status}</td><td class="num">${escapeHtml(formatMs(s.durationMs))}</td><td>${s.error ? escapeHtml(`${s.error.code}: ${s.error.message}`) : ''}</td></tr>`,
    )
    .join('')}</tbody></table>`;
}

function errorBox(e: ExperimentJournal): string {
  if (!e.error && !e.abort) return '';
  const lines: string[] = [];
  if (e.abort)
    lines.push(
      `<b>aborted</b>: ${escapeHtml(e.abort.reason)}${e.abort.atMs === undefined ? '' : ` at t=${escapeHtml(formatSecondsFromMs(e.abort.atMs))}`}`,
    );
  if (e.error)
    lines.push(
      `<b>${escapeHtml(e.error.code)}</b>: ${escapeHtml(e.error.message)}${e.error.hint ? `<br><span class="muted">${escapeHtml(e.error.hint)}</span>` : ''}`,
    );
  return `<div class="error-box">${lines.join('<br>')}</div>`;
}
