// Starts one experiment's world on this machine: Redis, PostgreSQL, the fault proxy with a link to each, and the target behind them.
import { rm } from 'node:fs/promises';
import type { Proxy } from 'toxiproxy-node-client';
import pg from 'pg';
import type { LinkName } from '../faults/fault-context.ts';
import { freePort, startPostgres, startRedis, startTargetProcess } from '../runtimes/local/index.ts';
import { rawRedisCommand } from '../runtimes/local/redis-ping.ts';
import type { PostgresOptions, RedisOptions, StartedPostgres, StartedRedis, StartedTargetProcess } from '../runtimes/local/types.ts';
import { renderTargetProcess, type LoadedTarget } from '../targets/index.ts';
import { startProxyLinks, type ProxyLinks } from './proxy-links.ts';
import { linkPort } from '../faults/network-faults.ts';
import { readRedisConfig, type StartedEnvironment } from './started-environment.ts';

export type { StartedEnvironment } from './started-environment.ts';

export interface EnvironmentPlan {
  runId: string;
  /** The service under test; without one only Redis, PostgreSQL and the proxy start (fault tests). */
  target?: LoadedTarget;
  redis: RedisOptions;
  postgres: boolean;
  /** Progress lines while starting. */
  log?: (line: string) => void;
}

export async function startLocalEnvironment(plan: EnvironmentPlan): Promise<StartedEnvironment> {
  const log = plan.log ?? (() => {});
  const began = performance.now();
  const stoppers: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stoppers.reverse()) await stop().catch(() => undefined);
    stoppers.length = 0;
  };
  try {
    log('starting redis-server, PostgreSQL and the fault proxy');
    const [redisR, postgresR, proxyR] = await Promise.allSettled([
      startRedis(plan.redis),
      plan.postgres ? startPostgres() : Promise.resolve(undefined),
      startProxyLinks(`cq-${plan.runId}-`),
    ]);
    for (const r of [redisR, postgresR, proxyR]) if (r.status === 'fulfilled' && r.value) stoppers.push(() => r.value!.stop());
    for (const r of [redisR, postgresR, proxyR]) if (r.status === 'rejected') throw r.reason;
    const originalRedis = (redisR as PromiseFulfilledResult<StartedRedis>).value;
    const originalPostgres = (postgresR as PromiseFulfilledResult<StartedPostgres | undefined>).value;
    const proxy = (proxyR as PromiseFulfilledResult<ProxyLinks>).value;
    let redis = originalRedis;
    let postgres = originalPostgres;
    stoppers.push(async () => {
      await redis.stop();
      await postgres?.stop();
      await rm(originalRedis.dir, { recursive: true, force: true });
      if (originalPostgres) await rm(originalPostgres.dir, { recursive: true, force: true });
    });

    const links: Partial<Record<LinkName, Proxy>> = { redis: await proxy.add('redis', `127.0.0.1:${redis.port}`) };
    if (postgres) links.postgres = await proxy.add('postgres', `127.0.0.1:${postgres.port}`);
    const endpoint = (p: Proxy, scheme: string) => ({ host: '127.0.0.1', port: linkPort(p), url: `${scheme}127.0.0.1:${linkPort(p)}` });
    let target: StartedTargetProcess | undefined;
    if (plan.target) {
      log(`starting target ${plan.target.name}`);
      const started = await startTargetProcess(
        renderTargetProcess(plan.target, {
          port: await freePort(),
          redis: endpoint(links.redis as Proxy, 'redis://'),
          postgres: links.postgres ? { ...endpoint(links.postgres, ''), url: `postgres://postgres@127.0.0.1:${linkPort(links.postgres)}/postgres` } : undefined,
        }),
      );
      target = started;
      stoppers.push(() => started.stop());
    }

    const redisOptions = (): RedisOptions => ({ ...plan.redis, port: originalRedis.port, dir: originalRedis.dir });
    const postgresOptions = (): PostgresOptions => ({ port: originalPostgres?.port, dir: originalPostgres?.dir });
    const requirePostgres = () => {
      if (!postgres) throw new Error('this experiment started no PostgreSQL');
      return postgres;
    };
    const env: StartedEnvironment = {
      runtime: 'local',
      target,
      loadedTarget: plan.target,
      proxy,
      startedInMs: Math.round(performance.now() - began),
      redis: () => redis,
      postgres: () => postgres,
      link(on) {
        const link = links[on];
        if (!link) throw new Error(`there is no ${on} link in this experiment`);
        return link;
      },
      async kill(on) {
        const server = on === 'redis' ? redis : requirePostgres();
        server.signal('SIGKILL');
        await server.waitForExit();
        await server.stop({ keepDir: true });
        return { pid: server.pid };
      },
      async startAgain(on) {
        if (on === 'redis') redis = await startRedis(redisOptions());
        else postgres = await startPostgres(postgresOptions());
        return { pid: on === 'redis' ? redis.pid : requirePostgres().pid };
      },
      async restart(on, save) {
        const server = on === 'redis' ? redis : requirePostgres();
        const down = performance.now();
        if (on === 'redis' && save) await rawRedisCommand(redis.port, 'SHUTDOWN SAVE', 10_000).catch(() => undefined);
        await server.stop({ keepDir: true });
        const { pid } = await env.startAgain(on);
        return { oldPid: server.pid, pid, downtimeMs: Math.round(performance.now() - down) };
      },
      async versions() {
        const info = await redis.admin.info('server').catch(() => '');
        const versions: Record<string, string> = { node: process.versions.node, redis: /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown', proxy: proxy.embedded ? 'embedded' : `toxiproxy at ${proxy.url}` };
        if (postgres) {
          const client = new pg.Client(postgres.url);
          client.on('error', () => {});
          try {
            await client.connect();
            versions.postgres = (await client.query<{ server_version: string }>('SHOW server_version')).rows[0]?.server_version ?? 'unknown';
          } catch {
            versions.postgres = 'unknown';
          } finally {
            await client.end().catch(() => undefined);
          }
        }
        return versions;
      },
      effectiveRedisConfig: () => readRedisConfig(redis.admin),
      stop: stopAll,
      [Symbol.asyncDispose]: stopAll,
    };
    log(`environment ready in ${env.startedInMs} ms`);
    return env;
  } catch (error) {
    await stopAll();
    throw error;
  }
}
