// Reads an experiment's `redis:` section: which topology it asks for, and whether the write probe runs.
import type { Experiment } from './experiment-schema.ts';
import { sentinelMasterName, type RedisTopology } from '../runtimes/topology/topology-options.ts';

/** The topology an experiment's `redis:` section asks for, with the defaults filled in. */
export function topologyOf(
  redis: Pick<Experiment['redis'], 'topology' | 'replicas' | 'sentinels' | 'downAfter' | 'shards'>,
): RedisTopology {
  switch (redis.topology) {
    case 'sentinel':
      return {
        kind: 'sentinel',
        replicas: redis.replicas ?? 1,
        sentinels: redis.sentinels ?? 1,
        downAfterMs: redis.downAfter ?? 1000,
        masterName: sentinelMasterName,
      };
    case 'cluster':
      return { kind: 'cluster', shards: redis.shards ?? 3, replicas: redis.replicas ?? 1 };
    default:
      return { kind: 'single' };
  }
}

/** The write probe an experiment asks for: off, or on at a rate (default on for sentinel and cluster). */
export function writeProbeOf(
  redis: Pick<Experiment['redis'], 'topology' | 'writeProbe'>,
): { ratePerSecond: number } | undefined {
  const setting = redis.writeProbe ?? redis.topology !== 'single';
  if (setting === false) return undefined;
  return { ratePerSecond: setting === true ? 50 : setting.rate };
}
