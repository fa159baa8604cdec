// Reads the journal of a run directory (or a journal.json path) for re-rendering; anything unreadable is invalid input.
import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, isAbsolute, join, relative } from 'node:path';
import { invalidInput } from '../errors/index.ts';
import { journalVersion, type Journal } from '../journal/journal-types.ts';
import { journalShape } from './journal-shape.ts';

export interface ReadJournal {
  journal: Journal;
  /** The journal file read. */
  file: string;
  /** The run directory it is in (where reports are written). */
  runDir: string;
}

const usage = 'Give a run directory written by `cachequake run` (reports/<run-id>/) or its journal.json.';

export async function readJournal(path: string): Promise<ReadJournal> {
  const shown = displayPath(path);
  const info = await stat(path).catch(() => undefined);
  if (!info)
    throw invalidInput('CQ_FILE_NOT_FOUND', `${shown}: no such run directory or journal file`, {
      hint: usage,
      file: path,
    });
  const file = info.isDirectory() ? join(path, 'journal.json') : path;
  const runDir = info.isDirectory() ? path : join(path, '..');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw invalidInput('CQ_JOURNAL_NOT_FOUND', `${shown} has no journal.json`, {
      hint: `${usage}${await runDirsHint(path)}`,
      file,
      cause,
    });
  }
  const shownFile = displayPath(file);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (cause) {
    throw invalidInput('CQ_JOURNAL_INVALID', `${shownFile} is not valid JSON: ${(cause as Error).message}`, {
      hint: 'The file is damaged or was cut off (did the run get killed while writing it?). Run the experiments again.',
      file,
      cause,
    });
  }
  const version = (data as { version?: unknown } | null)?.version;
  if (version !== journalVersion) {
    throw invalidInput(
      'CQ_JOURNAL_INVALID',
      `${shownFile}: journal version ${JSON.stringify(version)}, this cachequake reads version ${journalVersion}`,
      { hint: 'Render it with the cachequake version that wrote it, or run the experiments again.', file },
    );
  }
  const parsed = journalShape.safeParse(data);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .slice(0, 5)
      .map((i) => `  ${i.path.map(String).join('.') || '(root)'}: ${i.message}`);
    throw invalidInput(
      'CQ_JOURNAL_INVALID',
      `${shownFile} is not a cachequake journal:\n${problems.join('\n')}${parsed.error.issues.length > 5 ? `\n  … ${parsed.error.issues.length - 5} more` : ''}`,
      { hint: 'Reports read journals written by `cachequake run`; was this file edited by hand?', file },
    );
  }
  return { journal: data as Journal, file, runDir };
}

/** Relative to the working directory when inside it, else absolute. */
function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

/** When given the reports folder itself, name the newest run directories in it. */
async function runDirsHint(dir: string): Promise<string> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const runs = names
    .filter((n) => /^\d{8}-\d{6}Z-/.test(n))
    .sort()
    .reverse()
    .slice(0, 3);
  return runs.length ? `\nRun directories in ${basename(dir)}/: ${runs.join(', ')}` : '';
}
