// The Cluster topology on real redis-servers: it forms, ioredis Cluster stays on proxy ports through MOVED and ASK,
// addresses rewritten in RESP2 and RESP3, nothing left running.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import type { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  beginSlotMigration,
  finishSlotMigration,
  moveSlotKeys,
  type MigrationEnd,
} from '../../../src/runtimes/topology/cluster/migrate-slots.ts';
import type { ClusterNode } from '../../../src/runtimes/topology/cluster/cluster-control.ts';
import { waitGone } from '../../fixtures/process-alive.ts';
import { startClusterFixture, type ClusterFixture } from './fixtures/cluster-fixture.ts';

const run = promisify(execFile);
let f: ClusterFixture;
const clients: (Redis | Cluster)[] = [];

beforeAll(async () => {
  f = await startClusterFixture(3, 1);
  console.log(`cluster 3×(1+1) started in ${f.startedInMs} ms`);
}, 60_000);
const killedPids: number[] = [];
afterAll(async () => {
  for (const c of clients) c.disconnect();
  const pids = [...killedPids, ...(f?.topology.servers().map((s) => s.pid) ?? [])];
  await f?.stop();
  expect(await waitGone(pids, 5000)).toEqual([]);
  for (const node of f?.cluster.nodes ?? []) expect(existsSync(node.server().dir), node.server().dir).toBe(false);
}, 30_000);

function probeClient(): Cluster {
  const c = f.topology.createClient({ commandTimeoutMs: 1000, connectTimeoutMs: 1000 }) as Cluster;
  c.on('error', () => {});
  clients.push(c);
  return c;
}

async function rewrites(
  node: ClusterNode,
): Promise<{ replies: number; addresses: number; unmatched: number; moved: number; ask: number }> {
  const response = await fetch(`${f.proxy.url}/proxies/${node.link.name}/redis-rules`);
  return ((await response.json()) as { rewrites: never }).rewrites;
}

/** Ports of every connection the client has, and proof that none of them reaches a redis-server directly. */
async function expectOnlyProxied(c: Cluster): Promise<void> {
  const ports = c.nodes('all').map((node) => node.options.port);
  expect(ports.length).toBeGreaterThan(0);
  for (const port of ports) expect(f.proxyPorts.has(port as number), `client connected to ${port}`).toBe(true);
  // Server side: no redis-server has a client whose address is one of this client's sockets.
  const localPorts = new Set(
    c
      .nodes('all')
      .map((node) => (node as unknown as { stream?: { localPort?: number } }).stream?.localPort)
      .filter((p) => p !== undefined),
  );
  for (const node of f.cluster.nodes) {
    const list = String(await node.server().admin.call('CLIENT', 'LIST'));
    for (const match of list.matchAll(/ addr=[\d.]+:(\d+) /g))
      expect(localPorts.has(Number(match[1])), `direct connection to node ${node.index}`).toBe(false);
  }
}

describe('formation', () => {
  it('3 shards with one replica each: cluster_state:ok everywhere, every replica following its primary, 6 proxy links', async () => {
    expect(f.cluster.nodes).toHaveLength(6);
    expect(f.proxyPorts.size).toBe(6);
    for (const node of f.cluster.nodes)
      expect(String(await node.server().admin.call('CLUSTER', 'INFO'))).toContain('cluster_state:ok');
    for (let shard = 0; shard < 3; shard++) {
      const roles = await f.cluster.roles(shard);
      expect(roles.primary?.index).toBe(shard);
      expect(roles.replicas.map((r) => r.index)).toEqual([shard + 3]);
    }
    expect(f.topology.primary().port).toBe(f.cluster.nodes[0]?.port);
    expect(f.topology.endpoint.nodes?.split(',').map((a) => Number(a.split(':')[1]))).toEqual([...f.proxyPorts]);
    expect(await f.cluster.slotsOf(f.cluster.nodes[1] as ClusterNode)).toEqual([[5461, 10921]]);
  });
});

