// Cluster fault kinds on a real 3×(1+1) cluster under client traffic through the proxies: evidence, revert, and the
// client never leaves the proxies.
import type { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { faultImplementation } from '../../../src/faults/catalogue.ts';
import type { FaultContext, RedisHandle } from '../../../src/runtimes/fault-context.ts';
import { faultSchemas, type FaultKind, type FaultSpecOf } from '../../../src/faults/fault-schema.ts';
import type { ClusterNode } from '../../../src/runtimes/topology/cluster/cluster-control.ts';
import { waitGone } from '../../fixtures/process-alive.ts';
import { startClusterFixture, type ClusterFixture } from './fixtures/cluster-fixture.ts';
import { keySlot, keysInSlots } from './fixtures/key-slot.ts';

let f: ClusterFixture;
let ctx: FaultContext;
let client: Cluster;
const seenPids = new Set<number>();

beforeAll(async () => {
  f = await startClusterFixture(3, 1);
  const t = f.topology;
  ctx = {
    redis: () => t.primary() as RedisHandle,
    postgres: () => undefined,
    topology: 'cluster',
    cluster: f.cluster,
    link: () => t.redisLink(),
    kill: () => t.kill(),
    startAgain: () => t.startAgain(),
    restart: (_on, save) => t.restart(save),
  };
  client = t.createClient({ commandTimeoutMs: 1000, connectTimeoutMs: 1000 }) as Cluster;
  client.on('error', () => {});
  await client.connect();
  for (let i = 0; i < 3000; i++) await client.set(`key:${i}`, String(i));
}, 60_000);
afterAll(async () => {
  client?.disconnect();
  for (const s of f?.topology.servers() ?? []) seenPids.add(s.pid);
  await f?.stop();
  expect(await waitGone([...seenPids], 5000)).toEqual([]);
});

function spec<K extends FaultKind>(kind: K, fields: Record<string, unknown>): FaultSpecOf<K> {
  return faultSchemas[kind].parse({ kind, ...fields }) as FaultSpecOf<K>;
}

/**
 * GETs and SETs through the proxies until stopped; every outcome counted, the longest stretch of failures timed, and
 * each key's last acknowledged value (with the values of failed SETs after it, which may have landed) kept for
 * `lostWrites`.
 */
function traffic(keys: string[]) {
  let running = true;
  const counts = { ok: 0, failed: 0, longestRefusalMs: 0, errors: new Set<string>() };
  const acked = new Map<string, { value: string; maybe: Set<string> }>();
  let failingSince: number | undefined;
  const done = (async () => {
    for (let i = 0; running && i < 1_000_000; i++) {
      const key = keys[i % keys.length] as string;
      const value = String(i);
      try {
        if (i % 2) await client.get(key);
        else {
          await client.set(key, value);
          acked.set(key, { value, maybe: new Set() });
        }
        counts.ok++;
        if (failingSince !== undefined)
          counts.longestRefusalMs = Math.max(counts.longestRefusalMs, performance.now() - failingSince);
        failingSince = undefined;
      } catch (error) {
        counts.failed++;
        failingSince ??= performance.now();
        if (i % 2 === 0) acked.get(key)?.maybe.add(value);
        counts.errors.add((error as Error).message.slice(0, 80));
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  })();
  return {
    counts,
    stop: async () => {
      running = false;
      await done;
    },
    /** Keys whose value now is neither their last acknowledged SET nor a later one that failed (it may have landed). */
    async lostWrites(): Promise<string[]> {
      const lost: string[] = [];
      for (const [key, { value, maybe }] of acked) {
        const now = await client.get(key);
        if (now !== value && !(now !== null && maybe.has(now))) lost.push(key);
      }
      return lost;
    },
  };
}

function expectOnlyProxied(): void {
  for (const node of client.nodes('all'))
    expect(f.proxyPorts.has(node.options.port as number), `client on ${node.options.port}`).toBe(true);
}

const allKeys = () => Array.from({ length: 3000 }, (_, i) => `key:${i}`);

describe('cluster faults', () => {
  it('kill-shard: the replica takes over within seconds; revert brings the old primary back as a replica', async () => {
    const load = traffic(allKeys());
    const fault = await faultImplementation('kill-shard').inject(ctx, spec('kill-shard', { shard: 1 }), 3000);
    console.log('kill-shard evidence', JSON.stringify(fault.evidence));
    const evidence = fault.evidence as {
      killed: { node: number; pid: number };
      promoted: { node: number } | null;
      clusterOk: boolean;
      okAfterMs: number;
      processState: string;
    };
    seenPids.add(evidence.killed.pid);
    expect(evidence.killed.node).toBe(1);
    expect(evidence.promoted?.node).toBe(4);
    expect(evidence.clusterOk).toBe(true);
    expect(evidence.okAfterMs).toBeLessThan(5000);
    expect(evidence.processState).toBe('gone');
    expect(await client.set('key:after-kill', 'v')).toBe('OK');
    const reverted = (await fault.revert?.()) as { rejoinedAs: string; clusterOk: boolean; pid: number };
    console.log('kill-shard revert', JSON.stringify(reverted));
    seenPids.add(reverted.pid);
    expect(reverted).toMatchObject({ rejoinedAs: 'replica', clusterOk: true });
    await load.stop();
    const lost = await load.lostWrites();
    console.log(
      'traffic during kill-shard',
      load.counts.ok,
      'ok',
      load.counts.failed,
      'failed',
      `longest refusal ${Math.round(load.counts.longestRefusalMs)} ms`,
      `${lost.length} lost`,
      [...load.counts.errors],
    );
    // the other two shards keep serving: most commands succeed (measured 500 ok, 1 failed)
    expect(load.counts.ok).toBeGreaterThan(10 * load.counts.failed);
    // only shard 1's keys fail, and only until the replica took over (okAfterMs) plus one command timeout (1 s)
    expect(load.counts.longestRefusalMs).toBeLessThan(evidence.okAfterMs + 1000);
    // one attempt per 20 ms at most while failing: more failures than the outage allows means the client never recovered
    expect(load.counts.failed).toBeLessThanOrEqual(Math.ceil((evidence.okAfterMs + 1000) / 20));
    // replication to the replica is asynchronous, but on loopback it is 0 writes behind when the primary dies
    expect(lost).toEqual([]);
    expectOnlyProxied();
    expect((await f.cluster.roles(1)).primary?.index).toBe(4);
  }, 60_000);

  it('failover-shard: CLUSTER FAILOVER swaps primary and replica', async () => {
    const fault = await faultImplementation('failover-shard').inject(ctx, spec('failover-shard', { shard: 0 }), 1000);
    console.log('failover-shard evidence', JSON.stringify(fault.evidence));
    expect(fault.evidence).toMatchObject({
      reply: 'OK',
      oldPrimary: { node: 0 },
      promoted: { node: 3 },
      clusterOk: true,
    });
    expect(fault.revert).toBeUndefined();
    // "The primary" (single-server faults, network faults on: redis) follows shard 0's failover.
    expect(f.topology.primary().port).toBe((f.cluster.nodes[3] as ClusterNode).port);
    expect(f.topology.redisLink().name).toBe((f.cluster.nodes[3] as ClusterNode).link.name);
    await ctx.kill('redis').then(() => ctx.startAgain('redis')); // "the primary" is shard 0's now: node 3
    expect((f.cluster.nodes[3] as ClusterNode).down).toBe(false);
    const health = await f.cluster.waitHealthy(15_000);
    expect(health.ok).toBe(true);
  }, 60_000);

  it('freeze-shard: SIGSTOP past cluster-node-timeout fails the shard over; SIGCONT and the cluster is ok again', async () => {
    const fault = await faultImplementation('freeze-shard').inject(ctx, spec('freeze-shard', { shard: 2 }), 2000);
    expect(fault.evidence).toMatchObject({ frozen: { node: 2 }, signal: 'SIGSTOP', processState: 'T' });
    await new Promise((r) => setTimeout(r, 2500));
    const reverted = (await fault.revert?.()) as Record<string, unknown>;
    console.log('freeze-shard revert', JSON.stringify(reverted));
    expect(reverted).toMatchObject({ signal: 'SIGCONT', failedOver: true, primaryNow: { node: 5 }, clusterOk: true });
    expect(await client.get('key:1')).toBe('1');
    expectOnlyProxied();
  }, 60_000);

  it('migrate-slots under traffic: keys moved, clients redirected with ASK and MOVED through the proxies, slots back at the end', async () => {
    const source = (await f.cluster.roles(0)).primary as ClusterNode;
    const before = await f.cluster.slotsOf(source);
    const firstSlots = Array.from({ length: 8 }, (_, i) => (before[0] as [number, number])[0] + i);
    const keys = keysInSlots(firstSlots, 5, 'moving:');
    expect(keys).toHaveLength(40);
    expect(keySlot('key:123')).toBe(Number(await client.cluster('KEYSLOT', 'key:123')));
    for (const key of keys) await client.set(key, 'v');
    const load = traffic(keys);
    const fault = await faultImplementation('migrate-slots').inject(
      ctx,
      spec('migrate-slots', { shard: 0, to: 1, slots: 8, hold: '150ms' }),
      2000,
    );
    console.log('migrate-slots evidence', JSON.stringify(fault.evidence));
    const evidence = fault.evidence as {
      slotCount: number;
      keysMoved: number;
      clientRedirects: { ask: number; moved: number };
      clusterOk: boolean;
      slotsNow: Record<string, number>;
    };
    expect(evidence.slotCount).toBe(8);
    expect(evidence.keysMoved).toBeGreaterThanOrEqual(keys.length);
    expect(evidence.clientRedirects.ask).toBeGreaterThan(0);
    expect(evidence.clientRedirects.moved).toBeGreaterThan(0);
    expect(evidence.clusterOk).toBe(true);
    expect(evidence.slotsNow[`node ${source.index}`]).toBe(5461 - 8);
    const reverted = (await fault.revert?.()) as { slotCount: number; clusterOk: boolean };
    console.log('migrate-slots revert', JSON.stringify(reverted));
    expect(reverted).toMatchObject({ slotCount: 8, clusterOk: true });
    await load.stop();
    console.log('traffic during migrate-slots', load.counts.ok, 'ok', load.counts.failed, 'failed', [
      ...load.counts.errors,
    ]);
    expect(load.counts.failed).toBe(0);
    expect(await f.cluster.slotsOf(source)).toEqual(before);
    expectOnlyProxied();
  }, 60_000);
});
