// A primary, its replicas and the sentinels that watch them, each redis-server behind its own proxy link.
import { environmentError } from '../../errors/index.ts';
import type { ProxyLinks } from '../../environment/proxy-links.ts';
import type { RedisOptions } from '../../runtimes/local/types.ts';
import type { RedisTopology } from '../topology-options.ts';
import type { StartedRedisTopology } from '../started-topology.ts';

export async function startSentinelTopology(_options: RedisOptions, _topology: Extract<RedisTopology, { kind: 'sentinel' }>, _proxy: ProxyLinks): Promise<StartedRedisTopology> {
  throw environmentError('CQ_TOPOLOGY_UNAVAILABLE', 'redis.topology: sentinel is not built yet.', { hint: 'Use topology: single.' });
}
