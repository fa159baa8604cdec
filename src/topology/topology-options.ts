// Which Redis an experiment runs: one server, a primary with replicas watched by Sentinel, or a Redis Cluster.
import type { Experiment } from '../experiment/experiment-schema.ts';

export type RedisTopology =
  | { kind: 'single' }
  | { kind: 'sentinel'; replicas: number; sentinels: number; downAfterMs: number; masterName: string }
  | { kind: 'cluster'; shards: number; replicas: number };

export type TopologyKind = RedisTopology['kind'];

/** The master name Sentinel monitors (the target gets it as {{redis.sentinelName}}). */
export const sentinelMasterName = 'cachequake';

/** The topology an experiment's `redis:` section asks for, with the defaults filled in. */
export function topologyOf(redis: Pick<Experiment['redis'], 'topology' | 'replicas' | 'sentinels' | 'downAfter' | 'shards'>): RedisTopology {
  switch (redis.topology) {
    case 'sentinel':
      return { kind: 'sentinel', replicas: redis.replicas ?? 1, sentinels: redis.sentinels ?? 1, downAfterMs: redis.downAfter ?? 1000, masterName: sentinelMasterName };
    case 'cluster':
      return { kind: 'cluster', shards: redis.shards ?? 3, replicas: redis.replicas ?? 1 };
    default:
      return { kind: 'single' };
  }
}

/** The write probe an experiment asks for: off, or on at a rate (default on for sentinel and cluster). */
export function writeProbeOf(redis: Pick<Experiment['redis'], 'topology' | 'writeProbe'>): { ratePerSecond: number } | undefined {
  const setting = redis.writeProbe ?? redis.topology !== 'single';
  if (setting === false) return undefined;
  return { ratePerSecond: setting === true ? 50 : setting.rate };
}
