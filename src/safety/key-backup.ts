// DUMP (with PTTL) the keys a fault will touch, bounded, SCAN-based never KEYS; RESTORE … REPLACE them later with the
// TTL they have left.
import type { Redis } from 'ioredis';
import { invalidInput } from '../errors/index.ts';
import type { RedisHandle } from '../runtimes/fault-context.ts';
import type { BackupBounds } from '../experiment/backup-schema.ts';
import { describeScope, type BackupScope } from './backup-scope.ts';
import type { BackupSummary, RestoreSummary } from '../journal/journal-safety.ts';
import { readKeyspace } from '../runtimes/redis-keyspace.ts';
import { connectOnDb, redisOnDb } from '../runtimes/redis-on-db.ts';
export type { BackupSummary, RestoreSummary };

export interface KeyBackup {
  readonly summary: BackupSummary;
  /** The DUMPed keys by database (the rollback log writes them to a file before the fault is sent). */
  readonly byDb: ReadonlyMap<number, readonly SavedKey[]>;
  restore(): Promise<RestoreSummary>;
}

export interface SavedKey {
  key: Buffer;
  dump: Buffer;
  /** -1: no TTL; else ms left when dumped. */
  pttl: number;
  dumpedAt: number;
}

const batch = 500;
/** Past the bound, keys are still counted (to say how many there are) up to this many. */
const countCap = 10_000_000;
/** A SCAN always ends; this bounds the loop anyway (COUNT 1000 × 100,000 rounds covers 100M slots). */
const maxScanRounds = 100_000;

/** A connection really on database `db` (the server's URL may name another one). */
function dbClient(server: Pick<RedisHandle, 'url'>, db: number): Redis {
  return redisOnDb(server.url, db, { connectionName: 'cachequake-backup' });
}

/** The databases that hold keys (INFO keyspace, every database), or the one asked for. */
export async function scopeDbs(admin: Pick<Redis, 'info'>, scope: BackupScope): Promise<number[]> {
  if (scope.db !== undefined) return [scope.db];
  return [...(await readKeyspace(admin)).keys()];
}

