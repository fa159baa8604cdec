// The client a well-built service uses with Sentinel: it finds the primary through the proxied sentinels and follows
// +switch-master.
import { Redis } from 'ioredis';
import type { ProbeClientOptions } from '../started-topology.ts';

export function sentinelClient(
  sentinels: { host: string; port: number }[],
  name: string,
  opts: ProbeClientOptions,
): Redis {
  return new Redis({
    sentinels,
    name,
    failoverDetector: true,
    sentinelCommandTimeout: opts.commandTimeoutMs,
    sentinelRetryStrategy: (times) => Math.min(50 * times, 500),
    sentinelReconnectStrategy: (times) => Math.min(50 * times, 500),
    commandTimeout: opts.commandTimeoutMs,
    connectTimeout: opts.connectTimeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: (times) => Math.min(50 * times, 500),
    // a demoted primary answers writes with -READONLY: reconnect, which asks the sentinels again (the write fails)
    reconnectOnError: (error) => (error.message.startsWith('READONLY') ? 1 : false),
    lazyConnect: true,
  });
}
