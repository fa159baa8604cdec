// A Cluster-aware ioredis client: seeds from REDIS_CLUSTER_NODES (proxied addresses), the shared timeouts on every node
// connection, no natMap (the proxy rewrites node addresses).
import { Cluster } from 'ioredis';
import { parseEndpoints } from './redis-client.js';

export function createClusterClient(config, options) {
  const { retryStrategy, enableOfflineQueue, ...nodeOptions } = options;
  return new Cluster(parseEndpoints(config.REDIS_CLUSTER_NODES), {
    // Each node connection gets the same connect/command timeouts and retries as a single Redis.
    redisOptions: nodeOptions,
    enableOfflineQueue,
    // Reconnecting to the whole cluster backs off like a single client does.
    clusterRetryStrategy: retryStrategy,
    // A failover or a migrating slot: retry soon, a few redirects at most, and re-read the slots after a failed node.
    retryDelayOnFailover: 100,
    retryDelayOnClusterDown: 100,
    retryDelayOnTryAgain: 100,
    maxRedirections: 8,
    slotsRefreshTimeout: Math.max(500, nodeOptions.connectTimeout ?? 500),
    slotsRefreshInterval: 2000,
  });
}
