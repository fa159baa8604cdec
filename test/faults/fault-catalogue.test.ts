// Every fault against real redis-server, PostgreSQL and the fault proxy: its evidence shows it happened, its revert
// restores the state.
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startLocalEnvironment, type StartedEnvironment } from '../../src/runtimes/local/local-environment.ts';
import { faultImplementation } from '../../src/faults/catalogue.ts';
import type { Evidence, InjectedFault } from '../../src/faults/fault-implementation.ts';
import { faultSchema, type FaultSpec } from '../../src/faults/fault-schema.ts';
import { linkPort } from '../../src/runtimes/proxy-links.ts';
import { isAlive } from '../fixtures/process-alive.ts';
import { sleep, watchCommand } from '../fixtures/held-command.ts';

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
/** Injected and not yet reverted: a failed test's fault (a frozen server, a toxic) must not reach the next test. */
const unreverted = new Set<InjectedFault>();
afterEach(async () => {
  for (const fault of unreverted) await fault.revert?.().catch(() => undefined);
  unreverted.clear();
});

async function inject(input: Record<string, unknown>, durationMs = 1000): Promise<InjectedFault & { spec: FaultSpec }> {
  const spec = faultSchema.parse(input);
  const impl = faultImplementation(spec.kind) as {
    inject: (c: StartedEnvironment, s: FaultSpec, d: number) => Promise<InjectedFault>;
  };
  const fault = await impl.inject(env, spec, durationMs);
  if (fault.revert) unreverted.add(fault);
  return { ...fault, spec };
}

async function revert(fault: InjectedFault): Promise<Evidence> {
  expect(fault.revert).toBeTypeOf('function');
  for (const pending of unreverted) if (pending.revert === fault.revert) unreverted.delete(pending);
  return (fault.revert as () => Promise<Evidence>)();
}

