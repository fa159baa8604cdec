// What Cluster faults reach in a started cluster topology: the nodes by shard, their roles now, kills, restarts and
// health.
import type { Proxy } from 'toxiproxy-node-client';
import type { StartedRedis } from '../../local/types.ts';

/**
 * One redis-server of the cluster. Its shard is the group it was started in: a replica stays in its shard after a
 * failover.
 */
export interface ClusterNode {
  /** 0 … shards × (1 + replicas) − 1; nodes 0 … shards − 1 start as the primaries. */
  readonly index: number;
  readonly shard: number;
  /** The cluster node id (kept across restarts: nodes.conf stays in the node's dir). */
  readonly id: string;
  /** The real port (what Redis announces; the proxy rewrites it for clients). */
  readonly port: number;
  /** The process as it is now (a restart replaces it). */
  server(): StartedRedis;
  /** Its fault-proxy link (`<run>-redis-s<shard>-<k>`), RESP-tracked with address rewriting. */
  readonly link: Proxy;
  /** True while killed (between kill and startAgain). */
  readonly down: boolean;
}

export interface ShardRoles {
  /** The node serving the shard's slots now (undefined while no one does: failover in progress). */
  primary: ClusterNode | undefined;
  replicas: ClusterNode[];
}

export interface ClusterHealth {
  ok: boolean;
  /** What is still wrong when not ok, e.g. `node 3: cluster_state:fail`. */
  reason: string;
  elapsedMs: number;
}

export interface ClusterControl {
  readonly shards: number;
  readonly replicas: number;
  readonly nodes: readonly ClusterNode[];
  /** The primary and replicas of a shard as the live nodes see them now (CLUSTER NODES). */
  roles(shard: number): Promise<ShardRoles>;
  /** SIGKILL; the node's dir (data, nodes.conf) is kept. */
  kill(node: ClusterNode): Promise<{ pid: number }>;
  /** Starts a killed node again on its port and dir; it rejoins (a failed-over primary comes back as a replica). */
  startAgain(node: ClusterNode): Promise<{ pid: number }>;
  /**
   * Waits (bounded) until every live node reports cluster_state:ok, sees every shard served by a live primary and no
   * live node flagged failing; `check` may add a condition (e.g. "a replica took over").
   */
  waitHealthy(timeoutMs: number, check?: () => Promise<string | undefined>): Promise<ClusterHealth>;
  /** The slot ranges a node serves, as the live nodes agree (CLUSTER NODES of a live node). */
  slotsOf(node: ClusterNode): Promise<[number, number][]>;
}
