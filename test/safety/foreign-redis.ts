// Test fixture: a redis-server this test spawns itself (the harness did not start it), filled with keys, and checks
// that every key survived.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { expect } from 'vitest';
import { freePort } from '../../src/runtimes/local/index.ts';
import { redisServerBinary } from '../../src/runtimes/local/binaries.ts';
import {
  unwatchDirectory,
  unwatchProcessGroup,
  watchDirectory,
  watchProcessGroup,
} from '../../src/runtimes/local/watchdog.ts';

export interface ForeignRedis {
  readonly port: number;
  readonly url: string;
  readonly pid: number;
  readonly admin: Redis;
  alive(): boolean;
  /** SIGKILL by pid, waits for the exit, removes the dir. Idempotent. */
  stop(): Promise<void>;
}

/** `extraArgs`: more redis-server options, e.g. ['--rename-command', 'CONFIG', '']. */
export async function spawnForeignRedis(extraArgs: string[] = []): Promise<ForeignRedis> {
  const dir = await mkdtemp(join(tmpdir(), 'cq-foreign-redis-'));
  const port = await freePort();
  watchDirectory(dir);
  // its own process group, reaped by the watchdog if the test process dies before afterAll
  const child = spawn(
    redisServerBinary(),
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, ...extraArgs],
    { stdio: 'ignore', detached: true },
  );
  const exited = once(child, 'exit');
  if (child.pid !== undefined) watchProcessGroup(child.pid);
  const admin = new Redis({
    port,
    host: '127.0.0.1',
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    retryStrategy: () => null,
  });
  admin.on('error', () => {});
  const stop = async () => {
    admin.disconnect();
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
    if (child.pid !== undefined) unwatchProcessGroup(child.pid);
    await rm(dir, { recursive: true, force: true });
    unwatchDirectory(dir);
  };
  try {
    const deadline = Date.now() + 10_000;
    for (;;) {
      try {
        await admin.connect();
        await admin.ping();
        break;
      } catch (error) {
        admin.disconnect();
        if (Date.now() > deadline || child.exitCode !== null) throw error;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    pid: child.pid as number,
    admin,
    alive: () => child.exitCode === null && child.signalCode === null,
    stop,
  };
}

/**
 * `count` keys in db 0 (half strings, half hashes; every other one with a TTL of about an hour) and `inDb1` strings in
 * db 1.
 */
export async function fillForeignRedis(redis: ForeignRedis, count: number, inDb1 = 100): Promise<void> {
  const pipeline = redis.admin.pipeline();
  for (let i = 0; i < count; i++) {
    const key = i % 2 === 0 ? `app:user:${i}` : `app:profile:${i}`;
    if (i % 2 === 0) pipeline.set(key, `value-${i}-${'x'.repeat(i % 50)}`);
    else pipeline.hset(key, { name: `user ${i}`, visits: String(i), plan: i % 3 === 0 ? 'pro' : 'free' });
    if (i % 4 < 2) pipeline.pexpire(key, 3_600_000 + i);
  }
  await pipeline.exec();
  const db1 = new Redis(redis.url, { db: 1, lazyConnect: true, maxRetriesPerRequest: 1 });
  db1.on('error', () => {});
  await db1.connect();
  try {
    const p1 = db1.pipeline();
    for (let i = 0; i < inDb1; i++) p1.set(`other:${i}`, String(i));
    await p1.exec();
  } finally {
    db1.disconnect();
  }
}

export interface KeysSnapshot {
  at: number;
  /** "db:key" → DUMP payload (hex) and PTTL. */
  keys: Map<string, { dump: string; pttl: number }>;
}

/** SCAN + DUMP + PTTL of every key in the databases `dbs` (db 0 and 1 unless told). */
export async function snapshotKeys(redis: ForeignRedis, dbs: readonly number[] = [0, 1]): Promise<KeysSnapshot> {
  const keys = new Map<string, { dump: string; pttl: number }>();
  for (const db of dbs) {
    const client = new Redis(redis.url, { db, lazyConnect: true, maxRetriesPerRequest: 1 });
    client.on('error', () => {});
    await client.connect();
    try {
      const names = new Set<string>();
      let cursor = '0';
      let rounds = 0;
      do {
        const [next, found] = await client.scan(cursor, 'COUNT', 1000);
        cursor = next;
        for (const k of found) names.add(k);
      } while (cursor !== '0' && ++rounds < 100_000);
      const list = [...names];
      const pipeline = client.pipeline();
      for (const k of list) pipeline.dumpBuffer(k).pttl(k);
      const replies = (await pipeline.exec()) ?? [];
      list.forEach((k, i) => {
        const dump = replies[2 * i]?.[1] as Buffer | null;
        if (dump) keys.set(`${db}:${k}`, { dump: dump.toString('hex'), pttl: replies[2 * i + 1]?.[1] as number }); // null: expired since the SCAN
      });
    } finally {
      client.disconnect();
    }
  }
  return { at: Date.now(), keys };
}

/**
 * Every key of `before` is still there with the same DUMP payload, no TTL where there was none, and a TTL that ran
 * down by no more than the time between the snapshots (+1 s). `allowExtra`: keys the service created meanwhile.
 */
export async function expectKeysIntact(
  redis: ForeignRedis,
  before: KeysSnapshot,
  options: { allowExtra?: boolean; dbs?: readonly number[] } = {},
): Promise<KeysSnapshot> {
  const after = await snapshotKeys(redis, options.dbs);
  const elapsed = after.at - before.at;
  const missing: string[] = [];
  const changed: string[] = [];
  const badTtl: string[] = [];
  for (const [key, old] of before.keys) {
    const now = after.keys.get(key);
    if (!now) {
      missing.push(key);
      continue;
    }
    if (now.dump !== old.dump) changed.push(key);
    const ttlOk =
      old.pttl < 0
        ? now.pttl === old.pttl
        : now.pttl > 0 && now.pttl <= old.pttl && now.pttl >= old.pttl - elapsed - 1000;
    if (!ttlOk) badTtl.push(`${key}: ${old.pttl} → ${now.pttl}`);
  }
  expect({
    missing: missing.slice(0, 5),
    missingCount: missing.length,
    changed: changed.slice(0, 5),
    badTtl: badTtl.slice(0, 5),
  }).toEqual({ missing: [], missingCount: 0, changed: [], badTtl: [] });
  if (!options.allowExtra) expect(after.keys.size).toBe(before.keys.size);
  return after;
}

/** CONFIG GET * as a record. */
export async function configOf(redis: ForeignRedis): Promise<Record<string, string>> {
  const flat = (await redis.admin.config('GET', '*')) as string[];
  const config: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) config[flat[i] as string] = flat[i + 1] as string;
  return config;
}

/**
 * Calls of commands that change data, config or clients, from INFO commandstats: must not move when a fault is refused.
 */
export async function writeCommandCalls(redis: ForeignRedis): Promise<Record<string, number>> {
  const info = await redis.admin.info('commandstats');
  const calls: Record<string, number> = {};
  for (const m of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
    if (
      /^(flushall|flushdb|set|del|unlink|expire|pexpire|hset|restore|config\|set|client\|kill|client\|pause|debug|mset)$/.test(
        m[1] as string,
      )
    )
      calls[m[1] as string] = Number(m[2]);
  }
  return calls;
}
