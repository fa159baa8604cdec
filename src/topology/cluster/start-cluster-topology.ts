// A local Redis Cluster: shards × (1 + replicas) redis-servers, each behind its own proxy link.
import { environmentError } from '../../errors/index.ts';
import type { ProxyLinks } from '../../environment/proxy-links.ts';
import type { RedisOptions } from '../../runtimes/local/types.ts';
import type { RedisTopology } from '../topology-options.ts';
import type { StartedRedisTopology } from '../started-topology.ts';

export async function startClusterTopology(_options: RedisOptions, _topology: Extract<RedisTopology, { kind: 'cluster' }>, _proxy: ProxyLinks): Promise<StartedRedisTopology> {
  throw environmentError('CQ_TOPOLOGY_UNAVAILABLE', 'redis.topology: cluster is not built yet.', { hint: 'Use topology: single.' });
}
