// Test fixture: a real Redis seeded with a known TTL distribution, and ACL users that may only read.
import type { Redis } from 'ioredis';
import { startRedis, type StartedRedis } from '../../src/runtimes/local/index.ts';

/**
 * 1,000 session:* (310 without TTL, the others 600 s, 610 s, … 7,490 s), 400 cache:* (all 300 s), 200 user:* (none), 1
 * lonely key.
 */
export const seeded = {
  session: { keys: 1000, withoutTtl: 310, ttlMinSeconds: 600, ttlMaxSeconds: 600 + 689 * 10 },
  cache: { keys: 400, withoutTtl: 0, ttlSeconds: 300 },
  user: { keys: 200, withoutTtl: 200 },
  total: 1601,
  expires: 690 + 400,
};

export const readerPassword = 'reader-secret';

export async function startSeededRedis(): Promise<StartedRedis> {
  const redis = await startRedis({ config: { maxmemory: '64mb', 'maxmemory-policy': 'allkeys-lru' } });
  await seed(redis.admin);
  // a user that may only read: the read category plus INFO and CONFIG GET; a second one without CONFIG GET
  await redis.admin.call(
    'ACL',
    'SETUSER',
    'reader',
    'on',
    `>${readerPassword}`,
    '~*',
    '&*',
    '-@all',
    '+@read',
    '+info',
    '+config|get',
    '+ping',
    '+hello',
  );
  await redis.admin.call(
    'ACL',
    'SETUSER',
    'reader-noconfig',
    'on',
    `>${readerPassword}`,
    '~*',
    '&*',
    '-@all',
    '+@read',
    '+info',
    '+ping',
    '+hello',
  );
  // the minimal user docs/audit.md recommends, word for word
  await redis.admin.call(
    'ACL',
    'SETUSER',
    'cachequake-audit',
    'on',
    `>${readerPassword}`,
    '~*',
    'resetchannels',
    '-@all',
    '+ping',
    '+hello',
    '+info',
    '+config|get',
    '+dbsize',
    '+scan',
    '+pttl',
    '+memory|usage',
  );
  return redis;
}

async function seed(admin: Redis): Promise<void> {
  const pipeline = admin.pipeline();
  let withTtl = 0;
  for (let i = 0; i < seeded.session.keys; i++) {
    // every third-ish key without TTL: the first 310 indexes that are ≡ 0 mod 3, then all with TTL
    const noTtl = i % 3 === 0 && i / 3 < seeded.session.withoutTtl;
    if (noTtl) pipeline.set(`session:${i}`, JSON.stringify({ user: i, rememberMe: true }));
    else pipeline.set(`session:${i}`, JSON.stringify({ user: i }), 'EX', seeded.session.ttlMinSeconds + 10 * withTtl++);
  }
  for (let i = 0; i < seeded.cache.keys; i++)
    pipeline.set(`cache:page:${i}`, 'x'.repeat(200), 'EX', seeded.cache.ttlSeconds);
  for (let i = 0; i < seeded.user.keys; i++) pipeline.hset(`user:${i}`, { name: `user ${i}`, plan: 'free' });
  pipeline.set('lonely', '1');
  await pipeline.exec();
}

/** INFO commandstats as command → calls. */
export async function commandCalls(admin: Redis): Promise<Map<string, number>> {
  const info = await admin.info('commandstats');
  return new Map([...info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)].map((m) => [m[1] as string, Number(m[2])]));
}

export function readerUrl(redis: StartedRedis, user = 'reader'): string {
  return `redis://${user}:${readerPassword}@127.0.0.1:${redis.port}/0`;
}
