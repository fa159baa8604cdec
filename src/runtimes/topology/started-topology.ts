// The Redis side of a local environment, whatever its topology: what faults reach and what the target is given.
import type { Cluster, Redis } from 'ioredis';
import type { Proxy } from 'toxiproxy-node-client';
import type { StartedRedis } from '../local/types.ts';
import type { RedisEndpoint } from '../../targets/render-target.ts';
import type { TopologyKind } from './topology-options.ts';
import type { SentinelControl } from './sentinel/sentinel-control.ts';
import type { ClusterControl } from './cluster/cluster-control.ts';

export interface StartedRedisTopology {
  readonly kind: TopologyKind;
  /** The Redis that single-server faults act on: the primary now (a failover or a restart replaces it). */
  primary(): StartedRedis;
  /** The fault-proxy link that network faults `on: redis` act on (single: the one link; sentinel: the primary's). */
  redisLink(): Proxy;
  /** What the target is given: {{redis.url}}, {{redis.sentinels}}, {{redis.nodes}}, … — always proxied addresses. */
  readonly endpoint: RedisEndpoint;
  /** SIGKILL of the primary; its data dir is kept. */
  kill(): Promise<{ pid: number }>;
  /** Starts the killed primary again on its port and data dir. */
  startAgain(): Promise<{ pid: number }>;
  restart(save: boolean): Promise<{ oldPid: number; pid: number; downtimeMs: number }>;
  /**
   * A client that reaches Redis the way the target does: through the proxy links, topology-aware (Sentinel: follows
   * failovers; Cluster: follows redirects). Used by the write probe (lost-write count). The caller disconnects it.
   */
  createClient(options: ProbeClientOptions): Redis | Cluster;
  /** Every redis-server of the topology (primaries, replicas; not sentinels), e.g. for versions and cleanup checks. */
  servers(): StartedRedis[];
  readonly sentinel?: SentinelControl;
  readonly cluster?: ClusterControl;
  /** Stops every process it started and removes their dirs. Idempotent. */
  stop(): Promise<void>;
}

export interface ProbeClientOptions {
  /** A command fails after this many ms (a frozen node must not hang the probe). */
  commandTimeoutMs: number;
  connectTimeoutMs: number;
}