/** A second client, through the redis link as a service would connect: it sees what the fault does from outside. */
function viaLink(commandTimeoutMs = 2000): Redis {
  const client = new Redis({
    host: '127.0.0.1',
    port: linkPort(env.link('redis')),
    maxRetriesPerRequest: 0,
    connectTimeout: 1000,
    commandTimeout: commandTimeoutMs,
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

/** What a machine that a fault slows down may add on top of the expected time (2 shared cores, other test runs). */
const marginMs = 250;

const runId = async (client: Redis) => /run_id:(\w+)/.exec(await client.info('server'))?.[1];

function postgresClient(): pg.Client {
  const client = new pg.Client({ connectionString: env.postgres()?.url, connectionTimeoutMillis: 2000 });
  client.on('error', () => {});
  return client;
}

const configValue = async (name: string) => ((await env.redis().admin.config('GET', name)) as string[])[1];

describe('network faults (through the fault proxy and toxiproxy-node-client)', () => {
  it('latency: a PING through the link takes the added latency; revert removes the toxic', async () => {
    const client = viaLink();
    await client.ping(); // connected and past ioredis's ready check before the toxic, so one PING is one round trip
    const fault = await inject({ kind: 'latency', latencyMs: 150 });
    expect(fault.evidence.toxics).toMatchObject([
      { type: 'latency', attributes: { latency: 150, jitter: 0 }, stream: 'downstream' },
    ]);
    const during = await timed(() => client.ping());
    expect(during).toBeGreaterThanOrEqual(140);
    expect(during).toBeLessThan(150 + marginMs); // added once per reply, not per byte or twice
    const undone = await revert(fault);
    expect(undone.toxicsRemaining).toEqual([]);
    expect(await timed(() => client.ping())).toBeLessThan(100);
    client.disconnect();
  });

  it('bandwidth: a 60 KB value through the link takes about its size over the rate', async () => {
    await env.redis().admin.set('big', 'x'.repeat(60 * 1024));
    const client = viaLink(5000);
    await client.ping();
    const fault = await inject({ kind: 'bandwidth', rateKBps: 100 });
    const during = await timed(() => client.get('big'));
    expect(during).toBeGreaterThanOrEqual(500); // 60 KB at 100 KB/s: 0.6 s, less Toxiproxy's first chunk
    expect(during).toBeLessThan(600 + 2 * marginMs);
    await revert(fault);
    expect(await timed(() => client.get('big'))).toBeLessThan(200);
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
    const client = viaLink(500);
    await client.ping();
    const fault = await inject({ kind: 'timeout', timeoutMs: 0 });
    expect(fault.evidence.linkProbe).toMatchObject({ after: { ok: false } });
    await expect(client.ping()).rejects.toThrow('Command timed out');
    const undone = await revert(fault);
    expect(undone.linkProbe).toMatchObject({ ok: true, detail: '+PONG' });
    const fresh = viaLink();
    expect(await fresh.ping()).toBe('PONG');
    client.disconnect();
    fresh.disconnect();
  });

  it('outage: the redis link refuses connections, and comes back on the same port', async () => {
    const port = linkPort(env.link('redis'));
    const fault = await inject({ kind: 'outage', on: 'redis' });
    expect(fault.evidence.linkProbe).toMatchObject({ ok: false, detail: 'ECONNREFUSED' });
    const refused = viaLink();
    const error = await new Promise<Error>((r) => refused.once('error', r));
    expect((error as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');
    refused.disconnect();
    const undone = await revert(fault);
    expect(undone.linkProbe).toMatchObject({ ok: true });
    expect(linkPort(env.link('redis'))).toBe(port);
    const again = viaLink();
    expect(await again.ping()).toBe('PONG');
    again.disconnect();
  });

  it('outage on the postgres link: a client cannot connect until the revert', async () => {
    const password = new URL(env.postgres()?.url ?? 'postgres://x').password; // this run's random password
    const url = `postgres://postgres:${password}@127.0.0.1:${linkPort(env.link('postgres'))}/postgres`;
    const fault = await inject({ kind: 'outage', on: 'postgres' });
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
    await expect(client.connect()).rejects.toThrow(/ECONNREFUSED/);
    await revert(fault);
    const again = new pg.Client(url);
    await again.connect();
    expect((await again.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    await again.end();
  });
});

describe('redis data faults', () => {
  it('flushall empties every database, as a client on db 0 and one on db 3 see', async () => {
    const { admin } = env.redis();
    const db3 = new Redis({ port: env.redis().port, db: 3 });
    await admin.mset('a', '1', 'b', '2', 'c', '3');
    await db3.mset('x', '1', 'y', '2');
    const all = await inject({ kind: 'flushall', mode: 'async' });
    expect(all.evidence).toMatchObject({
      command: 'FLUSHALL ASYNC',
      keysBefore: 5,
      keysAfter: 0,
      keysBeforeByDb: { 0: 3, 3: 2 },
    });
    const db0 = viaLink();
    expect(await db0.dbsize()).toBe(0);
    expect(await db3.dbsize()).toBe(0); // a FLUSHDB on the admin's database would leave these
    expect(await db3.mget('x', 'y')).toEqual([null, null]);
    db0.disconnect();
    db3.disconnect();
  });

  it('flushdb empties its database only: the others keep their keys', async () => {
    const { admin } = env.redis();
    const db1 = new Redis({ port: env.redis().port, db: 1 });
    await admin.set('kept', '1');
    await db1.mset('x', '1', 'y', '2');
    const one = await inject({ kind: 'flushdb', db: 1 });
    expect(one.evidence).toEqual({ command: 'FLUSHDB SYNC', db: 1, keysBefore: 2, keysAfter: 0 });
    expect(await db1.dbsize()).toBe(0);
    const db0 = viaLink();
    expect(await db0.get('kept')).toBe('1');
    db0.disconnect();
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

  it('client-pause write holds a SET from another client until the revert unpauses, and lets reads through', async () => {
    const other = viaLink(10_000);
    await other.ping();
    const fault = await inject({ kind: 'client-pause', mode: 'write' }, 5000);
    expect(fault.evidence).toEqual({ command: 'CLIENT PAUSE 5000 WRITE', probe: 'SET held for > 300ms' });
    const write = watchCommand(other.set('paused', '1'));
    const reader = viaLink();
    expect(await reader.get('paused')).toBeNull(); // reads go on, and the SET has not run
    await sleep(500);
    expect(write.settled()).toBe(false);
    const revertedAt = performance.now();
    const undone = await revert(fault);
    expect(undone.command).toBe('CLIENT UNPAUSE');
    expect(undone.pausedForMs).toBeGreaterThanOrEqual(500);
    expect(undone.pausedForMs).toBeLessThan(5000); // ended by the UNPAUSE
    const { atMs, value } = await write.outcome;
    expect(value).toBe('OK');
    expect(atMs).toBeGreaterThanOrEqual(revertedAt);
    expect(atMs - revertedAt).toBeLessThan(marginMs); // released by the UNPAUSE, not by the 5 s pause running out
    expect(await reader.get('paused')).toBe('1');
    other.disconnect();
    reader.disconnect();
  });

  it('client-pause all holds even a PING from another client until the pause runs out', async () => {
    const other = viaLink(10_000);
    await other.ping();
    const pauseMs = 2000;
    const calledAt = performance.now();
    const fault = await inject({ kind: 'client-pause', mode: 'all' }, pauseMs);
    expect(fault.evidence.probe).toBe('PING held for > 300ms');
    expect(performance.now() - calledAt).toBeLessThan(300 + 2 * marginMs); // the fault returns while the pause is on
    const ping = watchCommand(other.ping());
    await sleep(500);
    expect(ping.settled()).toBe(false);
    const undone = await revert(fault); // an ALL pause cannot be ended early: the revert waits for it to run out
    expect(undone.pong).toBe('PONG');
    expect(undone.pausedForMs).toBeGreaterThanOrEqual(pauseMs - 50);
    expect(await timed(() => other.ping())).toBeLessThan(marginMs); // the recovery starts with Redis answering
    const { atMs, value } = await ping.outcome;
    expect(value).toBe('PONG');
    expect(atMs - calledAt).toBeGreaterThanOrEqual(pauseMs - 50); // released when the pause ran out
    expect(atMs - calledAt).toBeLessThan(pauseMs + 2 * marginMs);
    other.disconnect();
  });

  it('client-kill drops every normal client but the admin connection', async () => {
    const victim = new Redis({ port: env.redis().port, retryStrategy: () => null });
    victim.on('error', () => {});
    await victim.ping();
    const closed = new Promise((r) => victim.once('close', r));
    const fault = await inject({ kind: 'client-kill' });
    expect(fault.evidence.command).toBe('CLIENT KILL TYPE normal');
    expect(Number(fault.evidence.connectionsKilled)).toBeGreaterThanOrEqual(1);
    await closed;
    expect(await env.redis().admin.ping()).toBe('PONG');
  });
});

describe('process faults', () => {
  it("freeze (SIGSTOP) stops the redis process: another client's PING waits for the revert", async () => {
    const other = viaLink(10_000);
    await other.ping();
    const fault = await inject({ kind: 'freeze', on: 'redis' });
    expect(fault.evidence).toMatchObject({ signal: 'SIGSTOP', processState: 'T' });
    const ping = watchCommand(other.ping());
    await sleep(500);
    expect(ping.settled()).toBe(false);
    const revertedAt = performance.now();
    const undone = await revert(fault);
    expect(undone.signal).toBe('SIGCONT');
    expect(undone.processState).not.toBe('T');
    const { atMs, value } = await ping.outcome;
    expect(value).toBe('PONG');
    expect(atMs).toBeGreaterThanOrEqual(revertedAt);
    other.disconnect();
  });

  it("freeze by DEBUG SLEEP holds another client's PING until the sleep ends", async () => {
    const other = viaLink(10_000);
    await other.ping();
    const injectedAt = performance.now();
    const fault = await inject({ kind: 'freeze', on: 'redis', method: 'debug-sleep' }, 700);
    expect(fault.evidence).toEqual({ command: 'DEBUG SLEEP 0.700', pingDuringSleep: 'no answer within 200ms' });
    const ping = watchCommand(other.ping());
    const undone = await revert(fault);
    expect(undone.sleptMs as number).toBeGreaterThanOrEqual(650);
    expect(undone.sleptMs as number).toBeLessThan(700 + marginMs);
    const { atMs, value } = await ping.outcome;
    expect(value).toBe('PONG');
    expect(atMs - injectedAt).toBeGreaterThanOrEqual(650);
    expect(atMs - injectedAt).toBeLessThan(700 + marginMs);
    other.disconnect();
  });

  it('freeze postgres: a query from a connected client does not answer until the revert', async () => {
    const client = postgresClient();
    await client.connect();
    const fault = await inject({ kind: 'freeze', on: 'postgres' });
    expect(fault.evidence.processState).toBe('T');
    const query = watchCommand(client.query('SELECT 1 AS one'));
    await sleep(700);
    expect(query.settled()).toBe(false);
    const revertedAt = performance.now();
    expect((await revert(fault)).processState).not.toBe('T');
    const { atMs, value } = await query.outcome;
    expect(value?.rows).toEqual([{ one: 1 }]);
    expect(atMs).toBeGreaterThanOrEqual(revertedAt);
    await client.end();
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

  it('restart of redis (SHUTDOWN NOSAVE): a client sees a new run_id and no keys on the same link', async () => {
    await env.redis().admin.set('k', 'v');
    const before = viaLink();
    const runIdBefore = await runId(before);
    const closed = new Promise((r) => before.once('close', r));
    const fault = await inject({ kind: 'restart', on: 'redis' });
    expect(fault.evidence).toMatchObject({ keysBefore: 1, keysAfter: 0 });
    expect(fault.evidence.pid).not.toBe(fault.evidence.oldPid);
    await closed; // the old server closed the connection
    const after = viaLink();
    expect(await runId(after)).toMatch(/^\w{40}$/);
    expect(await runId(after)).not.toBe(runIdBefore);
    expect(await after.get('k')).toBeNull(); // no persistence: nothing to load
    after.disconnect();
  });

  it('restart of redis with save: true (SHUTDOWN SAVE): a new server, and it loaded the keys', async () => {
    await env.redis().admin.set('k', 'v');
    const before = viaLink();
    const runIdBefore = await runId(before);
    before.disconnect();
    await inject({ kind: 'restart', on: 'redis', save: true });
    const after = viaLink();
    expect(await runId(after)).not.toBe(runIdBefore);
    expect(await after.get('k')).toBe('v');
    after.disconnect();
  });

  it('restart of postgres: a connected client loses its session, a new one sees a new postmaster and the data', async () => {
    const setup = postgresClient();
    await setup.connect();
    await setup.query(
      'CREATE TABLE IF NOT EXISTS restart_probe (v int); TRUNCATE restart_probe; INSERT INTO restart_probe VALUES (7)',
    );
    const startedBefore = (await setup.query('SELECT pg_postmaster_start_time()::text AS t')).rows[0] as { t: string };
    const ended = new Promise((r) => setup.once('end', r));
    const fault = await inject({ kind: 'restart', on: 'postgres' });
    expect(fault.evidence.pid).not.toBe(fault.evidence.oldPid);
    expect(fault.evidence).not.toHaveProperty('keysBefore'); // keys are Redis's
    await ended;
    const after = postgresClient();
    await after.connect();
    const startedAfter = (await after.query('SELECT pg_postmaster_start_time()::text AS t')).rows[0] as { t: string };
    expect(startedAfter.t).not.toBe(startedBefore.t);
    expect((await after.query('SELECT v FROM restart_probe')).rows).toEqual([{ v: 7 }]);
    await after.end();
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
