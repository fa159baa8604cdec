// The faults of an experiment as HTML: schedule, timing, status, and the evidence each apply and revert left.
import type { ExperimentJournal, JournalFault } from '../../journal/journal-types.ts';
import { evidenceLines } from '../format-evidence.ts';
import { appliedText, faultStatusText, isIrreversible, revertedText } from '../fault-outcome.ts';
import { formatAt, formatPlain } from '../format-quantities.ts';
import { escapeHtml } from './html-escape.ts';

const hiddenParams = new Set(['at', 'for']);

export function faultList(faults: readonly JournalFault[], e: Pick<ExperimentJournal, 'safety'> = {}): string {
  if (faults.length === 0) return '<p class="muted">No faults: a baseline-only experiment.</p>';
  const rows = faults.map((f) => {
    const params = Object.entries(f.params)
      .filter(([k]) => !hiddenParams.has(k))
      .map(([k, v]) => `${k}=${formatPlain(v)}`)
      .join(' ');
    const applied = appliedText(f);
    const reverted = revertedText(f);
    const bad = f.status === 'failed' || f.status === 'not-reverted';
    const irreversible = isIrreversible(f);
    return (
      `<tr class="${bad ? 'fail' : ''}"><td class="num">${f.index + 1}</td><td><b>${escapeHtml(f.kind)}</b><br><code>${escapeHtml(params)}</code></td>` +
      `<td>${escapeHtml(formatAt(f.scheduledAtMs))}</td><td>${escapeHtml(applied)}</td><td>${escapeHtml(reverted)}</td><td class="mark${irreversible ? ' irreversible' : ''}">${escapeHtml(faultStatusText(e, f))}</td>` +
      `<td>${evidenceList(f.evidence)}${f.revertEvidence ? `<details><summary>revert evidence</summary>${evidenceList(f.revertEvidence)}</details>` : ''}` +
      `${f.error ? `<div class="error-box">${escapeHtml(`${f.error.code}: ${f.error.message}`)}</div>` : ''}</td></tr>`
    );
  });
  return `<table class="faults"><thead><tr><th class="num">#</th><th>fault</th><th>scheduled</th><th>applied</th><th>reverted</th><th>status</th><th>evidence</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function evidenceList(evidence: Record<string, unknown> | undefined): string {
  if (!evidence || Object.keys(evidence).length === 0) return '<span class="muted">none recorded</span>';
  const items = evidenceLines(evidence).map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`);
  return `<dl class="evidence">${items.join('')}</dl>`;
}
