// Writes `<reports>/<run-id>/journal.json`, and names runs so they sort by time.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Journal } from './journal-types.ts';

export function newRunId(now = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')
    .replace('T', '-');
  return `${stamp}-${Math.random().toString(36).slice(2, 6)}`;
}

/** JSON cannot hold Infinity: it is written as null (and recovery.seconds null means "never recovered"). */
export function journalJson(journal: Journal): string {
  return `${JSON.stringify(journal, (_key, value: unknown) => (typeof value === 'number' && !Number.isFinite(value) ? null : value), 2)}\n`;
}

export async function writeJournal(reportsDir: string, journal: Journal): Promise<string> {
  const dir = join(reportsDir, journal.runId);
  await mkdir(dir, { recursive: true });
  const file = join(dir, 'journal.json');
  await writeFile(file, journalJson(journal));
  return file;
}
