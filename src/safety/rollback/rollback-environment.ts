// Which staging environment a rollback log belongs to (the Redis address and the Toxiproxy, never a password), and
// whether a run's environment is the same one.
import type { LoadedEnvironmentFile } from '../../experiment/environment-file-schema.ts';
import type { RollbackEnvironment } from './rollback-entries.ts';

function withoutPassword(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '';
  return parsed.toString();
}

function hostPort(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || 6379}`;
}

function origin(url: string): string {
  return new URL(url).origin;
}

export function rollbackEnvironment({ file, environment }: LoadedEnvironmentFile): RollbackEnvironment {
  return {
    file,
    name: environment.name,
    redis: hostPort(environment.redis.adminUrl),
    redisUrl: withoutPassword(environment.redis.adminUrl),
    toxiproxyUrl: environment.toxiproxy.url.replace(/\/$/, ''),
  };
}

/** The same Redis server, or the same Toxiproxy: a change left on either is one the next run would run into. */
export function sharesState(logged: RollbackEnvironment, now: RollbackEnvironment): boolean {
  return logged.redis === now.redis || origin(logged.toxiproxyUrl) === origin(now.toxiproxyUrl);
}
