// FLUSHALL, eviction and config changes reach every database: the guard's key bound, the backup bound and the backup
// itself count and save every database, each read on a connection really SELECTed to it, whatever database
// redis.adminUrl names.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CachequakeError } from '../../src/errors/index.ts';
import { loadEnvironmentFile } from '../../src/experiment/load-environment-file.ts';
import { validateExperiment } from '../../src/experiment/load-experiment.ts';
import type { FaultContext } from '../../src/runtimes/fault-context.ts';
import { connectOnDb, redisOnDb } from '../../src/runtimes/redis-on-db.ts';
import { checkBackupBounds } from '../../src/safety/backup-preflight.ts';
import { guardedInject } from '../../src/safety/guarded-inject.ts';
import { RunSafety } from '../../src/safety/run-safety.ts';
import { checkDestructiveGuard } from '../../src/safety/staging-preflight.ts';
import { runCli } from '../fixtures/run-cli.ts';
import {
  expectKeysIntact,
  fillForeignRedis,
  snapshotKeys,
  spawnForeignRedis,
  writeCommandCalls,
  type ForeignRedis,
} from './foreign-redis.ts';

const instance = 'multi-db-redis';
const markerKey = 'cachequake:game-day';
const dbs = [0, 1, 3];

let foreign: ForeignRedis;
let dir: string;
let envFile: string;
/** A connection on db 1, the database redis.adminUrl names (what the staging runtime's admin is). */
let adminDb1: Redis;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cq-every-db-'));
  foreign = await spawnForeignRedis();
  await fillForeignRedis(foreign, 3000, 0); // db 0 only
  const db3 = await connectOnDb(redisOnDb(foreign.url, 3), 3);
  try {
    const pipeline = db3.pipeline();
    for (let i = 0; i < 200; i++) {
      if (i % 2 === 0) pipeline.set(`db3:key:${i}`, `v${i}`, 'PX', 3_600_000 + i);
      else pipeline.rpush(`db3:list:${i}`, 'a', 'b', String(i));
    }
    await pipeline.exec();
  } finally {
    db3.disconnect();
  }
  adminDb1 = await connectOnDb(redisOnDb(`${foreign.url}/1`, 1), 1);
  envFile = join(dir, 'multi-db.env.yaml');
  await writeFile(
    envFile,
    stringify({
      name: 'multi-db',
      target: { url: 'http://127.0.0.1:9' },
      toxiproxy: { url: 'http://127.0.0.1:9', proxies: { redis: 'multi-db-redis' } },
      redis: { adminUrl: `${foreign.url}/1`, instance, markerKey, maxKeys: 100 },
      permit: ['flushall', 'flushdb'],
    }),
  );
}, 60_000);

