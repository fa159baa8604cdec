// The notes added from the live view and who halted the run, as lines for report.html and summary.md.
import type { Journal } from '../journal/journal-types.ts';
import { formatAt } from './format-quantities.ts';

export interface NoteLine {
  /** `08:12:03Z · redis-latency t=14.2 s` */
  when: string;
  author?: string;
  text: string;
}

export function noteLines(journal: Pick<Journal, 'notes'>): NoteLine[] {
  return (journal.notes ?? []).map((note) => ({
    when: [
      `${note.at.slice(11, 19)}Z`,
      note.experiment ? `${note.experiment}${note.atMs === undefined ? '' : ` ${formatAt(note.atMs)}`}` : '',
    ]
      .filter(Boolean)
      .join(' · '),
    author: note.author,
    text: note.text,
  }));
}

/** `halted from the live view by ann (127.0.0.1) at 2026-…`, or undefined when nobody halted the run. */
export function haltLine(journal: Pick<Journal, 'halt'>): string | undefined {
  const { halt } = journal;
  return halt && `halted from the live view by ${halt.by} (${halt.from}) at ${halt.at}`;
}
