// Who a Redis server is, from INFO server: its run_id (random per process start), process id and port, as the guard
// compares them.
import type { Redis } from 'ioredis';

export interface RedisIdentity {
  /** 40 hex characters, new every time a redis-server process starts. */
  readonly runId: string;
  readonly processId: number;
  readonly tcpPort: number;
}

/**
 * INFO server → identity; undefined when INFO is renamed, not permitted, or Redis does not answer within `timeoutMs`.
 */
export async function readRedisIdentity(
  admin: Pick<Redis, 'info'>,
  timeoutMs = 2000,
): Promise<RedisIdentity | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), timeoutMs)));
  try {
    const text = await Promise.race([admin.info('server').catch(() => undefined), late]);
    return text === undefined ? undefined : parseRedisIdentity(text);
  } finally {
    clearTimeout(timer);
  }
}

export function parseRedisIdentity(text: string): RedisIdentity | undefined {
  const field = (name: string) => new RegExp(`^${name}:(\\S+)`, 'm').exec(text)?.[1];
  const runId = field('run_id');
  if (!runId) return undefined;
  return { runId, processId: Number(field('process_id') ?? -1), tcpPort: Number(field('tcp_port') ?? -1) };
}
