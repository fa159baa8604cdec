// A Sentinel-aware ioredis client: finds the primary through the sentinels and follows a failover the moment Sentinel
// announces it.
import { Redis } from 'ioredis';
import { parseEndpoints } from './redis-client.js';

/**
 * `options` are the shared ones (timeouts, retries, no offline queue, reconnectOnError for READONLY).
 * failoverDetector subscribes to +switch-master on the sentinels: without it a frozen primary pins the client to a
 * dead socket, and a demoted one answers every write with READONLY until something else reconnects it.
 */
export function createSentinelClient(config, options) {
  return new Redis({
    ...options,
    sentinels: parseEndpoints(config.REDIS_SENTINELS),
    name: config.REDIS_SENTINEL_NAME,
    failoverDetector: true,
    // asking a sentinel for the primary gets the same bounds as a Redis command
    sentinelCommandTimeout: config.REDIS_SENTINEL_COMMAND_TIMEOUT_MS,
    sentinelRetryStrategy: (times) => Math.min(50 * times, config.REDIS_RECONNECT_MAX_DELAY_MS),
    sentinelReconnectStrategy: (times) => Math.min(50 * times, config.REDIS_RECONNECT_MAX_DELAY_MS),
  });
}
