// report.html: who halted the run from the live view, and the notes added there, in the order they were added.
import type { Journal } from '../../journal/journal-types.ts';
import { haltLine, noteLines } from '../run-notes.ts';
import { escapeHtml } from './html-escape.ts';

export function notesSection(journal: Pick<Journal, 'notes' | 'halt'>): string {
  const halt = haltLine(journal);
  const notes = noteLines(journal);
  if (!halt && notes.length === 0) return '';
  const items = notes.map(
    (n) =>
      `<li class="note"><b>${escapeHtml(n.when)}</b>${n.author ? ` · ${escapeHtml(n.author)}` : ''}: ${escapeHtml(n.text)}</li>`,
  );
  return `<section class="experiment notes" id="notes">
${halt ? `<div class="error-box halt">${escapeHtml(halt)}</div>` : ''}
${notes.length ? `<h3>Notes from the live view</h3><ul>${items.join('')}</ul>` : ''}
</section>`;
}
