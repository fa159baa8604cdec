// The staging runtime: reaches a running target, Toxiproxy and Redis declared in an environment file; starts and
// deletes nothing.
import { Redis } from 'ioredis';
import { Toxiproxy, type Proxy } from 'toxiproxy-node-client';
import { environmentError, invalidInput, type EnvironmentCode } from '../../errors/index.ts';
import type { LinkName, RedisHandle } from '../fault-context.ts';
import { displayPath } from '../../schema/index.ts';
import type { LoadedTarget } from '../../targets/index.ts';
import { readRedisConfig, type StartedEnvironment } from '../started-environment.ts';

/**
 * What the staging runtime reads of a loaded environment file (the file's format is in
 * experiment/environment-file-schema.ts).
 */
export interface StagingEnvironment {
  file: string;
  environment: {
    name: string;
    target: { url: string };
    toxiproxy: { url: string; proxies: { redis: string; postgres?: string | undefined } };
    redis: { adminUrl: string };
    metrics?: { url: string } | undefined;
  };
}

export interface StagingPlan {
  environment: StagingEnvironment;
  target: LoadedTarget;
  log?: (line: string) => void;
}

function unreachable(code: EnvironmentCode, what: string, url: string, shown: string, cause: unknown) {
  return environmentError(
    code,
    `${what} at ${url} (from ${shown}) does not answer: ${(cause as Error)?.message ?? String(cause)}.`,
    {
      cause,
      hint: `Check the URL in ${shown} and that this machine reaches it (is the staging stack up? docker compose ps).`,
    },
  );
}

export async function startStagingEnvironment(plan: StagingPlan): Promise<StartedEnvironment> {
  const { environment: env, file } = plan.environment;
  const shown = displayPath(file);
  const log = plan.log ?? (() => {});
  const began = performance.now();
  log(`staging environment ${env.name}: target ${env.target.url}, toxiproxy ${env.toxiproxy.url}`);

  const healthPath = plan.target.manifest.health.path;
  const health = await fetch(new URL(healthPath, env.target.url), { signal: AbortSignal.timeout(3000) }).catch(
    (cause: unknown) => {
      throw unreachable('CQ_STAGING_TARGET_UNREACHABLE', 'the target', env.target.url, shown, cause);
    },
  );
  await health.body?.cancel();
  if (!health.ok)
    throw environmentError(
      'CQ_STAGING_TARGET_UNHEALTHY',
      `the target at ${env.target.url} answers GET ${healthPath} with ${health.status}.`,
      { hint: 'A game day starts from a healthy service: fix it first.' },
    );

  const client = new Toxiproxy(env.toxiproxy.url);
  const links: Partial<Record<LinkName, Proxy>> = {};
  try {
    links.redis = await client.get(env.toxiproxy.proxies.redis);
    if (env.toxiproxy.proxies.postgres) links.postgres = await client.get(env.toxiproxy.proxies.postgres);
  } catch (cause) {
    const names = Object.values(env.toxiproxy.proxies).join(', ');
    throw environmentError(
      'CQ_STAGING_PROXY_MISSING',
      `Toxiproxy at ${env.toxiproxy.url} has no proxy named ${names} (or does not answer): ${(cause as Error).message}.`,
      {
        cause,
        hint: `List its proxies with: curl ${env.toxiproxy.url}/proxies — then fix toxiproxy.proxies in ${shown}.`,
      },
    );
  }

  const url = new URL(env.redis.adminUrl);
  const admin = new Redis(env.redis.adminUrl, {
    connectionName: 'cachequake-admin',
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    connectTimeout: 3000,
    retryStrategy: (times) => Math.min(times * 100, 1000),
  });
  admin.on('error', () => {});
  try {
    await admin.connect();
    await admin.ping();
  } catch (cause) {
    admin.disconnect();
    throw unreachable('CQ_STAGING_REDIS_UNREACHABLE', 'Redis', `${url.hostname}:${url.port || 6379}`, shown, cause);
  }
  const redis: RedisHandle = { host: url.hostname, port: Number(url.port || 6379), url: env.redis.adminUrl, admin };
  const noProcess = (on: LinkName): never => {
    throw invalidInput(
      'CQ_FAULT_NEEDS_PROCESS',
      `the staging runtime does not run ${on}'s process; kill, restart and freeze (sigstop) are refused for staging.`,
      { file, hint: 'Use a fault that goes through Toxiproxy or Redis commands, or run the experiment locally.' },
    );
  };

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    admin.disconnect(); // the proxies, Redis and the target belong to the staging environment: nothing else to stop
  };
  return {
    runtime: 'staging',
    target: { url: env.target.url.replace(/\/$/, ''), logTail: () => '' },
    loadedTarget: plan.target,
    proxy: { url: env.toxiproxy.url, embedded: false },
    metricsUrl: env.metrics?.url,
    startedInMs: Math.round(performance.now() - began),
    redis: () => redis,
    postgres: () => undefined,
    link(on) {
      const link = links[on];
      if (!link)
        throw invalidInput(
          'CQ_FAULT_NO_LINK',
          `a fault acts on the ${on} link, and ${shown} names no toxiproxy.proxies.${on}.`,
          {
            file,
            hint: `Name the Toxiproxy proxy in front of ${on} under toxiproxy.proxies.${on}.`,
          },
        );
      return link;
    },
    linkEndpoint(on) {
      // a proxy listening on every interface is reached where its Toxiproxy is (a compose stack, a staging host)
      const listen = (links[on] as Proxy).listen;
      const host = listen.slice(0, listen.lastIndexOf(':')).replace(/^\[|\]$/g, '');
      const anywhere = host === '' || host === '0.0.0.0' || host === '::';
      return {
        host: anywhere ? new URL(env.toxiproxy.url).hostname : host,
        port: Number(listen.slice(listen.lastIndexOf(':') + 1)),
      };
    },
    kill: async (on) => noProcess(on),
    startAgain: async (on) => noProcess(on),
    restart: async (on) => noProcess(on),
    async versions() {
      const info = await admin.info('server').catch(() => '');
      const proxyVersion = await client.getVersion().catch(() => 'unknown');
      return {
        node: process.versions.node,
        redis: /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown',
        proxy: `toxiproxy ${String(proxyVersion).trim()} at ${env.toxiproxy.url}`,
        environment: env.name,
      };
    },
    effectiveRedisConfig: () => readRedisConfig(admin),
    stop,
    [Symbol.asyncDispose]: stop,
  };
}
