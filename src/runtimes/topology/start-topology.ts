// Starts the Redis side an experiment asks for.
import type { ProxyLinks } from '../proxy-links.ts';
import type { RedisOptions } from '../local/types.ts';
import { startClusterTopology } from './cluster/start-cluster-topology.ts';
import { startSentinelTopology } from './sentinel/start-sentinel-topology.ts';
import { startSingleTopology } from './single-topology.ts';
import type { StartedRedisTopology } from './started-topology.ts';
import type { RedisTopology } from './topology-options.ts';

export function startRedisTopology(
  options: RedisOptions,
  topology: RedisTopology,
  proxy: ProxyLinks,
): Promise<StartedRedisTopology> {
  switch (topology.kind) {
    case 'sentinel':
      return startSentinelTopology(options, topology, proxy);
    case 'cluster':
      return startClusterTopology(options, topology, proxy);
    default:
      return startSingleTopology(options, proxy);
  }
}
