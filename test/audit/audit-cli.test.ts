// `cachequake audit` as a user runs it: text and --json against a real Redis, exit 2 for bad input, exit 3 when nothing
// listens.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, releasePort, type StartedRedis } from '../../src/runtimes/local/index.ts';
import { runCli } from '../fixtures/run-cli.ts';
import { readerUrl, seeded, startSeededRedis } from './seeded-redis.ts';

let redis: StartedRedis;
beforeAll(async () => {
  redis = await startSeededRedis();
});
afterAll(async () => {
  await redis?.stop();
});

describe('cachequake audit (CLI)', () => {
  it('prints the policy, the exact keyspace and a verdict per prefix', async () => {
    const result = await runCli(['audit', readerUrl(redis), '--rate', '100000']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`redis://reader:***@127.0.0.1:${redis.port}/0 (Redis 7.`);
    expect(result.stdout).toContain('maxmemory-policy allkeys-lru');
    expect(result.stdout).toContain(
      `db0: ${seeded.total} keys, ${seeded.expires} with a TTL, ${seeded.total - seeded.expires} without`,
    );
    expect(result.stdout).toContain('session:*  1000 keys, 310 without TTL (31%)');
    expect(result.stdout).toContain('  [high] 31% of session:* keys have no TTL; allkeys-lru can evict any of them');
    expect(result.stdout).not.toContain('reader-secret');
  });

  it('--json gives the report as data', async () => {
    const result = await runCli(['audit', readerUrl(redis), '--json', '--sample', '500', '--rate', '100000']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as {
      version: number;
      sample: { scanned: number; complete: boolean };
      prefixes: { prefix: string }[];
    };
    expect(report.version).toBe(1);
    expect(report.sample).toMatchObject({ scanned: 500, complete: false });
    expect(report.prefixes.length).toBeGreaterThan(0);
  });

  it('exit 2 for a bad URL, a bad option or wrong credentials; exit 3 when nothing listens; never a stack trace', async () => {
    const badDb = await runCli(['audit', `redis://127.0.0.1:${redis.port}/x`]);
    expect([badDb.code, badDb.stderr]).toEqual([
      2,
      expect.stringContaining('Expected a database number after the port'),
    ]);
    const badUrl = await runCli(['audit', 'not a url']);
    expect([badUrl.code, badUrl.stderr]).toEqual([2, expect.stringContaining('CQ_AUDIT_URL_INVALID')]);
    const badRate = await runCli(['audit', redis.url, '--rate', '0']);
    expect([badRate.code, badRate.stderr]).toEqual([
      2,
      expect.stringContaining('Expected --rate to be an integer from 1 to 1000000, got "0"'),
    ]);
    const badPass = await runCli(['audit', `redis://reader:wrong@127.0.0.1:${redis.port}`]);
    expect([badPass.code, badPass.stderr]).toEqual([2, expect.stringContaining('CQ_AUDIT_AUTH_FAILED')]);
    const port = await freePort();
    try {
      const closed = await runCli(['audit', `redis://127.0.0.1:${port}`]);
      expect([closed.code, closed.stderr]).toEqual([3, expect.stringContaining('CQ_AUDIT_CONNECT_FAILED')]);
      for (const r of [badUrl, badRate, badPass, closed]) expect(r.stderr).not.toMatch(/\n\s+at /);
    } finally {
      releasePort(port);
    }
  });
});
