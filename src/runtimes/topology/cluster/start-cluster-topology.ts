// A local Redis Cluster: shards × (1 + replicas) redis-servers, each behind its own RESP-tracked, address-rewriting
// proxy link.
import { rm } from 'node:fs/promises';
import { Cluster } from 'ioredis';
import type { Proxy } from 'toxiproxy-node-client';
import { environmentError } from '../../../errors/index.ts';
import type { ProxyLinks } from '../../proxy-links.ts';
import { linkPort } from '../../proxy-links.ts';
import { within } from '../../within.ts';
import { startRedis } from '../../local/index.ts';
import { rawRedisCommand } from '../../local/redis-ping.ts';
import type { RedisOptions, StartedRedis } from '../../local/types.ts';
import type { RedisTopology } from '../topology-options.ts';
import type { StartedRedisTopology } from '../started-topology.ts';
import type { ClusterControl, ClusterHealth, ClusterNode, ShardRoles } from './cluster-control.ts';
import { parseClusterNodes, type ClusterNodeLine } from './cluster-nodes.ts';
import { formCluster } from './form-cluster.ts';

/**
 * Directives every node gets (a redis.config may override the timing ones): a 500 ms node timeout makes a failover
 * take about 1–2 s; replicas always may take over and stay in their shard.
 */
const clusterDefaults: Record<string, string | number> = {
  'cluster-node-timeout': 500,
  'cluster-replica-validity-factor': 0,
  'cluster-allow-replica-migration': 'no',
};

const formTimeoutMs = 20_000;
/** A node that does not answer an admin query within this is treated as unreachable (frozen, killed). */
const queryTimeoutMs = 1000;

class Node implements ClusterNode {
  readonly index: number;
  readonly shard: number;
  id = '';
  readonly port: number;
  link!: Proxy;
  down = false;
  current: StartedRedis;
  readonly dir: string;
  constructor(index: number, shard: number, server: StartedRedis) {
    this.index = index;
    this.shard = shard;
    this.current = server;
    this.port = server.port;
    this.dir = server.dir;
  }
  server(): StartedRedis {
    return this.current;
  }
}

export async function startClusterTopology(
  options: RedisOptions,
  topology: Extract<RedisTopology, { kind: 'cluster' }>,
  proxy: ProxyLinks,
): Promise<StartedRedisTopology> {
  if (!proxy.embedded) {
    throw environmentError(
      'CQ_CLUSTER_NEEDS_EMBEDDED_PROXY',
      `redis.topology: cluster needs cachequake's own fault proxy: Toxiproxy at ${proxy.url} cannot rewrite the node addresses in CLUSTER SLOTS and MOVED/ASK replies, so clients would be redirected past the proxy.`,
      {
        hint: 'Unset TOXIPROXY_URL (the embedded proxy rewrites them), or run `cachequake proxy` in place of toxiproxy-server.',
      },
    );
  }
  const { shards, replicas } = topology;
  const nodeOptions: RedisOptions = {
    ...options,
    config: { ...clusterDefaults, ...options.config, 'cluster-enabled': 'yes', 'cluster-config-file': 'nodes.conf' },
  };
  const shardOf = (index: number) => (index < shards ? index : (index - shards) % shards);
  const nodes: Node[] = [];
  const cleanup = async () => {
    await Promise.all(
      nodes.map(async (node) => {
        await node.current.stop();
        await rm(node.dir, { recursive: true, force: true });
      }),
    );
  };
  try {
    const started = await Promise.allSettled(
      Array.from({ length: shards * (1 + replicas) }, () => startRedis(nodeOptions)),
    );
    for (const [index, result] of started.entries())
      if (result.status === 'fulfilled') nodes.push(new Node(index, shardOf(index), result.value));
    const failed = started.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    const ids = await formCluster(
      nodes.map((node) => ({
        port: node.port,
        admin: node.current.admin,
        shard: node.shard,
        primary: node.index < shards,
      })),
      formTimeoutMs,
    );
    for (const [i, node] of nodes.entries()) node.id = ids[i] as string;
    const perShard = new Map<number, number>();
    for (const node of nodes) {
      const k = perShard.get(node.shard) ?? 0;
      perShard.set(node.shard, k + 1);
      node.link = await proxy.add(`redis-s${node.shard}-${k}`, `127.0.0.1:${node.port}`, { resp: 'cluster' });
    }
    // "The primary" of the single-server contract is shard 0's primary as last seen (every roles(0) call refreshes it).
    let shard0Primary: Node = nodes[0] as Node;
    const control = clusterControl(nodes, shards, replicas, nodeOptions, (shard, node) => {
      if (shard === 0) shard0Primary = node;
    });
    const seeds = nodes.map((node) => ({ host: '127.0.0.1', port: linkPort(node.link) }));
    const refreshShard0 = async () => {
      await control.roles(0);
      return shard0Primary;
    };
    const first = seeds[0] as { host: string; port: number };
    const result: StartedRedisTopology = {
      kind: 'cluster',
      primary: () => shard0Primary.current,
      redisLink: () => shard0Primary.link,
      endpoint: {
        host: first.host,
        port: first.port,
        url: `redis://${first.host}:${first.port}`,
        topology: 'cluster',
        nodes: seeds.map((s) => `${s.host}:${s.port}`).join(','),
      },
      servers: () => nodes.map((node) => node.current),
      cluster: control,
      createClient: ({ commandTimeoutMs, connectTimeoutMs }) =>
        new Cluster(seeds, {
          lazyConnect: true,
          enableOfflineQueue: false,
          // A lost node must not stall the probe: refresh slots soon after, retry redirects a few times.
          clusterRetryStrategy: (times) => Math.min(100 * times, 1000),
          retryDelayOnFailover: 100,
          retryDelayOnClusterDown: 100,
          maxRedirections: 16,
          slotsRefreshTimeout: 1000,
          redisOptions: { commandTimeout: commandTimeoutMs, connectTimeout: connectTimeoutMs, maxRetriesPerRequest: 0 },
        }),
      async kill() {
        const node = await refreshShard0();
        return control.kill(node);
      },
      async startAgain() {
        const node = nodes.find((n) => n.down && n.shard === 0) ?? shard0Primary;
        return control.startAgain(node);
      },
      async restart(save) {
        const node = await refreshShard0();
        const old = node.current;
        const down = performance.now();
        if (save) await rawRedisCommand(old.port, 'SHUTDOWN SAVE', 10_000).catch(() => undefined);
        await old.stop({ keepDir: true });
        node.current = await startRedis({ ...nodeOptions, port: node.port, dir: node.dir });
        return { oldPid: old.pid, pid: node.current.pid, downtimeMs: Math.round(performance.now() - down) };
      },
      stop: cleanup,
    };
    return result;
  } catch (error) {
    await cleanup();
    throw error;
  }
}

