// The Docker runtime: Redis, PostgreSQL 15 and a real Toxiproxy as containers on one network (testcontainers), the
// target as a local process.
import { Redis } from 'ioredis';
import type { Proxy } from 'toxiproxy-node-client';
import { environmentError, invalidInput } from '../../errors/index.ts';
import type { StartedEnvironment } from '../started-environment.ts';
import { readRedisConfig } from '../started-environment.ts';
import type { RuntimePlan } from '../start-environment.ts';
import type { LinkName, RedisHandle, ServerHandle } from '../fault-context.ts';
import { renderTargetProcess } from '../../targets/index.ts';
import { freePort, startTargetProcess } from '../local/index.ts';
import type { StartedTargetProcess } from '../local/types.ts';
import { requireDockerEngine } from './docker-engine.ts';
import { containerConfigPath, dockerRedisCommand } from './docker-redis-command.ts';
import { selectImages, type ImageSet, type ImageTags } from './images.ts';
import { forgetRun, reapNetworkIfHarnessDies, reapRunIfHarnessDies, runLabel } from './docker-reaper.ts';
import { readRedisIdentity } from '../redis-identity.ts';
import { containerControl, type ContainerControl } from './container-control.ts';
import { waitUntil } from '../local/wait-until.ts';
import { registerStartedRedis, unregisterStartedRedis } from '../started-redis-registry.ts';

export interface DockerRuntimeOptions {
  /** upstream (pulled; the default) or local (built by scripts/docker-images.sh); default: $CACHEQUAKE_IMAGES. */
  images?: ImageSet;
}

