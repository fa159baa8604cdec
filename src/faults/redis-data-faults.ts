// Redis faults that change data: FLUSHALL, FLUSHDB, forced eviction by filling memory, and mass expiry.
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { defineFault, type KeyScope } from './fault-record.ts';
import { timing } from './fault-fields.ts';
import { durationField, sizeField, sizeOrPercentField } from '../schema/quantities.ts';
import { sampleRedisInfo } from '../probes/redis-info.ts';
import { keyspaceTotal, parseKeyspace } from '../runtimes/redis-keyspace.ts';
import { connectOnDb, redisOnDb } from '../runtimes/redis-on-db.ts';

const mode = z.enum(['sync', 'async']).default('sync');

/** Eviction may pick any key, so `backup:` saves every database. */
export const evictionScope = (): KeyScope => ({ pattern: '*', why: 'eviction may pick any key of any database' });

export const flushallFault = defineFault({
  kind: 'flushall',
  group: 'redis',
  description: 'deletes every key in every database (FLUSHALL SYNC|ASYNC); cannot be undone',
  params: { ...timing, mode },
  traits: {
    destructive: true,
    topology: 'any',
    keys: {
      text: 'every key of every database',
      scope: () => ({ pattern: '*', why: 'FLUSHALL deletes every key of every database' }),
    },
  },
  plan: (spec) => [`redis: FLUSHALL ${spec.mode.toUpperCase()}`],
  async inject(ctx, spec) {
    const { admin } = ctx.redis();
    // MULTI makes before/after exact: a busy service may re-cache keys a moment after the flush. INFO keyspace counts
    // every database, as FLUSHALL empties them all; where INFO is not permitted (the MULTI is aborted, nothing ran),
    // DBSIZE counts the admin database only.
    const command = `FLUSHALL ${spec.mode.toUpperCase()}`;
    try {
      const replies =
        (await admin.multi().info('keyspace').call('FLUSHALL', spec.mode.toUpperCase()).info('keyspace').exec()) ?? [];
      const [before, , after] = replies.map(([, value]) => parseKeyspace(String(value)));
      return {
        evidence: {
          command,
          keysBefore: keyspaceTotal(before ?? new Map()),
          keysAfter: keyspaceTotal(after ?? new Map()),
          keysBeforeByDb: Object.fromEntries(before ?? []),
        },
      };
    } catch (error) {
      if (!/EXECABORT|NOPERM|unknown command/i.test((error as Error).message)) throw error;
    }
    const replies = (await admin.multi().dbsize().call('FLUSHALL', spec.mode.toUpperCase()).dbsize().exec()) ?? [];
    const [before, , after] = replies.map(([, value]) => value);
    return { evidence: { command, keysBefore: before, keysAfter: after, counted: 'the admin database (no INFO)' } };
  },
});

export const flushdbFault = defineFault({
  kind: 'flushdb',
  group: 'redis',
  description: 'deletes every key of one database (FLUSHDB SYNC|ASYNC); cannot be undone',
  params: { ...timing, mode, db: z.number().int().min(0).max(15).default(0) },
  traits: {
    destructive: true,
    topology: 'any',
    keys: {
      text: 'every key of database `db`',
      scope: (spec) => ({ db: spec.db, pattern: '*', why: `FLUSHDB deletes every key of database ${spec.db}` }),
    },
  },
  plan: (spec) => [`redis: SELECT ${spec.db}; FLUSHDB ${spec.mode.toUpperCase()}`],
  async inject(ctx, spec) {
    const redis = ctx.redis();
    // on database `db` whatever database the server's URL names (ioredis would let the URL's win)
    const client = redisOnDb(redis.url, spec.db, { connectionName: 'cachequake-flushdb' });
    try {
      await connectOnDb(client, spec.db);
      const replies = (await client.multi().dbsize().call('FLUSHDB', spec.mode.toUpperCase()).dbsize().exec()) ?? [];
      const [before, , after] = replies.map(([, value]) => value);
      return {
        evidence: { command: `FLUSHDB ${spec.mode.toUpperCase()}`, db: spec.db, keysBefore: before, keysAfter: after },
      };
    } finally {
      client.disconnect();
    }
  },
});

async function maxmemoryOf(admin: Redis): Promise<number> {
  const [, value] = (await admin.config('GET', 'maxmemory')) as [string, string];
  return Number(value);
}