describe('addresses rewritten by the proxy', () => {
  const realPorts = () => f.cluster.nodes.map((n) => n.port);

  it.each([
    ['RESP2', []],
    ['RESP3', ['-3', '--no-raw']],
  ])('CLUSTER SLOTS, SHARDS and NODES in %s name proxy ports only; bus ports stay', async (_name, flags) => {
    const seed = f.cluster.nodes[4] as ClusterNode;
    const port = String([...f.proxyPorts][4]);
    const slots = (await run('redis-cli', [...flags, '-p', port, 'CLUSTER', 'SLOTS'])).stdout;
    const shards = (await run('redis-cli', [...flags, '-p', port, 'CLUSTER', 'SHARDS'])).stdout;
    const nodes = (await run('redis-cli', [...flags, '-p', port, 'CLUSTER', 'NODES'])).stdout;
    const replicas = (
      await run('redis-cli', [...flags, '-p', port, 'CLUSTER', 'REPLICAS', (f.cluster.nodes[0] as ClusterNode).id])
    ).stdout;
    const numbers = (text: string) => new Set([...text.matchAll(/\d+/g)].map((m) => Number(m[0])));
    for (const text of [slots, shards, nodes, replicas])
      for (const real of realPorts()) expect(numbers(text).has(real), `${real} in ${text}`).toBe(false);
    for (const proxied of f.proxyPorts) {
      expect(numbers(slots).has(proxied)).toBe(true);
      expect(numbers(shards).has(proxied)).toBe(true);
      expect(nodes).toContain(`127.0.0.1:${proxied}@`);
    }
    for (const real of realPorts()) expect(nodes).toContain(`@${real + 10000}`);
    expect(replicas).toContain(`127.0.0.1:${[...f.proxyPorts][3]}@${(f.cluster.nodes[3] as ClusterNode).port + 10000}`);
    // RESP3 makes CLUSTER SHARDS a map of maps: redis-cli prints it with its keys
    if (flags.length) expect(shards).toMatch(/"endpoint" => "127\.0\.0\.1"/);
    const counted = await rewrites(seed);
    expect(counted.replies).toBeGreaterThanOrEqual(4);
    expect(counted.unmatched).toBe(0);
  });

  it('a proxy without rewriteAddresses passes CLUSTER SLOTS byte-identical', async () => {
    const node = f.cluster.nodes[2] as ClusterNode;
    const plain = await f.proxy.client.createProxy({
      name: `plain-${process.pid}`,
      listen: '127.0.0.1:0',
      upstream: `127.0.0.1:${node.port}`,
    });
    const direct = (await run('redis-cli', ['-p', String(node.port), 'CLUSTER', 'SLOTS'])).stdout;
    const through = (await run('redis-cli', ['-p', plain.listen.split(':')[1] as string, 'CLUSTER', 'SLOTS'])).stdout;
    expect(through).toBe(direct);
    await plain.remove();
  });
});

describe('ioredis Cluster through the proxied seeds', () => {
  it('writes and reads 300 keys on all shards with connections to proxy ports only', async () => {
    const c = probeClient();
    await c.connect();
    for (let i = 0; i < 300; i++) await c.set(`session:${i}`, String(i));
    expect(await c.get('session:123')).toBe('123');
    expect(c.nodes('master')).toHaveLength(3);
    await expectOnlyProxied(c);
  });

  it('stays proxied through an ASK redirect and then a MOVED redirect while a slot migrates', async () => {
    const c = probeClient();
    await c.connect();
    const key = 'user:{ask-moved}';
    await c.set(key, 'before');
    const slot = Number(await c.cluster('KEYSLOT', key));
    const sourceShard = slot <= 5460 ? 0 : slot <= 10921 ? 1 : 2;
    const targetShard = (sourceShard + 1) % 3;
    const end = (shard: number): MigrationEnd => {
      const node = f.cluster.nodes[shard] as ClusterNode;
      return { admin: node.server().admin, id: node.id, port: node.port };
    };
    const source = f.cluster.nodes[sourceShard] as ClusterNode;
    const target = f.cluster.nodes[targetShard] as ClusterNode;
    const before = { source: await rewrites(source), target: await rewrites(target) };

    await beginSlotMigration(slot, end(sourceShard), end(targetShard));
    expect(await moveSlotKeys(slot, end(sourceShard), end(targetShard))).toBe(1);
    // The key is on the target now, the slot still the source's: the source answers -ASK <target>.
    expect(await c.get(key)).toBe('before');
    expect((await rewrites(source)).ask).toBe(before.source.ask + 1);
    await expectOnlyProxied(c);

    await finishSlotMigration(slot, end(sourceShard), end(targetShard), [end(3 - sourceShard - targetShard)]);
    // The client's slot map still names the source: -MOVED <target>, then the map is refreshed through the proxy.
    expect(await c.set(key, 'after')).toBe('OK');
    expect((await rewrites(source)).moved).toBe(before.source.moved + 1);
    expect(await target.server().admin.get(key)).toBe('after');
    await expectOnlyProxied(c);
    // Put the slot back for the other tests.
    await beginSlotMigration(slot, end(targetShard), end(sourceShard));
    await moveSlotKeys(slot, end(targetShard), end(sourceShard));
    await finishSlotMigration(slot, end(targetShard), end(sourceShard), [end(3 - sourceShard - targetShard)]);
  });
});

describe('stop', () => {
  it('leaves a frozen node and a killed one for stop() (afterAll checks every process and dir is gone)', async () => {
    const frozen = f.cluster.nodes[5] as ClusterNode;
    const killed = f.cluster.nodes[4] as ClusterNode;
    killedPids.push(killed.server().pid);
    await f.cluster.kill(killed);
    expect(killed.down).toBe(true);
    frozen.server().signal('SIGSTOP');
  });
});
