// The ioredis client for the configured topology: one server, Sentinel, or Cluster; each with the same timeouts.
import { Redis } from 'ioredis';
import { createSentinelClient } from './redis-client-sentinel.js';
import { createClusterClient } from './redis-client-cluster.js';

/** `options` are the ioredis options every topology shares (timeouts, retries, no offline queue). */
export function createRedisClient(config, options) {
  switch (config.REDIS_TOPOLOGY) {
    case 'sentinel':
      return createSentinelClient(config, options);
    case 'cluster':
      return createClusterClient(config, options);
    default:
      return new Redis(config.REDIS_URL, options);
  }
}

/** `host:port,host:port` as ioredis endpoints. */
export function parseEndpoints(list) {
  return list
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)
    .map((item) => {
      const at = item.lastIndexOf(':');
      return { host: item.slice(0, at), port: Number(item.slice(at + 1)) };
    });
}