function clusterControl(
  nodes: Node[],
  shards: number,
  replicas: number,
  nodeOptions: RedisOptions,
  primarySeen: (shard: number, node: Node) => void,
): ClusterControl {
  const live = () => nodes.filter((node) => !node.down);
  const view = async (node: Node): Promise<ClusterNodeLine[] | undefined> => {
    const text = await within(
      node.current.admin.call('CLUSTER', 'NODES').catch(() => undefined),
      queryTimeoutMs,
    );
    return text === undefined ? undefined : parseClusterNodes(String(text));
  };
  /** The first live node's view that answers. */
  const anyView = async (): Promise<ClusterNodeLine[]> => {
    for (const node of live()) {
      const lines = await view(node);
      if (lines) return lines;
    }
    throw environmentError('CQ_CLUSTER_UNREACHABLE', 'no cluster node answered CLUSTER NODES.', {
      hint: 'Every node is killed or frozen.',
    });
  };
  const byId = (id: string) => nodes.find((node) => node.id === id);
  const rolesIn = (lines: ClusterNodeLine[], shard: number): ShardRoles => {
    const members = nodes.filter((node) => node.shard === shard);
    const lineOf = (node: Node) => lines.find((line) => line.id === node.id);
    const primary =
      members.find((node) => !node.down && lineOf(node)?.isPrimary && (lineOf(node)?.slots.length ?? 0) > 0) ??
      members.find((node) => !node.down && lineOf(node)?.isPrimary);
    return { primary, replicas: members.filter((node) => node !== primary && lineOf(node)?.primaryId !== undefined) };
  };
  return {
    shards,
    replicas,
    nodes,
    async roles(shard) {
      const roles = rolesIn(await anyView(), shard);
      if (roles.primary) primarySeen(shard, roles.primary as Node);
      return roles;
    },
    async kill(node) {
      const target = node as Node;
      const server = target.current;
      server.signal('SIGKILL');
      await server.waitForExit();
      await server.stop({ keepDir: true });
      target.down = true;
      return { pid: server.pid };
    },
    async startAgain(node) {
      const target = node as Node;
      if (!target.down) return { pid: target.current.pid };
      target.current = await startRedis({ ...nodeOptions, port: target.port, dir: target.dir });
      target.down = false;
      return { pid: target.current.pid };
    },
    async waitHealthy(timeoutMs, check) {
      const began = performance.now();
      let reason = 'not checked yet';
      for (let round = 0; performance.now() - began < timeoutMs && round < 10_000; round++) {
        reason = (await unhealthy()) ?? (await check?.()) ?? '';
        if (reason === '')
          return { ok: true, reason: '', elapsedMs: Math.round(performance.now() - began) } satisfies ClusterHealth;
        await new Promise((r) => setTimeout(r, 25));
      }
      return { ok: false, reason, elapsedMs: Math.round(performance.now() - began) };
    },
    async slotsOf(node) {
      return (await anyView()).find((line) => line.id === node.id)?.slots ?? [];
    },
  };

  /** Why the cluster is not healthy, or undefined when it is. */
  async function unhealthy(): Promise<string | undefined> {
    let agreed: string | undefined;
    for (const node of live()) {
      const info = await within(
        node.current.admin.call('CLUSTER', 'INFO').catch(() => undefined),
        queryTimeoutMs,
      );
      if (info === undefined) return `node ${node.index} does not answer`;
      if (!String(info).includes('cluster_state:ok'))
        return `node ${node.index}: ${/cluster_state:\w+/.exec(String(info))?.[0] ?? 'no cluster_state'}`;
      const lines = await view(node);
      if (!lines) return `node ${node.index} does not answer CLUSTER NODES`;
      const failing = lines.find((line) => line.failing && !byId(line.id)?.down);
      if (failing) return `node ${node.index} sees node ${byId(failing.id)?.index ?? failing.id} as failing`;
      const primaries: string[] = [];
      for (let shard = 0; shard < shards; shard++) {
        const primary = rolesIn(lines, shard).primary;
        if (!primary) return `node ${node.index} sees no live primary for shard ${shard}`;
        primaries.push(primary.id);
      }
      const key = primaries.join(',');
      if (agreed !== undefined && key !== agreed) return `nodes disagree on the primaries`;
      agreed = key;
    }
    return undefined;
  }
}
