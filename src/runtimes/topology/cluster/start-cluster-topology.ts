// A local Redis Cluster: shards × (1 + replicas) redis-servers (ClusterProcesses), each behind its own RESP-tracked,
// address-rewriting proxy link, with their roles read from the nodes themselves (ClusterView).
import { Cluster } from 'ioredis';
import { environmentError } from '../../../errors/index.ts';
import type { ProxyLinks } from '../../proxy-links.ts';
import { linkPort } from '../../proxy-links.ts';
import type { RedisOptions } from '../../local/types.ts';
import type { RedisTopology } from '../topology-options.ts';
import type { StartedRedisTopology } from '../started-topology.ts';
import type { ClusterControl } from './cluster-control.ts';
import { ClusterProcesses, type Node } from './cluster-processes.ts';
import { ClusterView } from './cluster-view.ts';
import { formCluster } from './form-cluster.ts';

const formTimeoutMs = 20_000;

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
  const processes = new ClusterProcesses(options);
  const { nodes } = processes;
  try {
    await processes.start(shards, replicas);
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
    const view = new ClusterView(nodes, shards);
    // "The primary" of the single-server contract is shard 0's primary as last seen (every roles(0) call refreshes it).
    let shard0Primary: Node = nodes[0] as Node;
    const control: ClusterControl = {
      shards,
      replicas,
      nodes,
      async roles(shard) {
        const roles = await view.roles(shard);
        if (shard === 0 && roles.primary) shard0Primary = roles.primary as Node;
        return roles;
      },
      kill: (node) => processes.kill(node as Node),
      startAgain: (node) => processes.startAgain(node as Node),
      waitHealthy: (timeoutMs, check) => view.waitHealthy(timeoutMs, check),
      slotsOf: (node) => view.slotsOf(node as Node),
    };
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
        return processes.kill(await refreshShard0());
      },
      async startAgain() {
        const node = nodes.find((n) => n.down && n.shard === 0) ?? shard0Primary;
        return processes.startAgain(node);
      },
      async restart(save) {
        return processes.restart(await refreshShard0(), save);
      },
      stop: () => processes.stop(),
    };
    return result;
  } catch (error) {
    await processes.stop();
    throw error;
  }
}
