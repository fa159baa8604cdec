// One redis-server behind one proxy link: the default topology.
import { rm } from 'node:fs/promises';
import { Redis } from 'ioredis';
import { linkPort } from '../proxy-links.ts';
import type { ProxyLinks } from '../proxy-links.ts';
import { startRedis } from '../local/index.ts';
import { rawRedisCommand } from '../local/redis-ping.ts';
import type { RedisOptions } from '../local/types.ts';
import type { StartedRedisTopology } from './started-topology.ts';

export async function startSingleTopology(options: RedisOptions, proxy: ProxyLinks): Promise<StartedRedisTopology> {
  const original = await startRedis(options);
  let redis = original;
  const cleanup = async () => {
    await redis.stop();
    await rm(original.dir, { recursive: true, force: true });
  };
  try {
    const link = await proxy.add('redis', `127.0.0.1:${original.port}`);
    const port = linkPort(link);
    const sameServer = (): RedisOptions => ({ ...options, port: original.port, dir: original.dir });
    const topology: StartedRedisTopology = {
      kind: 'single',
      primary: () => redis,
      redisLink: () => link,
      endpoint: {
        host: '127.0.0.1',
        port,
        url: `redis://127.0.0.1:${port}`,
        topology: 'single',
        nodes: `127.0.0.1:${port}`,
      },
      servers: () => [redis],
      createClient: ({ commandTimeoutMs, connectTimeoutMs }) =>
        new Redis(port, '127.0.0.1', {
          commandTimeout: commandTimeoutMs,
          connectTimeout: connectTimeoutMs,
          maxRetriesPerRequest: 0,
          enableOfflineQueue: false,
          retryStrategy: (times) => Math.min(50 * times, 500),
          lazyConnect: true,
        }),
      async kill() {
        redis.signal('SIGKILL');
        await redis.waitForExit();
        await redis.stop({ keepDir: true });
        return { pid: redis.pid };
      },
      async startAgain() {
        redis = await startRedis(sameServer());
        return { pid: redis.pid };
      },
      async restart(save) {
        const old = redis;
        const down = performance.now();
        if (save) await rawRedisCommand(old.port, 'SHUTDOWN SAVE', 10_000).catch(() => undefined);
        await old.stop({ keepDir: true });
        redis = await startRedis(sameServer());
        return { oldPid: old.pid, pid: redis.pid, downtimeMs: Math.round(performance.now() - down) };
      },
      stop: cleanup,
    };
    return topology;
  } catch (error) {
    await cleanup();
    throw error;
  }
}
