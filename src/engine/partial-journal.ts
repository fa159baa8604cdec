// The journal while the run goes: rewritten every couple of seconds (and as each experiment ends) with status `killed`,
// so a harness killed mid-run leaves a readable journal of what it did; the final journal replaces it.
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { journalJson } from '../journal/write-journal.ts';
import type { ExperimentJournal, Journal } from '../journal/journal-types.ts';

const everyMs = 2000;

export interface PartialJournal {
  /** The experiment at `index` runs with this (live) journal. */
  track(index: number, journal: ExperimentJournal): void;
  write(): void;
  /** Stops rewriting (before the final journal is written). */
  stop(): void;
}

export function startPartialJournal(runDir: string, head: Omit<Journal, 'status' | 'experiments' | 'endedAt'>) {
  const experiments: ExperimentJournal[] = [];
  const file = join(runDir, 'journal.json');
  const write = () => {
    const journal: Journal = {
      ...head,
      endedAt: new Date().toISOString(),
      status: 'killed',
      experiments: experiments.filter(Boolean),
    };
    try {
      writeFileSync(`${file}.partial`, journalJson(journal));
      renameSync(`${file}.partial`, file); // a reader sees the old or the new journal, never half of one
    } catch {
      // the final journal reports an unwritable directory; a missed partial write is not worth failing the run for
    }
  };
  const timer = setInterval(write, everyMs);
  timer.unref();
  write();
  return {
    track(index: number, journal: ExperimentJournal) {
      experiments[index] = journal;
      write();
    },
    write,
    stop: () => clearInterval(timer),
  } satisfies PartialJournal;
}