async function countKeys(client: Redis, pattern: string, stopAfter: number): Promise<number> {
  if (pattern === '*') return client.dbsize();
  const seen = new Set<string>();
  let cursor = '0';
  let rounds = 0;
  do {
    const [next, keys] = await client.scanBuffer(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = String(next);
    for (const key of keys) seen.add(key.toString('latin1'));
  } while (cursor !== '0' && seen.size <= stopAfter && ++rounds < maxScanRounds);
  return seen.size;
}

function tooMany(label: string, scope: BackupScope, count: string, bounds: BackupBounds) {
  return invalidInput(
    'CQ_BACKUP_TOO_LARGE',
    `${label}: backup refused, ${describeScope(scope)} holds ${count} keys, more than backup.maxKeys (${bounds.maxKeys}); nothing was sent.`,
    {
      hint: 'Raise backup.maxKeys (and backup.maxBytes) in the experiment, narrow the fault (flushdb of one database, an expire pattern), or empty the instance first.',
    },
  );
}

/**
 * Counts the keys in scope without reading values (the preflight's check); throws CQ_BACKUP_TOO_LARGE over the bound.
 */
export async function checkBackupBound(
  server: RedisHandle,
  scope: BackupScope,
  bounds: BackupBounds,
  label: string,
): Promise<number> {
  let total = 0;
  for (const db of await scopeDbs(server.admin, scope)) {
    const client = dbClient(server, db);
    try {
      await connectOnDb(client, db);
      total += await countKeys(client, scope.pattern, countCap);
    } finally {
      client.disconnect();
    }
  }
  if (total > bounds.maxKeys) throw tooMany(label, scope, String(total), bounds);
  return total;
}

async function dumpDb(
  client: Redis,
  scope: BackupScope,
  bounds: BackupBounds,
  label: string,
  already: { keys: number; bytes: number },
): Promise<SavedKey[]> {
  if (scope.pattern === '*') {
    const size = await client.dbsize();
    if (already.keys + size > bounds.maxKeys) throw tooMany(label, scope, `at least ${already.keys + size}`, bounds);
  }
  const names = new Map<string, Buffer>();
  let cursor = '0';
  let rounds = 0;
  do {
    if (++rounds > maxScanRounds)
      throw invalidInput(
        'CQ_BACKUP_TOO_LARGE',
        `${label}: backup refused, SCAN over ${describeScope(scope)} did not finish within ${maxScanRounds} rounds; nothing was sent.`,
        { hint: 'Narrow the fault (one database, a tighter expire pattern), or run it against a smaller instance.' },
      );
    const [next, keys] = await client.scanBuffer(cursor, 'MATCH', scope.pattern, 'COUNT', 1000);
    cursor = String(next);
    for (const key of keys) names.set(key.toString('latin1'), key);
    if (already.keys + names.size > bounds.maxKeys) {
      const count = already.keys + (await countKeys(client, scope.pattern, countCap));
      throw tooMany(label, scope, count >= countCap ? `more than ${countCap}` : String(count), bounds);
    }
  } while (cursor !== '0');
  const saved: SavedKey[] = [];
  const all = [...names.values()];
  for (let i = 0; i < all.length; i += batch) {
    const slice = all.slice(i, i + batch);
    const pipeline = client.pipeline();
    for (const key of slice) pipeline.dumpBuffer(key).pttl(key);
    const replies = (await pipeline.exec()) ?? [];
    const dumpedAt = Date.now();
    slice.forEach((key, k) => {
      const [dumpError, dump] = replies[2 * k] ?? [];
      const [, pttl] = replies[2 * k + 1] ?? [];
      if (dumpError) throw dumpError;
      if (dump === null || pttl === -2) return; // gone since the SCAN
      already.bytes += (dump as Buffer).length;
      saved.push({ key, dump: dump as Buffer, pttl: Number(pttl), dumpedAt });
    });
    if (already.bytes > bounds.maxBytes) {
      throw invalidInput(
        'CQ_BACKUP_TOO_LARGE',
        `${label}: backup refused, ${describeScope(scope)} takes more than backup.maxBytes (${bounds.maxBytes} bytes) as DUMP payloads (${already.bytes} bytes after ${already.keys + saved.length} keys); nothing was sent.`,
        {
          hint: 'Raise backup.maxBytes in the experiment, or narrow the fault so it touches fewer keys.',
        },
      );
    }
  }
  already.keys += saved.length;
  return saved;
}

/** DUMPs every key in scope; over a bound it throws CQ_BACKUP_TOO_LARGE before the fault is sent (it only read). */
export async function backupKeys(
  server: () => RedisHandle,
  scope: BackupScope,
  bounds: BackupBounds,
  label: string,
): Promise<KeyBackup> {
  const began = performance.now();
  const handle = server();
  const byDb = new Map<number, SavedKey[]>();
  const totals = { keys: 0, bytes: 0 };
  for (const db of await scopeDbs(handle.admin, scope)) {
    const client = dbClient(handle, db);
    try {
      await connectOnDb(client, db);
      byDb.set(db, await dumpDb(client, scope, bounds, label, totals));
    } finally {
      client.disconnect();
    }
  }
  const every = [...byDb.values()].flat();
  const summary: BackupSummary = {
    scope: describeScope(scope),
    keys: totals.keys,
    bytes: totals.bytes,
    withTtl: every.filter((k) => k.pttl >= 0).length,
    dbs: [...byDb.keys()],
    keysByDb: [...byDb].map(([db, keys]) => ({ db, keys: keys.length })),
    tookMs: Math.round(performance.now() - began),
  };
  let restoring: Promise<RestoreSummary> | undefined;
  return {
    summary,
    byDb,
    restore: () => (restoring ??= restoreKeys(server(), byDb)),
  };
}

/**
 * RESTORE … REPLACE of every saved key on its own database, with the TTL it has left (keys whose TTL ran out are left
 * out); `server.url` may name any database.
 */
export async function restoreKeys(
  server: Pick<RedisHandle, 'url'>,
  byDb: ReadonlyMap<number, readonly SavedKey[]>,
): Promise<RestoreSummary> {
  const began = performance.now();
  const result: RestoreSummary = { restored: 0, expiredMeanwhile: 0, failed: 0, tookMs: 0 };
  for (const [db, keys] of byDb) {
    if (keys.length === 0) continue;
    const client = dbClient(server, db);
    try {
      await connectOnDb(client, db);
      for (let i = 0; i < keys.length; i += batch) {
        const pipeline = client.pipeline();
        let queued = 0;
        const now = Date.now();
        for (const saved of keys.slice(i, i + batch)) {
          const left = saved.pttl < 0 ? 0 : saved.pttl - (now - saved.dumpedAt);
          if (saved.pttl >= 0 && left <= 0) {
            result.expiredMeanwhile++;
            continue;
          }
          pipeline.restore(saved.key, left, saved.dump, 'REPLACE');
          queued++;
        }
        if (queued === 0) continue;
        for (const [error] of (await pipeline.exec()) ?? []) {
          if (error) {
            result.failed++;
            result.firstError ??= error.message;
          } else result.restored++;
        }
      }
    } catch (error) {
      result.failed += keys.length;
      result.firstError ??= (error as Error).message;
    } finally {
      client.disconnect();
    }
  }
  result.tookMs = Math.round(performance.now() - began);
  return result;
}
