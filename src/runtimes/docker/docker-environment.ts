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
    const redisPort = redisC.getMappedPort(6379);
    const admin = new Redis({
      host,
      port: redisPort,
      connectionName: 'cachequake-admin',
      maxRetriesPerRequest: 1,
      lazyConnect: true,
    });
    admin.on('error', () => {});
    await admin.connect();
    stoppers.push(async () => admin.disconnect());
    // the container is ours: the guard lets destructive faults reach it
    const identity = await readRedisIdentity(admin);
    if (identity) {
      registerStartedRedis({ ...identity, runtime: 'docker' });
      stoppers.push(async () => unregisterStartedRedis(identity.runId));
    }
    const redis: RedisHandle = { host, port: redisPort, url: `redis://${host}:${redisPort}`, admin };
    const postgres: ServerHandle | undefined = postgresC
      ? { host: postgresC.getHost(), port: postgresC.getPort(), url: postgresC.getConnectionUri() }
      : undefined;

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
    const refused = (): never => {
      throw invalidInput(
        'CQ_FAULT_NEEDS_PROCESS',
        'kill, restart and freeze (sigstop) need the server process, which runs in a container on the docker runtime.',
        { hint: 'Run on the local runtime (--runtime local), or use freeze with method: debug-sleep.' },
      );
    };
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
      kill: async () => refused(),
      startAgain: async () => refused(),
      restart: async () => refused(),
      async versions() {
        const info = await admin.info('server').catch(() => '');
        return {
          node: process.versions.node,
          redis: /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown',
          proxy: `toxiproxy container ${images.toxiproxy}`,
          ...(postgresC ? { postgres: images.postgres } : {}),
        };
      },
      effectiveRedisConfig: () => readRedisConfig(admin),
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
