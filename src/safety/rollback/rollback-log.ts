// Appends to a run's rollback log: one JSON line per change, written and fsynced before the change is made, so the line
// is on disk whatever happens to the harness after it (SIGKILL included).
import { closeSync, fsyncSync, mkdirSync, openSync, truncateSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { environmentError } from '../../errors/index.ts';
import {
  rollbackLogName,
  type BackupLine,
  type LinksApplied,
  type RollbackChange,
  type RollbackHeader,
  type RollbackLine,
} from './rollback-entries.ts';

function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text);
  let written = 0;
  while (written < bytes.length) written += writeSync(fd, bytes, written);
}

function writeDurably(fd: number, text: string): void {
  writeAll(fd, text);
  fsyncSync(fd);
}

/** fsync of the directory, so a file created in it is found after a crash. */
function syncDirectory(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } catch {
    // some file systems refuse fsync on a directory; the file's own fsync still holds its lines
  } finally {
    closeSync(fd);
  }
}

export class RollbackLog {
  readonly dir: string;
  readonly file: string;
  /** Only a staging run records changes: local and docker services die with the harness. */
  readonly recordsChanges: boolean;
  #fd: number | undefined;
  /** Called after each line is on disk (the run rewrites its partial journal then). */
  onAppend: (() => void) | undefined;

  private constructor(dir: string, fd: number, recordsChanges: boolean) {
    this.dir = dir;
    this.file = join(dir, rollbackLogName);
    this.#fd = fd;
    this.recordsChanges = recordsChanges;
  }

  /** Creates `<dir>/rollback.jsonl` with its header line (the run directory is created too). */
  static create(dir: string, header: Omit<RollbackHeader, 'type' | 'version' | 'pid'>): RollbackLog {
    let fd: number;
    try {
      mkdirSync(dir, { recursive: true });
      fd = openSync(join(dir, rollbackLogName), 'a');
    } catch (cause) {
      throw environmentError('CQ_REPORTS_UNWRITABLE', `cannot create the rollback log in ${dir}: ${String(cause)}.`, {
        cause,
        hint: 'Pass a directory you can write with --reports <dir>.',
      });
    }
    const log = new RollbackLog(dir, fd, header.runtime === 'staging');
    log.#append({ type: 'run', version: 1, pid: process.pid, ...header });
    syncDirectory(dir);
    return log;
  }

  /**
   * Opens an existing log to append `undone` lines (recover). `wholeBytes`: where its last whole line ends; a line cut
   * short by a SIGKILL after it is dropped first (its change was never made), so the next line starts clean.
   */
  static reopen(dir: string, wholeBytes?: number): RollbackLog {
    const file = join(dir, rollbackLogName);
    if (wholeBytes !== undefined) truncateSync(file, wholeBytes);
    return new RollbackLog(dir, openSync(file, 'a'), true);
  }

  /** Closes the file without an `end` line. */
  close(): void {
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
  }

  #append(line: RollbackLine): void {
    if (this.#fd === undefined) return;
    writeDurably(this.#fd, `${JSON.stringify(line)}\n`);
    this.onAppend?.();
  }

  /** Before the change is made. */
  change(entry: RollbackChange): void {
    this.#append(entry);
  }

  /** After a link fault was sent: exactly what it added. */
  applied(entry: Omit<LinksApplied, 'type'>): void {
    this.#append({ type: 'applied', ...entry });
  }

  undone(id: string, by: 'run' | 'recover' = 'run'): void {
    this.#append({ type: 'undone', id, by, at: new Date().toISOString() });
  }

  /** Writes a key backup next to the log (fsynced); returns its file name, relative to the run directory. */
  writeBackup(id: string, lines: Iterable<BackupLine>): string {
    const name = `backup-${id}.jsonl`;
    const fd = openSync(join(this.dir, name), 'w');
    try {
      let chunk = '';
      for (const line of lines) {
        chunk += `${JSON.stringify(line)}\n`;
        if (chunk.length > 1 << 20) {
          writeAll(fd, chunk);
          chunk = '';
        }
      }
      writeDurably(fd, chunk);
    } finally {
      closeSync(fd);
    }
    syncDirectory(this.dir);
    return name;
  }

  /** The run's teardown is over; the file is closed. Idempotent. */
  end(): void {
    this.#append({ type: 'end', at: new Date().toISOString() });
    this.close();
  }
}