export const fillMemoryFault = defineFault({
  kind: 'fill-memory',
  group: 'redis',
  description:
    'forced eviction: writes filler keys amounting to `to` (a size, or a % of maxmemory) so Redis must evict or refuse writes; filler deleted at the end',
  params: {
    ...timing,
    to: sizeOrPercentField.prefault('150%'),
    valueSize: sizeField.prefault('10kb'),
    ttl: z.union([z.literal('none'), durationField]).default('none'),
    keyPrefix: z.string().min(1).default('cachequake:fill:'),
  },
  traits: {
    destructive: true,
    topology: 'any',
    keys: { text: 'any key of any database (eviction)', scope: evictionScope },
  },
  validate(spec, { redis }, issue) {
    if (
      typeof spec.to === 'object' &&
      spec.to !== null &&
      'percentOfMaxmemory' in spec.to &&
      redis.config?.maxmemory === undefined &&
      !redis.configFile
    )
      issue(
        'to',
        'a percentage of maxmemory needs redis.config.maxmemory (or a configFile that sets it); or give a size such as "64mb"',
      );
  },
  plan: (spec) => [
    `redis: SET ${spec.keyPrefix}<n> <${spec.valueSize} bytes>${spec.ttl === 'none' ? '' : ` PX ${spec.ttl}`} (pipelined) until ${'bytes' in spec.to ? `${spec.to.bytes} bytes` : `${spec.to.percentOfMaxmemory}% of maxmemory`} are written`,
    `at the end: SCAN MATCH ${spec.keyPrefix}* + UNLINK`,
  ],
  async inject(ctx, spec) {
    const { admin } = ctx.redis();
    const maxmemory = await maxmemoryOf(admin);
    const targetBytes = 'bytes' in spec.to ? spec.to.bytes : Math.round((maxmemory * spec.to.percentOfMaxmemory) / 100);
    const before = await sampleRedisInfo(admin, 2000);
    const value = 'x'.repeat(spec.valueSize);
    // ~1 MB per pipeline, yielding between them, so the harness's own load driver keeps its schedule
    const batch = Math.max(1, Math.min(500, Math.floor((1024 * 1024) / Math.max(1, spec.valueSize))));
    let written = 0;
    let keys = 0;
    let oomErrors = 0;
    let fullyRefusedBatches = 0;
    const started = performance.now();
    while (written < targetBytes && fullyRefusedBatches < 3 && performance.now() - started < 30_000) {
      const pipeline = admin.pipeline();
      for (let i = 0; i < batch; i++) {
        const key = `${spec.keyPrefix}${keys + i}`;
        if (spec.ttl === 'none') pipeline.set(key, value);
        else pipeline.set(key, value, 'PX', spec.ttl);
      }
      const results = (await pipeline.exec()) ?? [];
      const refused = results.filter(([error]) => error).length;
      oomErrors += refused;
      fullyRefusedBatches = refused === results.length ? fullyRefusedBatches + 1 : 0;
      keys += batch;
      written += (batch - refused) * spec.valueSize;
      await new Promise((r) => setImmediate(r));
    }
    const after = await sampleRedisInfo(admin, 2000);
    return {
      evidence: {
        maxmemory,
        targetBytes,
        bytesWritten: written,
        keysWritten: keys - oomErrors,
        oomErrors,
        durationMs: Math.round(performance.now() - started),
        usedMemoryBefore: before?.used_memory,
        usedMemoryAfter: after?.used_memory,
        evictedKeys: (after?.evicted_keys ?? 0) - (before?.evicted_keys ?? 0),
        keysBefore: before?.keys,
        keysAfter: after?.keys,
      },
      revert: async () => ({
        fillerKeysDeleted: await unlinkMatching(ctx.redis().admin, `${spec.keyPrefix}*`, 10_000_000),
      }),
    };
  },
});

/** SCAN (never KEYS) for a pattern and UNLINK what matches, bounded by maxKeys. */
async function unlinkMatching(admin: Redis, pattern: string, maxKeys: number, ttlSeconds = 0): Promise<number> {
  let cursor = '0';
  let touched = 0;
  do {
    const [next, keys] = await admin.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    const slice = keys.slice(0, maxKeys - touched);
    if (slice.length) {
      if (ttlSeconds > 0) {
        const pipeline = admin.pipeline();
        for (const key of slice) pipeline.expire(key, ttlSeconds);
        await pipeline.exec();
      } else {
        await admin.unlink(...slice);
      }
      touched += slice.length;
    }
  } while (cursor !== '0' && touched < maxKeys);
  return touched;
}

export const expireFault = defineFault({
  kind: 'expire',
  group: 'redis',
  description:
    'mass expiry: every key matching `pattern` gets ttlSeconds (0 deletes it at once); SCAN-based, bounded by maxKeys',
  params: {
    ...timing,
    pattern: z.string().min(1),
    ttlSeconds: z.number().int().nonnegative().default(0).meta({ description: '0 deletes the keys at once' }),
    maxKeys: z.number().int().positive().default(1_000_000),
  },
  traits: {
    destructive: true,
    topology: 'any',
    keys: {
      text: 'the keys matching `pattern` in the admin database, at most `maxKeys`',
      scope: (spec, adminDb) => ({
        db: adminDb,
        pattern: spec.pattern,
        limit: spec.maxKeys,
        why: `expire touches the keys matching ${spec.pattern}`,
      }),
    },
  },
  plan: (spec) => [
    `redis: SCAN MATCH ${spec.pattern} COUNT 1000 → ${spec.ttlSeconds > 0 ? `EXPIRE key ${spec.ttlSeconds}` : 'UNLINK key'} (at most ${spec.maxKeys} keys)`,
  ],
  async inject(ctx, spec) {
    const { admin } = ctx.redis();
    const before = await admin.dbsize();
    const touched = await unlinkMatching(admin, spec.pattern, spec.maxKeys, spec.ttlSeconds);
    return {
      evidence: {
        pattern: spec.pattern,
        keysMatched: touched,
        ttlSeconds: spec.ttlSeconds,
        keysBefore: before,
        keysAfter: await admin.dbsize(),
      },
    };
  },
});
