// Reads how long each experiment took in earlier runs (`run --durations`): a journal.json, a run directory, or a folder
// holding run directories (e.g. every shard's downloaded artifact); the newest measurement of a name wins.
import { stat } from 'node:fs/promises';
import { invalidInput } from '../errors/index.ts';
import type { Journal } from '../journal/journal-types.ts';
import { findJournals, journalSearchDepth } from './find-journals.ts';
import { readJournal } from './read-journal.ts';

export interface MeasuredDurations {
  /** Experiment name → durationMs of its newest finished run (passed or failed; errors and aborts say nothing). */
  byName: Map<string, number>;
  /** The journal files read. */
  files: string[];
}

/** `source` names where the path came from in messages: `--durations` or `CACHEQUAKE_DURATIONS`. */
export async function readMeasuredDurations(path: string, source = '--durations'): Promise<MeasuredDurations> {
  const info = await stat(path).catch(() => undefined);
  if (!info)
    throw invalidInput('CQ_FILE_NOT_FOUND', `${source}: no journal file or directory at ${path}`, {
      hint: 'Give a journal.json of an earlier run, its run directory, or a folder of run directories (reports/).',
    });
  const files = info.isDirectory() ? await findJournals(path) : [path];
  if (files.length === 0)
    throw invalidInput(
      'CQ_JOURNAL_NOT_FOUND',
      `${source}: no journal.json in ${path} (searched ${journalSearchDepth} levels deep)`,
      {
        hint: `Point ${source} at a previous run directory or journal, or leave it out to split by declared phase time.`,
      },
    );
  const journals = await Promise.all(files.map(async (file) => (await readJournal(file)).journal));
  return { byName: newestDurations(journals), files };
}

/** Per experiment name, the duration from the journal that ended last. */
export function newestDurations(journals: readonly Journal[]): Map<string, number> {
  const newest = new Map<string, { endedAt: string; durationMs: number }>();
  for (const journal of journals)
    for (const e of journal.experiments) {
      if (e.status !== 'passed' && e.status !== 'failed') continue;
      const seen = newest.get(e.name);
      if (!seen || e.endedAt > seen.endedAt) newest.set(e.name, { endedAt: e.endedAt, durationMs: e.durationMs });
    }
  return new Map([...newest].map(([name, { durationMs }]) => [name, durationMs]));
}
