// Every fault against real redis-server, PostgreSQL and the fault proxy: its evidence shows it happened, its revert
// restores the state.
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startLocalEnvironment, type StartedEnvironment } from '../../src/runtimes/local/local-environment.ts';
import { faultImplementation } from '../../src/faults/catalogue.ts';
import type { Evidence, InjectedFault } from '../../src/faults/fault-implementation.ts';
import { faultSchema, type FaultSpec } from '../../src/faults/fault-schema.ts';
import { linkPort } from '../../src/runtimes/proxy-links.ts';
import { isAlive } from '../fixtures/process-alive.ts';

let env: StartedEnvironment;

beforeAll(async () => {
  env = await startLocalEnvironment({
    runId: 'faulttest',
    redis: { config: { maxmemory: '8mb', 'maxmemory-policy': 'allkeys-lru' } },
    postgres: true,
  });
});
afterAll(async () => {
  await env?.stop();
});
beforeEach(async () => {
  await env.redis().admin.flushall();
});

async function inject(input: Record<string, unknown>, durationMs = 1000): Promise<InjectedFault & { spec: FaultSpec }> {
  const spec = faultSchema.parse(input);
  const impl = faultImplementation(spec.kind) as {
    inject: (c: StartedEnvironment, s: FaultSpec, d: number) => Promise<InjectedFault>;
  };
  return { ...(await impl.inject(env, spec, durationMs)), spec };
}

async function revert(fault: InjectedFault): Promise<Evidence> {
  expect(fault.revert).toBeTypeOf('function');
  return (fault.revert as () => Promise<Evidence>)();
}

function viaLink(): Redis {
  const client = new Redis({
    host: '127.0.0.1',
    port: linkPort(env.link('redis')),
    maxRetriesPerRequest: 0,
    connectTimeout: 1000,
    commandTimeout: 2000,
    retryStrategy: () => null,
  });
  client.on('error', () => {});
  return client;
}

