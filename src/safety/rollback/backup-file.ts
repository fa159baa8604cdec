// Reads a key backup file of the rollback log (`backup-<id>.jsonl`) back into the DUMPed keys by database.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { invalidInput } from '../../errors/index.ts';
import type { SavedKey } from '../key-backup.ts';
import type { BackupLine } from './rollback-entries.ts';

function corrupt(file: string, why: string) {
  return invalidInput('CQ_ROLLBACK_LOG_CORRUPT', `${file}: ${why}; no key of it was restored.`, {
    file,
    hint: 'The backup file is written by `cachequake run` before the fault it belongs to; restore it from a copy.',
  });
}

export function readBackupFile(runDir: string, name: string, expectedKeys: number): Map<number, SavedKey[]> {
  const file = join(runDir, name);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw corrupt(file, 'missing or unreadable');
  }
  const byDb = new Map<number, SavedKey[]>();
  let count = 0;
  for (const [i, row] of text.split('\n').entries()) {
    if (row === '') continue;
    let line: BackupLine;
    try {
      line = JSON.parse(row) as BackupLine;
    } catch {
      throw corrupt(file, `line ${i + 1} is not JSON`);
    }
    if (!Number.isInteger(line.db) || typeof line.key !== 'string' || typeof line.dump !== 'string')
      throw corrupt(file, `line ${i + 1} is not a backed-up key`);
    const keys = byDb.get(line.db) ?? [];
    keys.push({
      key: Buffer.from(line.key, 'base64'),
      dump: Buffer.from(line.dump, 'base64'),
      pttl: Number(line.pttl),
      dumpedAt: Number(line.dumpedAt),
    });
    byDb.set(line.db, keys);
    count++;
  }
  if (count !== expectedKeys) throw corrupt(file, `it holds ${count} keys, the rollback log says ${expectedKeys}`);
  return byDb;
}
