// Reads a run's rollback log back: the header, every change and whether it is still applied (no `undone` line). A last
// line cut short by a SIGKILL mid-write is left out; any other unreadable line is an error.
import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { invalidInput } from '../../errors/index.ts';
import {
  rollbackLogName,
  type LinksApplied,
  type RollbackChange,
  type RollbackHeader,
  type RollbackLine,
} from './rollback-entries.ts';

export interface ReadRollbackLog {
  dir: string;
  file: string;
  header: RollbackHeader;
  changes: RollbackChange[];
  /** Changes with no `undone` line: still applied as far as the log knows. */
  open: RollbackChange[];
  applied: Map<string, LinksApplied>;
  /** The run's teardown finished. */
  ended: boolean;
  /** Where the last whole line ends, when a last line was cut short (the harness died while writing it). */
  wholeBytes: number | undefined;
}

const kinds = new Set(['run', 'config', 'links', 'keys', 'applied', 'undone', 'end']);

function corrupt(file: string, line: number, why: string) {
  return invalidInput('CQ_ROLLBACK_LOG_CORRUPT', `${file}:${line}: ${why}; nothing was undone.`, {
    file,
    hint: 'The log is written only by `cachequake run`. Restore the file from a copy, or undo its changes by hand (docs/safety.md lists what each line means).',
  });
}

export function readRollbackLog(runDir: string): ReadRollbackLog {
  const dir = resolve(runDir);
  const file = join(dir, rollbackLogName);
  const isDir = (() => {
    try {
      return statSync(dir).isDirectory();
    } catch {
      return false;
    }
  })();
  if (!isDir)
    throw invalidInput('CQ_RUN_DIR_INVALID', `recover: ${runDir} is not a directory.`, {
      hint: 'Give a run directory, e.g. reports/20261205-081500Z-ab12 (`cachequake run` prints it as "journal: …").',
    });
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw invalidInput('CQ_RUN_DIR_INVALID', `recover: ${runDir} holds no ${rollbackLogName}.`, {
      file,
      hint: 'Runs write it from their start on; a run directory from an older cachequake has none, and nothing to recover.',
    });
  }
  const rows = text.split('\n');
  const complete = text.endsWith('\n');
  if (complete) rows.pop();
  const lines: RollbackLine[] = [];
  let truncatedTail = false;
  rows.forEach((row, i) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(row);
    } catch {
      if (i === rows.length - 1 && !complete) {
        truncatedTail = true; // the write the SIGKILL interrupted: its change was not made yet
        return;
      }
      throw corrupt(file, i + 1, 'not a JSON line');
    }
    const type = (parsed as { type?: unknown })?.type;
    if (typeof type !== 'string' || !kinds.has(type)) throw corrupt(file, i + 1, `unknown line type ${String(type)}`);
    lines.push(parsed as RollbackLine);
  });
  const header = lines[0];
  if (header?.type !== 'run' || header.version !== 1) throw corrupt(file, 1, 'the first line is not a run header');
  const changes = lines.filter(
    (l): l is RollbackChange => l.type === 'config' || l.type === 'links' || l.type === 'keys',
  );
  const undone = new Set(lines.flatMap((l) => (l.type === 'undone' ? [l.id] : [])));
  const applied = new Map(lines.flatMap((l) => (l.type === 'applied' ? [[l.id, l] as const] : [])));
  return {
    dir,
    file,
    header,
    changes,
    open: changes.filter((c) => !undone.has(c.id)),
    applied,
    ended: lines.some((l) => l.type === 'end'),
    wholeBytes: truncatedTail ? Buffer.byteLength(text.slice(0, text.lastIndexOf('\n') + 1)) : undefined,
  };
}