async function timed<T>(fn: () => Promise<T>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

const configValue = async (name: string) => ((await env.redis().admin.config('GET', name)) as string[])[1];

describe('network faults (through the fault proxy and toxiproxy-node-client)', () => {
  it('latency: a PING through the link takes the added latency; revert removes the toxic', async () => {
    const client = viaLink();
    const fault = await inject({ kind: 'latency', latencyMs: 150 });
    expect(fault.evidence.toxics).toMatchObject([
      { type: 'latency', attributes: { latency: 150, jitter: 0 }, stream: 'downstream' },
    ]);
    expect(await timed(() => client.ping())).toBeGreaterThanOrEqual(140);
    const undone = await revert(fault);
    expect(undone.toxicsRemaining).toEqual([]);
    expect(await timed(() => client.ping())).toBeLessThan(100);
    client.disconnect();
  });

  it('every toxic kind is created with its Toxiproxy attributes and removed on revert', async () => {
    const cases: [Record<string, unknown>, string, Record<string, number>][] = [
      [{ kind: 'bandwidth', rateKBps: 100 }, 'bandwidth', { rate: 100 }],
      [{ kind: 'timeout', timeoutMs: 500 }, 'timeout', { timeout: 500 }],
      [{ kind: 'reset-peer', timeoutMs: 0 }, 'reset_peer', { timeout: 0 }],
      [
        { kind: 'slicer', averageSizeBytes: 8, sizeVariationBytes: 2, delayUs: 100 },
        'slicer',
        { average_size: 8, size_variation: 2, delay: 100 },
      ],
      [{ kind: 'limit-data', bytes: 10 }, 'limit_data', { bytes: 10 }],
      [{ kind: 'slow-close', delayMs: 50, stream: 'both' }, 'slow_close', { delay: 50 }],
    ];
    for (const [input, type, attributes] of cases) {
      const fault = await inject(input);
      const toxics = fault.evidence.toxics as { type: string; attributes: Record<string, number> }[];
      expect(toxics.length).toBe(input.stream === 'both' ? 2 : 1);
      for (const toxic of toxics) expect(toxic).toMatchObject({ type, attributes });
      expect((await revert(fault)).toxicsRemaining).toEqual([]);
    }
  });

  it('timeout: data is dropped, so a PING through the link gets no answer', async () => {
    const fault = await inject({ kind: 'timeout', timeoutMs: 0 });
    expect(fault.evidence.linkProbe).toMatchObject({ after: { ok: false } });
    const undone = await revert(fault);
    expect(undone.linkProbe).toMatchObject({ ok: true, detail: '+PONG' });
  });

  it('outage: the redis link refuses connections, and comes back on the same port', async () => {
    const port = linkPort(env.link('redis'));
    const fault = await inject({ kind: 'outage', on: 'redis' });
    expect(fault.evidence.linkProbe).toMatchObject({ ok: false, detail: 'ECONNREFUSED' });
    const undone = await revert(fault);
    expect(undone.linkProbe).toMatchObject({ ok: true });
    expect(linkPort(env.link('redis'))).toBe(port);
  });

  it('outage on the postgres link: a client cannot connect until the revert', async () => {
    const password = new URL(env.postgres()?.url ?? 'postgres://x').password; // this run's random password
    const url = `postgres://postgres:${password}@127.0.0.1:${linkPort(env.link('postgres'))}/postgres`;
    const fault = await inject({ kind: 'outage', on: 'postgres' });
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
    await expect(client.connect()).rejects.toThrow();
    await revert(fault);
    const again = new pg.Client(url);
    await again.connect();
    expect((await again.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    await again.end();
  });
});

describe('redis data faults', () => {
  it('flushall and flushdb delete the keys and say how many there were', async () => {
    const { admin } = env.redis();
    await admin.mset('a', '1', 'b', '2', 'c', '3');
    const all = await inject({ kind: 'flushall', mode: 'async' });
    expect(all.evidence).toMatchObject({ keysBefore: 3, keysAfter: 0 });
    const db1 = new Redis({ port: env.redis().port, db: 1 });
    await db1.set('x', '1');
    const one = await inject({ kind: 'flushdb', db: 1 });
    expect(one.evidence).toMatchObject({ db: 1, keysBefore: 1, keysAfter: 0 });
    db1.disconnect();
  });

  it('fill-memory forces eviction under allkeys-lru, and its revert deletes the filler', async () => {
    const { admin } = env.redis();
    for (let i = 0; i < 200; i++) await admin.set(`session:${i}`, 'x'.repeat(1000));
    const fault = await inject({ kind: 'fill-memory', to: '200%', valueSize: '4kb' });
    const evidence = fault.evidence as {
      evictedKeys: number;
      bytesWritten: number;
      targetBytes: number;
      usedMemoryAfter: number;
      maxmemory: number;
    };
    expect(evidence.targetBytes).toBe(2 * 8 * 1024 * 1024);
    expect(evidence.bytesWritten).toBeGreaterThanOrEqual(evidence.targetBytes);
    expect(evidence.evictedKeys).toBeGreaterThan(0);
    expect(evidence.usedMemoryAfter).toBeLessThanOrEqual(evidence.maxmemory * 1.05);
    const survivors = (await admin.keys('session:*')).length;
    expect(survivors).toBeLessThan(200); // sessions without TTL were evicted too: the incident
    const undone = await revert(fault);
    expect(undone.fillerKeysDeleted).toBeGreaterThan(0);
    expect(await admin.keys('cachequake:fill:*')).toEqual([]);
  });

  it('expire deletes (or sets a TTL on) exactly the keys that match', async () => {
    const { admin } = env.redis();
    for (let i = 0; i < 50; i++) await admin.set(`session:${i}`, '1');
    await admin.set('other', '1');
    const fault = await inject({ kind: 'expire', pattern: 'session:*' });
    expect(fault.evidence).toMatchObject({ keysMatched: 50, keysBefore: 51, keysAfter: 1 });
    await admin.set('session:x', '1');
    await inject({ kind: 'expire', pattern: 'session:*', ttlSeconds: 100 });
    expect(await admin.ttl('session:x')).toBeGreaterThan(90);
  });
});

describe('redis config and client faults', () => {
  it('maxmemory 1 under noeviction makes writes fail with OOM; revert restores maxmemory and the policy', async () => {
    const fault = await inject({ kind: 'maxmemory', to: 1, policy: 'noeviction' });
    expect(String(fault.evidence.probeWrite)).toMatch(/^OOM/);
    await expect(env.redis().admin.set('k', 'v')).rejects.toThrow(/OOM/);
    const undone = await revert(fault);
    expect(undone.restored).toEqual({ 'maxmemory-policy': 'allkeys-lru', maxmemory: String(8 * 1024 * 1024) });
    expect(await env.redis().admin.set('k', 'v')).toBe('OK');
  });

  it('config-set changes parameters and restores them', async () => {
    const before = await configValue('hz');
    const fault = await inject({ kind: 'config-set', parameters: { hz: 77, 'maxmemory-samples': 9 } });
    expect(fault.evidence.after).toEqual({ hz: '77', 'maxmemory-samples': '9' });
    await revert(fault);
    expect(await configValue('hz')).toBe(before);
    expect(await configValue('maxmemory-samples')).toBe('5');
  });

  it('maxclients refuses a new connection; revert lets it in again', async () => {
    const before = await configValue('maxclients');
    const fault = await inject({ kind: 'maxclients', to: 1 });
    expect(String(fault.evidence.newConnectionReply)).toContain('max number of clients reached');
    const undone = await revert(fault);
    expect(undone.restored).toEqual({ maxclients: before });
    expect(undone.newConnectionReply).toBe('+PONG');
  });

  it('client-pause write holds writes from other clients until the revert unpauses', async () => {
    const fault = await inject({ kind: 'client-pause', mode: 'write' }, 5000);
    expect(fault.evidence.probe).toBe('SET held for > 300ms');
    const other = new Redis({ port: env.redis().port });
    const write = other.set('paused', '1');
    await new Promise((r) => setTimeout(r, 100));
    await revert(fault);
    expect(await timed(() => write)).toBeLessThan(1000);
    other.disconnect();
  });

  it('client-kill drops every normal client but the admin connection', async () => {
    const victim = new Redis({ port: env.redis().port, retryStrategy: () => null });
    victim.on('error', () => {});
    await victim.ping();
    const closed = new Promise((r) => victim.once('close', r));
    const fault = await inject({ kind: 'client-kill' });
    expect(Number(fault.evidence.connectionsKilled)).toBeGreaterThanOrEqual(1);
    await closed;
    expect(await env.redis().admin.ping()).toBe('PONG');
  });
});

describe('process faults', () => {
  it('freeze (SIGSTOP) stops the redis process; revert continues it', async () => {
    const fault = await inject({ kind: 'freeze', on: 'redis' });
    expect(fault.evidence.processState).toBe('T');
    const undone = await revert(fault);
    expect(undone.processState).not.toBe('T');
    expect(await env.redis().admin.ping()).toBe('PONG');
  });

  it('freeze by DEBUG SLEEP blocks PING until the sleep ends', async () => {
    const fault = await inject({ kind: 'freeze', on: 'redis', method: 'debug-sleep' }, 700);
    expect(fault.evidence.pingDuringSleep).toBe('no answer within 200ms');
    const undone = await revert(fault);
    expect(undone.sleptMs as number).toBeGreaterThanOrEqual(650);
  });

  it('freeze postgres stops the postmaster group; revert continues it', async () => {
    const fault = await inject({ kind: 'freeze', on: 'postgres' });
    expect(fault.evidence.processState).toBe('T');
    expect((await revert(fault)).processState).not.toBe('T');
  });

  it('kill -9 of redis loses the data without persistence; the revert starts it on the same port', async () => {
    await env.redis().admin.set('k', 'v');
    const port = env.redis().port;
    const fault = await inject({ kind: 'kill', on: 'redis' });
    const killedPid = fault.evidence.pid as number;
    expect(isAlive(killedPid)).toBe(false);
    const undone = await revert(fault);
    expect(undone.pid).not.toBe(killedPid);
    expect(undone.keysAfter).toBe(0);
    expect(env.redis().port).toBe(port);
    expect(await configValue('maxmemory-policy')).toBe('allkeys-lru');
    const client = viaLink();
    expect(await client.ping()).toBe('PONG');
    client.disconnect();
  });

  it('restart of redis (SHUTDOWN NOSAVE) comes back empty on the same port', async () => {
    await env.redis().admin.set('k', 'v');
    const fault = await inject({ kind: 'restart', on: 'redis' });
    expect(fault.evidence).toMatchObject({ keysBefore: 1, keysAfter: 0 });
    expect(fault.evidence.pid).not.toBe(fault.evidence.oldPid);
  });

  it('kill -9 of postgres, then a restart on the same data dir', async () => {
    const fault = await inject({ kind: 'kill', on: 'postgres' });
    expect(isAlive(fault.evidence.pid as number)).toBe(false);
    await revert(fault);
    const client = new pg.Client(env.postgres()?.url);
    await client.connect();
    expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    await client.end();
  });
});
