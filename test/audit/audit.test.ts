// The audit against a real Redis seeded with a known TTL distribution, connected as an ACL user that may only read.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAudit, type AuditReport, type PrefixReport } from '../../src/audit/index.ts';
import { CachequakeError } from '../../src/errors/index.ts';
import type { StartedRedis } from '../../src/runtimes/local/index.ts';
import { commandCalls, readerUrl, seeded, startSeededRedis } from './seeded-redis.ts';

let redis: StartedRedis;
beforeAll(async () => {
  redis = await startSeededRedis();
});
afterAll(async () => {
  await redis?.stop();
});

const prefix = (report: AuditReport, name: string): PrefixReport => {
  const found = report.prefixes.find((p) => p.prefix === name);
  if (!found) throw new Error(`no prefix ${name} in ${report.prefixes.map((p) => p.prefix).join(', ')}`);
  return found;
};

describe('audit as a read-only ACL user', () => {
  it('the user really cannot write', async () => {
    const reader = new Redis(readerUrl(redis), { maxRetriesPerRequest: 0 });
    try {
      await expect(reader.set('session:1', 'x')).rejects.toThrow(/NOPERM/);
      await expect(reader.call('CONFIG', 'SET', 'maxmemory', '1')).rejects.toThrow(/NOPERM/);
    } finally {
      reader.disconnect();
    }
  });

  it('reports exact counts, the TTL spread and the verdict per prefix for a complete sample', async () => {
    const before = await commandCalls(redis.admin);
    const report = await runAudit(readerUrl(redis), { rate: 100_000 });
    const after = await commandCalls(redis.admin);

    expect(report.server).toMatchObject({
      maxmemoryBytes: 64 * 1024 ** 2,
      policy: 'allkeys-lru',
      appendonly: false,
      configSource: 'config-get',
    });
    expect(report.keyspace).toEqual({ keys: seeded.total, expires: seeded.expires });
    expect(report.sample).toMatchObject({ requested: 10_000, scanned: seeded.total, complete: true });
    expect(report.prefixes.map((p) => [p.prefix, p.keys, p.estimatedKeys, p.withoutTtl])).toEqual([
      ['session', 1000, 1000, 310],
      ['cache', 400, 400, 0],
      ['user', 200, 200, 200],
      ['(none)', 1, 1, 1],
    ]);

    const session = prefix(report, 'session');
    expect(session.withoutTtlShare).toBe(0.31);
    expect(session.ttlSeconds?.min).toBeGreaterThanOrEqual(seeded.session.ttlMinSeconds - 5);
    expect(session.ttlSeconds?.min).toBeLessThanOrEqual(seeded.session.ttlMinSeconds);
    expect(session.ttlSeconds?.max).toBeGreaterThanOrEqual(seeded.session.ttlMaxSeconds - 5);
    expect(session.ttlSeconds?.max).toBeLessThanOrEqual(seeded.session.ttlMaxSeconds);
    // 690 TTLs 600, 610, … 7490: the median is the mean of the 345th and 346th, 4040 and 4050
    expect(Math.abs((session.ttlSeconds?.median ?? 0) - 4045)).toBeLessThanOrEqual(5);
    expect(session.risk).toBe('high');
    expect(session.verdict).toBe(
      '31% of session:* keys have no TTL; allkeys-lru can evict any of them when memory is full, TTL or not; volatile-lru would never evict the 310 without a TTL, and would reach OOM once only keys without a TTL remain',
    );
    expect(prefix(report, 'cache')).toMatchObject({ withoutTtl: 0, risk: 'low' });
    expect(prefix(report, 'cache').ttlSeconds?.max).toBeLessThanOrEqual(300);
    expect(prefix(report, 'user')).toMatchObject({ withoutTtlShare: 1, ttlSeconds: null, risk: 'high' });

    // memory: measured on a sub-sample; a 200-byte cache value costs more than 200 bytes
    expect(report.sample.memorySampled).toBeGreaterThan(100);
    expect(prefix(report, 'cache').memory?.meanBytes).toBeGreaterThan(200);

    // only allowlisted commands reached the server: no KEYS, no write, no CONFIG SET
    const sent = [...after]
      .filter(([name, calls]) => calls > (before.get(name) ?? 0))
      .map(([name]) => name)
      .sort();
    for (const name of sent)
      expect(['config|get', 'hello', 'info', 'memory|usage', 'pttl', 'scan', 'ping', 'select']).toContain(name);
    expect(sent).toEqual(expect.arrayContaining(['scan', 'pttl', 'memory|usage', 'info', 'config|get']));
    expect(sent).not.toContain('keys');
  });

  it('stops at --sample and extrapolates from INFO keyspace', async () => {
    const report = await runAudit(readerUrl(redis), { sample: 400, rate: 100_000 });
    expect(report.sample).toMatchObject({ scanned: 400, complete: false });
    const total = report.prefixes.reduce((sum, p) => sum + p.keys, 0);
    expect(total).toBe(400);
    for (const p of report.prefixes) expect(p.estimatedKeys).toBe(Math.round((p.keys * seeded.total) / 400));
  });

  it('keeps to --rate: 600 keys at 1,000 keys/s take at least half a second', async () => {
    const report = await runAudit(readerUrl(redis), { sample: 600, rate: 1000 });
    expect(report.sample.scanned).toBe(600);
    expect(report.sample.durationMs).toBeGreaterThanOrEqual(490);
    expect(report.sample.durationMs).toBeLessThan(3000);
  });

  it('falls back to INFO for maxmemory and the policy when CONFIG GET is not allowed', async () => {
    const report = await runAudit(readerUrl(redis, 'reader-noconfig'), { rate: 100_000 });
    expect(report.server).toMatchObject({
      maxmemoryBytes: 64 * 1024 ** 2,
      policy: 'allkeys-lru',
      appendonly: undefined,
      configSource: 'info',
    });
    expect(prefix(report, 'session').withoutTtl).toBe(310);
  });

  it('judges the same keys differently under volatile-lru and noeviction', async () => {
    await redis.admin.config('SET', 'maxmemory-policy', 'volatile-lru');
    try {
      const volatile = await runAudit(readerUrl(redis), { rate: 100_000 });
      expect(prefix(volatile, 'session').verdict).toBe(
        '31% of session:* keys have no TTL; volatile-lru never evicts those, so once only keys without a TTL remain every write fails with OOM',
      );
      expect(prefix(volatile, 'session').risk).toBe('medium');
      await redis.admin.config('SET', 'maxmemory-policy', 'noeviction');
      const none = await runAudit(readerUrl(redis), { rate: 100_000 });
      expect(prefix(none, 'session').verdict).toBe(
        '31% of session:* keys have no TTL; noeviction evicts nothing: at maxmemory every write fails with OOM, but none of the session:* keys is lost',
      );
    } finally {
      await redis.admin.config('SET', 'maxmemory-policy', 'allkeys-lru');
    }
  });

  it('runs as the minimal ACL user of docs/audit.md', async () => {
    const report = await runAudit(readerUrl(redis, 'cachequake-audit'), { rate: 100_000 });
    expect(report.server.configSource).toBe('config-get');
    expect(prefix(report, 'session')).toMatchObject({ keys: 1000, withoutTtl: 310 });
    expect(prefix(report, 'session').memory?.sampledKeys).toBeGreaterThan(0);
  });

  it('a user without SCAN gets an environment error that names the ACL it needs, not a crash', async () => {
    await redis.admin.call(
      'ACL',
      'SETUSER',
      'no-scan',
      'on',
      '>pw',
      '~*',
      '-@all',
      '+ping',
      '+hello',
      '+info',
      '+pttl',
    );
    const error = await runAudit(`redis://no-scan:pw@127.0.0.1:${redis.port}`, { rate: 100_000 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CachequakeError);
    expect((error as CachequakeError).code).toBe('CQ_AUDIT_NOPERM');
    expect((error as CachequakeError).exitCode).toBe(3);
    expect((error as CachequakeError).message).toMatch(/does not allow SCAN for this user/);
    expect((error as CachequakeError).hint).toContain('+scan +pttl +memory|usage');
  });

  it('a user without PTTL is refused the same way instead of sampling nothing', async () => {
    await redis.admin.call(
      'ACL',
      'SETUSER',
      'no-pttl',
      'on',
      '>pw',
      '~*',
      '-@all',
      '+ping',
      '+hello',
      '+info',
      '+scan',
    );
    await expect(runAudit(`redis://no-pttl:pw@127.0.0.1:${redis.port}`, { rate: 100_000 })).rejects.toThrow(
      /does not allow PTTL for this user/,
    );
  });

  it('groups by a deeper prefix with --depth 2', async () => {
    const report = await runAudit(readerUrl(redis), { rate: 100_000, prefix: { depth: 2 } });
    expect(report.prefixes.map((p) => p.pattern)).toContain('cache:page:*');
  });
});
