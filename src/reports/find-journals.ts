// Finds the journal.json files under a folder — a run directory, or a folder of run directories such as reports/ or
// a CI job's downloaded artifacts (artifacts/<shard>/<run-id>/journal.json) — without entering a run directory.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** How deep a folder is searched: artifacts/<shard>/<run-id>/journal.json is depth 2. */
export const journalSearchDepth = 3;

/** The journal files under `dir`, sorted; a directory holding a journal.json is a run directory and is not entered. */
export async function findJournals(dir: string, depth = journalSearchDepth): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  if (entries.some((e) => e.isFile() && e.name === 'journal.json')) return [join(dir, 'journal.json')];
  if (depth === 0) return [];
  const nested = await Promise.all(
    entries.filter((e) => e.isDirectory()).map((e) => findJournals(join(dir, e.name), depth - 1)),
  );
  return nested.flat().sort();
}
