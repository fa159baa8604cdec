// The write probe against a real redis-server behind the fault proxy: acknowledged writes are read back, a FLUSHALL
// shows as lost writes, a pause as refused writes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalEnvironment, type StartedEnvironment } from '../../src/runtimes/local/local-environment.ts';
import { WriteProbe, longestRefusal } from '../../src/probes/write-probe.ts';

let env: StartedEnvironment;

beforeAll(async () => {
  env = await startLocalEnvironment({ runId: 'probetest', redis: {}, postgres: false });
});
afterAll(async () => {
  await env?.stop();
});

function probe(prefix: string, ratePerSecond: number, commandTimeoutMs = 500): { probe: WriteProbe; began: number } {
  const began = performance.now();
  const client = env.probeClient?.({ commandTimeoutMs, connectTimeoutMs: 1000 });
  if (!client) throw new Error('the local runtime has no probe client');
  return {
    probe: new WriteProbe({
      client,
      keyPrefix: prefix,
      ratePerSecond,
      maxWrites: 10_000,
      nowMs: () => performance.now() - began,
    }),
    began,
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('write probe', () => {
  it('reads back every acknowledged write: nothing lost when nothing happened', async () => {
    const { probe: p } = probe('probe:quiet:', 200);
    await p.connect();
    p.start();
    await sleep(1000);
    const result = await p.stop();
    expect(result.attempted).toBeGreaterThanOrEqual(150);
    expect(result.attempted).toBeLessThanOrEqual(260);
    expect(result.acknowledged).toBe(result.attempted);
    expect(result).toMatchObject({ lost: 0, failed: 0, unverified: 0, refusedMs: 0, refusedFromMs: null });
    // the values are really in Redis, under the probe's prefix
    expect(await env.redis().admin.dbsize()).toBeGreaterThanOrEqual(result.acknowledged);
    expect(await env.redis().admin.get('probe:quiet:0')).toMatch(/^0:/);
  });

  it('counts acknowledged writes that a FLUSHALL deleted as lost, and only those', async () => {
    const { probe: p } = probe('probe:flush:', 200);
    await p.connect();
    p.start();
    await sleep(500);
    await env.redis().admin.flushall();
    await sleep(500);
    const result = await p.stop();
    expect(result.failed).toBe(0);
    expect(result.lost).toBeGreaterThan(50);
    // writes after the flush survive
    expect(result.lost).toBeLessThan(result.acknowledged - 50);
    expect(result.lostKeys[0]).toBe('probe:flush:0');
  });

  it('measures how long writes were refused: an outage of the link of about 600 ms', async () => {
    const { probe: p } = probe('probe:outage:', 100, 200);
    await p.connect();
    p.start();
    await sleep(400);
    const link = env.link('redis');
    const down = await link.update({ enabled: false, listen: link.listen, upstream: link.upstream });
    await sleep(600);
    await down.update({ enabled: true, listen: link.listen, upstream: link.upstream });
    await sleep(1200);
    const result = await p.stop();
    expect(result.failed).toBeGreaterThan(20);
    expect(result.lost).toBe(0);
    expect(result.refusedMs).toBeGreaterThanOrEqual(500);
    expect(result.refusedMs).toBeLessThan(2000);
    expect(result.refusedFromMs).toBeGreaterThanOrEqual(300);
    expect(Object.keys(result.errors).length).toBeGreaterThan(0);
  });
});

describe('longestRefusal', () => {
  const w = (sentMs: number, status: 'acknowledged' | 'failed') => ({ sentMs, status });
  it('is 0 without failures', () => {
    expect(longestRefusal([w(0, 'acknowledged'), w(10, 'acknowledged')], 100)).toEqual({
      refusedMs: 0,
      refusedFromMs: null,
    });
  });
  it('runs from the first failure to the next acknowledged write and keeps the longest run', () => {
    expect(
      longestRefusal(
        [
          w(0, 'acknowledged'),
          w(10, 'failed'),
          w(20, 'failed'),
          w(35, 'acknowledged'),
          w(40, 'failed'),
          w(45, 'acknowledged'),
        ],
        100,
      ),
    ).toEqual({ refusedMs: 25, refusedFromMs: 10 });
  });
  it('runs to the end when writes never recovered', () => {
    expect(longestRefusal([w(0, 'acknowledged'), w(50, 'failed')], 300)).toEqual({ refusedMs: 250, refusedFromMs: 50 });
  });
});