afterAll(async () => {
  adminDb1?.disconnect();
  await foreign?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const context = (): FaultContext => {
  const no = async (): Promise<never> => {
    throw new Error('not here');
  };
  return {
    redis: () => ({ host: '127.0.0.1', port: foreign.port, url: `${foreign.url}/1`, admin: adminDb1 }),
    postgres: () => undefined,
    link: () => {
      throw new Error('no links');
    },
    kill: no,
    startAgain: no,
    restart: no,
  };
};

describe('a staging Redis with keys in db 0 and db 3, redis.adminUrl naming the empty db 1', () => {
  it('a connection made for database 3 from a URL naming database 1 is on database 3', async () => {
    const client = await connectOnDb(redisOnDb(`${foreign.url}/1`, 3), 3);
    try {
      expect(await client.call('CLIENT', 'INFO')).toMatch(/\bdb=3\b/);
      expect(await client.dbsize()).toBe(200);
    } finally {
      client.disconnect();
    }
  });

  it('FLUSHALL without a marker is refused by the key bound counted over every database, before anything is sent', async () => {
    const calls = await writeCommandCalls(foreign);
    const before = await snapshotKeys(foreign, dbs);
    expect(await adminDb1.dbsize()).toBe(0); // what the old guard counted
    const file = join(dir, 'flush.yaml');
    await writeFile(
      file,
      stringify({
        name: 'flush-every-db',
        target: 'session-service',
        phases: { baseline: '1s', fault: '1s', recovery: '1s' },
        faults: [{ kind: 'flushall' }],
      }),
    );
    const result = await runCli(['run', file, '--env', envFile, '--allow-destructive', instance]);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain('CQ_DESTRUCTIVE_REFUSED');
    expect(result.stderr).toContain('3200 keys over every database (db0: 3000, db3: 200)');
    expect(result.stderr).toContain('not fewer than redis.maxKeys (100)');
    expect(await writeCommandCalls(foreign)).toEqual(calls);
    await expectKeysIntact(foreign, before, { dbs });
  }, 60_000);

  it('the backup bound counts every database: 3200 keys against backup.maxKeys 1000 are refused', async () => {
    const experiment = validateExperiment({
      name: 'bound',
      phases: { baseline: '0s', fault: '1s', recovery: '0s' },
      faults: [{ kind: 'flushall' }],
      backup: { maxKeys: 1000 },
    });
    const error = (await checkBackupBounds(await loadEnvironmentFile(envFile), [experiment]).catch(
      (e: unknown) => e,
    )) as CachequakeError;
    expect(error.code).toBe('CQ_BACKUP_TOO_LARGE');
    expect(error.message).toContain('every database holds 3200 keys, more than backup.maxKeys (1000)');
  });

  it('with the marker and backup: {}, FLUSHALL empties every database and every key comes back with its TTL', async () => {
    await adminDb1.set(markerKey, instance);
    const experiment = validateExperiment({
      name: 'flush-backed-up',
      phases: { baseline: '0s', fault: '1s', recovery: '0s' },
      faults: [{ kind: 'flushall' }],
      backup: {},
    });
    const loaded = await loadEnvironmentFile(envFile);
    const safety = new RunSafety(experiment, loaded);
    safety.clearance = await checkDestructiveGuard(loaded, [experiment], { allowDestructive: instance });
    expect(safety.clearance?.basis).toBe('marker');
    const before = await snapshotKeys(foreign, dbs);
    expect(before.keys.size).toBe(3201);
    const [fault] = experiment.faults;
    const injected = await guardedInject(
      context(),
      fault!,
      1000,
      safety.faultSafety(() => {}),
      0,
    );
    const evidence = injected.evidence as {
      keysBefore: number;
      keysAfter: number;
      backup: { keys: number; withTtl: number; keysByDb: { db: number; keys: number }[] };
    };
    expect(evidence.keysBefore).toBe(3201);
    expect(evidence.keysAfter).toBe(0);
    expect(await foreign.admin.info('keyspace')).not.toMatch(/^db\d+:keys=/m); // every database is empty
    expect(evidence.backup.keysByDb).toEqual([
      { db: 0, keys: 3000 },
      { db: 1, keys: 1 },
      { db: 3, keys: 200 },
    ]);
    expect(evidence.backup.withTtl).toBe(1500 + 100);
    const undone = (await injected.revert?.()) as { restore: { restored: number; failed: number } };
    expect(undone.restore).toMatchObject({ restored: 3201, failed: 0 });
    await expectKeysIntact(foreign, before, { dbs });
    const journal = await safety.journal();
    expect(journal.backup).toMatchObject({
      keysBackedUp: 3201,
      keysRestored: 3201,
      databases: [
        { db: 0, keys: 3000 },
        { db: 1, keys: 1 },
        { db: 3, keys: 200 },
      ],
    });
  }, 60_000);

  it('FLUSHDB of db 3 through a server URL naming db 1 empties db 3 only, and its backup brings db 3 back', async () => {
    const experiment = validateExperiment({
      name: 'flushdb-3',
      phases: { baseline: '0s', fault: '1s', recovery: '0s' },
      faults: [{ kind: 'flushdb', db: 3 }],
      backup: {},
    });
    const loaded = await loadEnvironmentFile(envFile);
    const safety = new RunSafety(experiment, loaded);
    safety.clearance = await checkDestructiveGuard(loaded, [experiment], { allowDestructive: instance });
    const before = await snapshotKeys(foreign, dbs);
    const injected = await guardedInject(
      context(),
      experiment.faults[0]!,
      1000,
      safety.faultSafety(() => {}),
      0,
    );
    expect(injected.evidence).toMatchObject({ db: 3, keysBefore: 200, keysAfter: 0 });
    expect(await foreign.admin.dbsize()).toBe(3000); // db 0 untouched
    expect(await adminDb1.dbsize()).toBe(1); // db 1 untouched
    expect((injected.evidence as { backup: { keysByDb: unknown } }).backup.keysByDb).toEqual([{ db: 3, keys: 200 }]);
    await injected.revert?.();
    await expectKeysIntact(foreign, before, { dbs });
  }, 60_000);
});
