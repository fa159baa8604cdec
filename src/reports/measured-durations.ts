// Reads how long each experiment took in earlier runs (`run --durations`): a journal.json, a run directory, or a folder
// holding run directories (e.g. every shard's downloaded artifact); the newest measurement of a name wins.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { invalidInput } from '../errors/index.ts';
import type { Journal } from '../journal/journal-types.ts';
import { readJournal } from './read-journal.ts';

export interface MeasuredDurations {
  /** Experiment name → durationMs of its newest finished run (passed or failed; errors and aborts say nothing). */
  byName: Map<string, number>;
  /** The journal files read. */
  files: string[];
}

/** How deep a folder is searched for journal.json: artifacts/<shard>/<run-id>/journal.json is depth 2. */
const maxDepth = 3;

export async function readMeasuredDurations(path: string): Promise<MeasuredDurations> {
  const info = await stat(path).catch(() => undefined);
  if (!info)
    throw invalidInput('CQ_FILE_NOT_FOUND', `--durations: no journal file or directory at ${path}`, {
      hint: 'Give a journal.json of an earlier run, its run directory, or a folder of run directories (reports/).',
    });
  const files = info.isDirectory() ? await findJournals(path, maxDepth) : [path];
  if (files.length === 0)
    throw invalidInput(
      'CQ_JOURNAL_NOT_FOUND',
      `--durations: no journal.json in ${path} (searched ${maxDepth} levels deep)`,
      {
        hint: 'Point --durations at a previous run directory or journal, or leave it out to split by declared phase time.',
      },
    );
  const journals = await Promise.all(files.map(async (file) => (await readJournal(file)).journal));
  return { byName: newestDurations(journals), files: files.sort() };
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

async function findJournals(dir: string, depth: number): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  if (entries.some((e) => e.isFile() && e.name === 'journal.json')) return [join(dir, 'journal.json')];
  if (depth === 0) return [];
  const nested = await Promise.all(
    entries.filter((e) => e.isDirectory()).map((e) => findJournals(join(dir, e.name), depth - 1)),
  );
  return nested.flat();
}