export async function startDockerEnvironment(
  plan: RuntimePlan,
  options: DockerRuntimeOptions = {},
): Promise<StartedEnvironment> {
  const images = selectImages(options.images);
  await requireDockerEngine();
  const log = plan.log ?? (() => {});
  const began = performance.now();
  const { GenericContainer, Network } = await import('testcontainers');
  const { ToxiProxyContainer } = await import('@testcontainers/toxiproxy');
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  const stoppers: (() => Promise<unknown>)[] = [];
  let networkId: string | undefined;
  const stopAll = async () => {
    for (const stop of stoppers.reverse()) await stop().catch(() => undefined);
    stoppers.length = 0;
    forgetRun(plan.runId, networkId);
  };
  // labels per run: the reaper removes them if the harness is killed (Ryuk may be disabled or unavailable)
  const labels = { [runLabel]: plan.runId };
  reapRunIfHarnessDies(plan.runId);
  try {
    log(`starting containers ${images.redis}, ${images.toxiproxy}${plan.postgres ? `, ${images.postgres}` : ''}`);
    const network = await new Network().start().catch((cause: unknown) => containersFailed(cause, images));
    networkId = network.getId();
    reapNetworkIfHarnessDies(networkId);
    stoppers.push(() => network.stop());
    const redisContainer = new GenericContainer(images.redis)
      .withNetwork(network)
      .withNetworkAliases('redis')
      .withLabels(labels)
      .withExposedPorts(6379)
      .withCommand(dockerRedisCommand(plan.redis));
    if (plan.redis.configFile)
      redisContainer.withCopyFilesToContainer([{ source: plan.redis.configFile, target: containerConfigPath }]);
    const [redisC, postgresC, toxiproxyC] = await Promise.all([
      redisContainer.start(),
      plan.postgres
        ? new PostgreSqlContainer(images.postgres)
            .withNetwork(network)
            .withNetworkAliases('postgres')
            .withLabels(labels)
            .withUsername('postgres')
            .withPassword('postgres')
            .withDatabase('postgres')
            .start()
        : Promise.resolve(undefined),
      new ToxiProxyContainer(images.toxiproxy).withNetwork(network).withLabels(labels).start(),
    ]).catch((cause: unknown) => containersFailed(cause, images));
    stoppers.push(
      () => redisC.stop(),
      () => toxiproxyC.stop(),
    );
    if (postgresC) stoppers.push(() => postgresC.stop());

    const host = redisC.getHost();
    const redisControl = containerControl(redisC.getId(), 'redis');
    const postgresControl = postgresC ? containerControl(postgresC.getId(), 'postgres') : undefined;
    const freezer = (control: ContainerControl) => ({ pause: () => control.pause(), resume: () => control.resume() });
    let redis = await connectRedis(host, redisC.getMappedPort(6379), freezer(redisControl));
    stoppers.push(async () => redis.admin.disconnect());
    // the container is ours: the guard lets destructive faults reach it (again after each start: a new run_id)
    const registerRedis = async () => {
      const identity = await readRedisIdentity(redis.admin);
      if (!identity) return;
      registerStartedRedis({ ...identity, runtime: 'docker' });
      stoppers.push(async () => unregisterStartedRedis(identity.runId));
    };
    await registerRedis();
    const postgresHandle = (port: number): ServerHandle => ({
      host,
      port,
      url: `postgres://postgres:postgres@${host}:${port}/postgres`,
      ...(postgresControl ? freezer(postgresControl) : {}),
    });
    let postgres: ServerHandle | undefined = postgresC ? postgresHandle(postgresC.getPort()) : undefined;
    const control = (on: LinkName): ContainerControl => {
      const found = on === 'redis' ? redisControl : postgresControl;
      if (!found)
        throw invalidInput('CQ_FAULT_NEEDS_POSTGRES', 'a fault acts on PostgreSQL, and this experiment started none.', {
          hint: 'Set postgres: true in the experiment.',
        });
      return found;
    };
    // the same container started again: its files (Redis without persistence comes back empty), alias and network
    const startAgain = async (on: LinkName) => {
      await control(on).start();
      const port = await control(on).hostPort(on === 'redis' ? 6379 : 5432);
      if (on === 'redis') {
        const before = redis;
        redis = await connectRedis(host, port, freezer(redisControl));
        before.admin.disconnect();
        await registerRedis();
      } else {
        postgres = postgresHandle(port);
        await waitForPostgres(postgres.url);
      }
      return { pid: await control(on).hostPid() };
    };
    const created: Partial<Record<LinkName, { host: string; port: number; instance: Proxy }>> = {
      redis: await toxiproxyC.createProxy({ name: 'redis', upstream: 'redis:6379' }),
    };
    if (postgresC) created.postgres = await toxiproxyC.createProxy({ name: 'postgres', upstream: 'postgres:5432' });
    const endpoint = (on: LinkName) =>
      created[on] ??
      (() => {
        throw invalidInput('CQ_FAULT_NO_LINK', `a fault acts on the ${on} link, and this experiment has none.`, {
          hint: on === 'postgres' ? 'Set postgres: true in the experiment.' : undefined,
        });
      })();

    const redisLink = endpoint('redis');
    const pgLink = created.postgres;
    log(`starting target ${plan.target.name}`);
    const target: StartedTargetProcess = await startTargetProcess(
      renderTargetProcess(plan.target, {
        port: await freePort(),
        redis: { host: redisLink.host, port: redisLink.port, url: `redis://${redisLink.host}:${redisLink.port}` },
        postgres: pgLink
          ? {
              host: pgLink.host,
              port: pgLink.port,
              url: `postgres://postgres:postgres@${pgLink.host}:${pgLink.port}/postgres`,
            }
          : undefined,
      }),
    );
    stoppers.push(() => target.stop());
    const env: StartedEnvironment = {
      runtime: 'docker',
      target,
      loadedTarget: plan.target,
      proxy: {
        url: toxiproxyC.client.host ?? `http://${toxiproxyC.getHost()}:${toxiproxyC.getMappedPort(8474)}`,
        embedded: false,
      },
      startedInMs: Math.round(performance.now() - began),
      redis: () => redis,
      postgres: () => postgres,
      link: (on) => endpoint(on).instance,
      linkEndpoint: (on) => ({ host: endpoint(on).host, port: endpoint(on).port }),
      async kill(on) {
        const pid = await control(on).hostPid();
        await control(on).killAndWait('SIGKILL');
        return { pid };
      },
      startAgain,
      async restart(on, save) {
        const oldPid = await control(on).hostPid();
        const down = performance.now();
        if (on === 'redis') {
          // the connection closes as the server exits: no reply to wait for
          redis.admin.call('SHUTDOWN', save ? 'SAVE' : 'NOSAVE').catch(() => undefined);
          await control(on).waitExited(30_000);
        } else await control(on).killAndWait('SIGINT', 30_000); // PostgreSQL's fast shutdown
        const { pid } = await startAgain(on);
        return { oldPid, pid, downtimeMs: Math.round(performance.now() - down) };
      },
      async versions() {
        const info = await redis.admin.info('server').catch(() => '');
        return {
          node: process.versions.node,
          redis: /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown',
          proxy: `toxiproxy container ${images.toxiproxy}`,
          ...(postgresC ? { postgres: images.postgres } : {}),
        };
      },
      effectiveRedisConfig: () => readRedisConfig(redis.admin),
      stop: stopAll,
      [Symbol.asyncDispose]: stopAll,
    };
    log(`containers ready in ${env.startedInMs} ms`);
    return env;
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** A container or network the engine could not start (an image pull, a port, the engine itself): the environment. */
function containersFailed(cause: unknown, images: ImageTags): never {
  throw environmentError(
    'CQ_DOCKER_START_FAILED',
    `the docker runtime could not start its containers: ${cause instanceof Error ? cause.message : String(cause)}.`,
    {
      cause,
      hint:
        `Check that the engine can pull and run ${images.redis} and ${images.toxiproxy} (docker pull ${images.redis}); ` +
        'without a registry build the local images (scripts/docker-images.sh) and set CACHEQUAKE_IMAGES=local; ' +
        'or run with --runtime local.',
    },
  );
}

/** An admin connection straight to a Redis container's published port, once it answers PONG (not LOADING). */
async function connectRedis(
  host: string,
  port: number,
  freezer: Pick<RedisHandle, 'pause' | 'resume'>,
): Promise<RedisHandle> {
  const admin = new Redis({
    host,
    port,
    connectionName: 'cachequake-admin',
    maxRetriesPerRequest: 1,
    lazyConnect: true,
  });
  admin.on('error', () => {});
  await answers('redis', `${host}:${port}`, 30_000, 50, async () => {
    if (admin.status === 'wait' || admin.status === 'end') await admin.connect();
    return (await admin.ping()) === 'PONG';
  }).catch((error: unknown) => {
    admin.disconnect();
    throw error;
  });
  return { host, port, url: `redis://${host}:${port}`, admin, ...freezer };
}

/** PostgreSQL in its container accepts a query again (after a start it replays its WAL first). */
async function waitForPostgres(url: string): Promise<void> {
  const { default: pg } = await import('pg');
  await answers('postgres', url, 60_000, 100, async () => {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.query('SELECT 1');
      return true;
    } finally {
      await client.end().catch(() => undefined);
    }
  });
}

/** Polls `probe` (waitUntil) until a started container's server answers; an environment error when it never does. */
async function answers(
  name: string,
  where: string,
  timeoutMs: number,
  intervalMs: number,
  probe: () => Promise<boolean>,
): Promise<void> {
  const outcome = await waitUntil(probe, { timeoutMs, intervalMs });
  if (!outcome.ok)
    throw environmentError('CQ_DOCKER_CONTAINER_FAILED', `the ${name} container did not answer at ${where}.`, {
      cause: outcome.lastError,
      hint: 'Check the engine (docker ps -a, docker logs <container>).',
    });
}
