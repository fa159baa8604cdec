// Writes `<reports>/<run-id>/journal.json`, and names runs so they sort by time.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { environmentError } from '../errors/index.ts';
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
  const file = join(dir, 'journal.json');
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(file, journalJson(journal));
  } catch (cause) {
    throw unwritable(reportsDir, cause);
  }
  return file;
}

/** Creates the reports directory before a run, so that a run is not lost for want of a place to write it. */
export async function ensureReportsDir(reportsDir: string): Promise<void> {
  await mkdir(reportsDir, { recursive: true }).catch((cause: unknown) => {
    throw unwritable(reportsDir, cause);
  });
}

function unwritable(reportsDir: string, cause: unknown) {
  const code = (cause as NodeJS.ErrnoException).code;
  return environmentError(
    'CQ_REPORTS_UNWRITABLE',
    `cannot write the run's journal under ${reportsDir}: ${code ?? (cause as Error).message}.`,
    {
      cause,
      hint:
        code === 'ENOTDIR' || code === 'EEXIST'
          ? 'A file stands where the reports directory should be: pass another directory with --reports <dir>.'
          : 'Pass a directory you can write with --reports <dir>.',
    },
  );
}
