// The live view's CSS on top of report.html's: a header that stays in view, a big halt button, readable at 480 px.
export const liveStyles = `
header.live { position: sticky; top: 0; z-index: 5; display: flex; flex-wrap: wrap; gap: 8px 18px; align-items: center; justify-content: space-between; }
header.live .title { display: flex; gap: 12px; align-items: baseline; flex-wrap: wrap; }
header.live .controls { display: flex; gap: 10px; align-items: center; flex-wrap: wrap; }
header.live label { color: #cbd5e1; font-size: 13px; }
header.live input { font: inherit; padding: 4px 6px; border-radius: 4px; border: 1px solid #475569; width: 12em; max-width: 40vw; }
button.halt { font: 700 16px system-ui, sans-serif; padding: 10px 22px; border: 0; border-radius: 6px; background: #dc2626; color: #fff; cursor: pointer; letter-spacing: .06em; }
button.halt.confirm { background: #7f1d1d; font-size: 14px; letter-spacing: 0; }
button.halt:disabled { background: #64748b; cursor: default; }
.banner { flex-basis: 100%; padding: 6px 10px; border-radius: 4px; background: #b45309; color: #fff; font-weight: 600; }
body[data-connected="false"] #connection { color: #fca5a5; }
main { padding: 8px 16px 40px; }
section.now { margin: 12px 0; }
#phase-line { font-size: 18px; font-weight: 600; }
.phase { display: inline-block; padding: 2px 10px; border-radius: 999px; font-size: 13px; color: #fff; background: #475569; text-transform: uppercase; }
.phase.baseline { background: #475569; } .phase.fault { background: #dc2626; } .phase.recovery { background: #16a34a; }
.countdown { font-size: 28px; font-weight: 700; font-variant-numeric: tabular-nums; }
.bar { height: 8px; background: var(--line); border-radius: 4px; overflow: hidden; } .bar i { display: block; height: 100%; width: 0; background: #2563eb; }
#queue li { margin: 2px 0; } #queue .badge.queued { background: #94a3b8; } #queue .badge.running { background: #2563eb; }
#note-form { display: flex; gap: 8px; } #note-form input { flex: 1; min-width: 0; font: inherit; padding: 6px; }
#notes li { margin: 3px 0; } .error-text { color: var(--fail); }
.fault-row { border-left: 4px solid #94a3b8; padding: 4px 10px; margin: 6px 0; background: #fff; }
.fault-row[data-status="injecting"] { border-color: #f97316; background: #fff7ed; }
.fault-row[data-status="applied"] { border-color: #dc2626; background: #fef2f2; }
.fault-row[data-status="reverted"] { border-color: #16a34a; }
.fault-row[data-status="failed"], .fault-row[data-status="not-reverted"] { border-color: #7f1d1d; background: #fee2e2; }
.fault-row code { word-break: break-all; }
.charts { grid-template-columns: repeat(auto-fill, minmax(min(100%, 560px), 1fr)); }
@media (max-width: 600px) { main { padding: 4px 8px 30px; } section.experiment { padding: 10px; } .countdown { font-size: 22px; } }
`;
