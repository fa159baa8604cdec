// Renders a loaded target's command, args, cwd and env from the started environment into TargetProcessOptions.
import { resolve } from 'node:path';
import type { TargetProcessOptions } from './target-process-options.ts';
import { renderTemplate } from './placeholders.ts';
import type { LoadedTarget } from './load-target.ts';

export interface ServiceEndpoint {
  url: string;
  host: string;
  port: number;
}

/** PostgreSQL as a target is given it: the url carries the user and password; they are also given apart. */
export interface PostgresEndpoint extends ServiceEndpoint {
  user?: string;
  password?: string;
}

/** The Redis a target is given; the topology fields default to one server at host:port. */
export interface RedisEndpoint extends ServiceEndpoint {
  topology?: 'single' | 'sentinel' | 'cluster';
  /** Sentinel: the sentinels as `host:port,host:port` (proxied). */
  sentinels?: string;
  /** Sentinel: the monitored master name. */
  sentinelName?: string;
  /** Cluster: seed nodes as `host:port,host:port` (proxied); single: host:port. */
  nodes?: string;
}

/** What the run started: the Redis (or the proxy in front of it) the target should use, PostgreSQL, and its port. */
export interface TargetContext {
  redis: RedisEndpoint;
  postgres?: PostgresEndpoint;
  /** The port the target must listen on. */
  port: number;
  /** The host the target should bind; default 127.0.0.1. */
  host?: string;
}

/** The placeholder values of a context: `{ 'redis.url': …, port: … }`. */
export function placeholderValues(context: TargetContext): Record<string, string | number | undefined> {
  return {
    port: context.port,
    host: context.host ?? '127.0.0.1',
    'redis.url': context.redis.url,
    'redis.host': context.redis.host,
    'redis.port': context.redis.port,
    'redis.topology': context.redis.topology ?? 'single',
    'redis.sentinels': context.redis.sentinels ?? '',
    'redis.sentinelName': context.redis.sentinelName ?? '',
    'redis.nodes': context.redis.nodes ?? `${context.redis.host}:${context.redis.port}`,
    'postgres.url': context.postgres?.url,
    'postgres.host': context.postgres?.host,
    'postgres.port': context.postgres?.port,
    'postgres.user': context.postgres?.user,
    'postgres.password': context.postgres?.password,
  };
}

/** Options for the local runtime's startTargetProcess. The env holds only the manifest's variables. */
export function renderTargetProcess(target: LoadedTarget, context: TargetContext): TargetProcessOptions {
  const values = placeholderValues(context);
  const { manifest } = target;
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(manifest.env))
    env[key] = renderTemplate(value, values, `${target.name}: env.${key}`);
  return {
    name: target.name,
    command: renderTemplate(manifest.command, values, `${target.name}: command`),
    args: manifest.args.map((arg, i) => renderTemplate(arg, values, `${target.name}: args[${i}]`)),
    cwd: resolve(target.dir, renderTemplate(target.cwd, values, `${target.name}: cwd`)),
    env,
    port: context.port,
    healthPath: manifest.health.path,
    startTimeoutMs: manifest.health.startTimeoutMs,
  };
}
