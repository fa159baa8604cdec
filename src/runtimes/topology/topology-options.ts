// The Redis topologies the local runtime starts: one server, a primary with replicas watched by Sentinel, or a Redis
// Cluster.

export type RedisTopology =
  | { kind: 'single' }
  | { kind: 'sentinel'; replicas: number; sentinels: number; downAfterMs: number; masterName: string }
  | { kind: 'cluster'; shards: number; replicas: number };

export type TopologyKind = RedisTopology['kind'];

/** The master name Sentinel monitors (the target gets it as {{redis.sentinelName}}). */
export const sentinelMasterName = 'cachequake';
