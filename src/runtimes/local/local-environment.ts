// Starts one experiment's world on this machine: Redis (one server, Sentinel or Cluster), PostgreSQL, the fault proxy
// with a link to each, and the target behind them.
import { rm } from 'node:fs/promises';
import type { Proxy } from 'toxiproxy-node-client';
import pg from 'pg';
import { invalidInput } from '../../errors/index.ts';
import type { LinkName } from '../fault-context.ts';
import { freePort, startPostgres, startTargetProcess } from './index.ts';
import type { PostgresOptions, RedisOptions, StartedPostgres, StartedTargetProcess } from './types.ts';
import { renderTargetProcess, type LoadedTarget } from '../../targets/index.ts';
import { startRedisTopology } from '../topology/start-topology.ts';
import type { StartedRedisTopology } from '../topology/started-topology.ts';
import type { RedisTopology } from '../topology/topology-options.ts';
import { startProxyLinks } from '../proxy-links.ts';
import { linkPort } from '../proxy-links.ts';
import { readRedisConfig, type StartedEnvironment } from '../started-environment.ts';

export type { StartedEnvironment } from '../started-environment.ts';

export interface EnvironmentPlan {
  runId: string;
  /** The service under test; without one only Redis, PostgreSQL and the proxy start (fault tests). */
  target?: LoadedTarget;
  redis: RedisOptions;
  /** Default: one redis-server. */
  topology?: RedisTopology;
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
    const topologyKind = plan.topology?.kind ?? 'single';
    log(
      `starting ${topologyKind === 'single' ? 'redis-server' : `a Redis ${topologyKind}`}, PostgreSQL and the fault proxy`,
    );
    const proxy = await startProxyLinks(`cq-${plan.runId}-`);
    stoppers.push(() => proxy.stop());
    const [redisR, postgresR] = await Promise.allSettled([
      startRedisTopology(plan.redis, plan.topology ?? { kind: 'single' }, proxy),
      plan.postgres ? startPostgres() : Promise.resolve(undefined),
    ]);
    for (const r of [redisR, postgresR]) if (r.status === 'fulfilled' && r.value) stoppers.push(() => r.value!.stop());
    for (const r of [redisR, postgresR]) if (r.status === 'rejected') throw r.reason;
    const redisSide = (redisR as PromiseFulfilledResult<StartedRedisTopology>).value;
    const originalPostgres = (postgresR as PromiseFulfilledResult<StartedPostgres | undefined>).value;
    let postgres = originalPostgres;
    stoppers.push(async () => {
      await postgres?.stop();
      if (originalPostgres) await rm(originalPostgres.dir, { recursive: true, force: true });
    });

    const links: Partial<Record<LinkName, Proxy>> = {};
    if (postgres) links.postgres = await proxy.add('postgres', `127.0.0.1:${postgres.port}`);
    const endpoint = (p: Proxy, scheme: string) => ({
      host: '127.0.0.1',
      port: linkPort(p),
      url: `${scheme}127.0.0.1:${linkPort(p)}`,
    });
    let target: StartedTargetProcess | undefined;
    if (plan.target) {
      log(`starting target ${plan.target.name}`);
      const started = await startTargetProcess(
        renderTargetProcess(plan.target, {
          port: await freePort(),
          redis: redisSide.endpoint,
          postgres: links.postgres
            ? {
                ...endpoint(links.postgres, ''),
                url: `postgres://postgres:${postgres?.password}@127.0.0.1:${linkPort(links.postgres)}/postgres`,
                user: 'postgres',
                password: postgres?.password,
              }
            : undefined,
        }),
      );
      target = started;
      stoppers.push(() => started.stop());
    }

    const postgresOptions = (): PostgresOptions => ({
      port: originalPostgres?.port,
      dir: originalPostgres?.dir,
      password: originalPostgres?.password,
    });
    const requirePostgres = () => {
      if (!postgres)
        throw invalidInput('CQ_FAULT_NEEDS_POSTGRES', 'a fault acts on PostgreSQL, and this experiment started none.', {
          hint: 'Set postgres: true in the experiment.',
        });
      return postgres;
    };
    const env: StartedEnvironment = {
      runtime: 'local',
      target,
      loadedTarget: plan.target,
      proxy,
      startedInMs: Math.round(performance.now() - began),
      redis: () => redisSide.primary(),
      postgres: () => postgres,
      topology: redisSide.kind,
      sentinel: redisSide.sentinel,
      cluster: redisSide.cluster,
      link(on) {
        const link = on === 'redis' ? redisSide.redisLink() : links[on];
        if (!link)
          throw invalidInput('CQ_FAULT_NO_LINK', `a fault acts on the ${on} link, and this experiment has none.`, {
            hint: on === 'postgres' ? 'Set postgres: true in the experiment.' : undefined,
          });
        return link;
      },
      async kill(on) {
        if (on === 'redis') return redisSide.kill();
        const server = requirePostgres();
        server.signal('SIGKILL');
        await server.waitForExit();
        await server.stop({ keepDir: true });
        return { pid: server.pid };
      },
      async startAgain(on) {
        if (on === 'redis') return redisSide.startAgain();
        postgres = await startPostgres(postgresOptions());
        return { pid: postgres.pid };
      },
      async restart(on, save) {
        if (on === 'redis') return redisSide.restart(save);
        const server = requirePostgres();
        const down = performance.now();
        await server.stop({ keepDir: true });
        const { pid } = await env.startAgain(on);
        return { oldPid: server.pid, pid, downtimeMs: Math.round(performance.now() - down) };
      },
      async versions() {
        const info = await redisSide
          .primary()
          .admin.info('server')
          .catch(() => '');
        const versions: Record<string, string> = {
          node: process.versions.node,
          redis: /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown',
          proxy: proxy.embedded ? 'embedded' : `toxiproxy at ${proxy.url}`,
        };
        if (postgres) {
          const client = new pg.Client(postgres.url);
          client.on('error', () => {});
          try {
            await client.connect();
            versions.postgres =
              (await client.query<{ server_version: string }>('SHOW server_version')).rows[0]?.server_version ??
              'unknown';
          } catch {
            versions.postgres = 'unknown';
          } finally {
            await client.end().catch(() => undefined);
          }
        }
        return versions;
      },
      probeClient: (options) => redisSide.createClient(options),
      effectiveRedisConfig: () => readRedisConfig(redisSide.primary().admin),
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
