// The CSS of report.html and compare.html: readable on screen and in print, status colours that carry the verdict.
export const reportStyles = `
:root { --fg: #0f172a; --muted: #64748b; --line: #e2e8f0; --bg: #f8fafc; --pass: #15803d; --fail: #b91c1c; --warn: #b45309; --card: #fff; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
header.run { padding: 16px 24px; background: #0f172a; color: #f8fafc; }
header.run h1 { margin: 0 0 4px; font-size: 20px; }
header.run .meta { color: #cbd5e1; font-size: 13px; }
header.run nav a { color: #f8fafc; margin-right: 14px; }
main { padding: 8px 24px 40px; max-width: 1400px; margin: 0 auto; }
section.experiment { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 16px 20px; margin: 18px 0; }
section.experiment > h2 { margin: 0 0 6px; font-size: 18px; display: flex; gap: 10px; align-items: center; flex-wrap: wrap; }
h3 { font-size: 15px; margin: 18px 0 8px; }
.badge { display: inline-block; padding: 2px 10px; border-radius: 999px; font-size: 12px; font-weight: 700; letter-spacing: .04em; color: #fff; }
.badge.passed { background: var(--pass); } .badge.failed { background: var(--fail); } .badge.error { background: #7c2d12; } .badge.aborted { background: var(--warn); }
.muted { color: var(--muted); }
.verdict { padding: 10px 14px; border-radius: 6px; margin: 10px 0; font-size: 15px; }
.verdict.passed { background: #f0fdf4; border-left: 4px solid var(--pass); }
.verdict.failed, .verdict.error, .verdict.aborted { background: #fef2f2; border-left: 4px solid var(--fail); }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(190px, 1fr)); gap: 10px; margin: 10px 0; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; background: #fff; }
.card .label { font-size: 12px; color: var(--muted); }
.card .value { font-size: 20px; font-weight: 700; }
.card .sub { font-size: 12px; color: var(--muted); }
.card.bad { border-color: #fca5a5; background: #fef2f2; } .card.bad .value { color: var(--fail); }
.card.warn { border-color: #fcd34d; background: #fffbeb; } .card.warn .value { color: var(--warn); }
.card.good .value { color: var(--pass); }
table { border-collapse: collapse; width: 100%; margin: 6px 0; font-size: 13px; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: #f1f5f9; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.fail td { background: #fef2f2; } tr.fail td.mark { color: var(--fail); font-weight: 700; }
tr.pass td.mark { color: var(--pass); font-weight: 700; }
tr.worse td.delta { color: var(--fail); font-weight: 600; } tr.better td.delta { color: var(--pass); font-weight: 600; }
code, pre { font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
pre { background: #f1f5f9; padding: 8px; border-radius: 4px; overflow: auto; max-height: 320px; white-space: pre-wrap; }
.legend { display: flex; gap: 14px; flex-wrap: wrap; font-size: 12px; color: var(--muted); margin: 4px 0 8px; }
.legend i { display: inline-block; width: 14px; height: 10px; margin-right: 4px; vertical-align: middle; border-radius: 2px; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(560px, 100%), 1fr)); gap: 12px 18px; }
.chart { min-width: 0; }
.u-legend .u-value:empty { display: none; }
.table-scroll { overflow-x: auto; max-width: 100%; }
.chart h4 { margin: 4px 0; font-size: 13px; }
.chart .plot { width: 100%; min-height: 190px; }
details { margin: 6px 0; } summary { cursor: pointer; color: #1d4ed8; }
dl.evidence { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 0; }
dl.evidence dt { color: var(--muted); } dl.evidence dd { margin: 0; font-family: ui-monospace, monospace; font-size: 12px; word-break: break-all; }
.error-box { background: #fef2f2; border: 1px solid #fca5a5; padding: 8px 12px; border-radius: 6px; }
@media (max-width: 640px) {
  header.run, main { padding-left: 10px; padding-right: 10px; }
  header.run h1, section.experiment > h2, .verdict { overflow-wrap: anywhere; }
  section.experiment { padding: 10px; }
  .cards { grid-template-columns: repeat(auto-fill, minmax(140px, 1fr)); }
  dl.evidence { grid-template-columns: 1fr; } dl.evidence dd { margin-bottom: 4px; }
}
@media print {
  body { background: #fff; } header.run { background: #fff; color: #000; } header.run .meta, header.run nav a { color: #000; }
  main { max-width: none; padding: 0; }
  .charts { grid-template-columns: 1fr; } .chart, .card, tr { break-inside: avoid; }
  .uplot, .uplot canvas { max-width: 100% !important; height: auto !important; }
  details { display: block; } details > summary { list-style: none; }
  .table-scroll { overflow: visible; }
}
`;
