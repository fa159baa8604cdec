// Reads Redis INFO into the numbers the journal keeps; undefined when Redis does not answer (killed, frozen, paused).
import type { Redis } from 'ioredis';

export interface RedisInfoSample {
  used_memory: number;
  maxmemory: number;
  evicted_keys: number;
  expired_keys: number;
  keyspace_hits: number;
  keyspace_misses: number;
  rejected_connections: number;
  connected_clients: number;
  total_connections_received: number;
  keys: number;
  expires: number;
}

const numericFields = [
  'used_memory',
  'maxmemory',
  'evicted_keys',
  'expired_keys',
  'keyspace_hits',
  'keyspace_misses',
  'rejected_connections',
  'connected_clients',
  'total_connections_received',
] as const;

export function parseRedisInfo(text: string): RedisInfoSample {
  const fields = new Map<string, string>();
  for (const line of text.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0 && !line.startsWith('#')) fields.set(line.slice(0, colon), line.slice(colon + 1));
  }
  const sample = { keys: 0, expires: 0 } as RedisInfoSample;
  for (const name of numericFields) sample[name] = Number(fields.get(name) ?? 0);
  for (const [name, value] of fields) {
    if (!/^db\d+$/.test(name)) continue;
    const keys = /keys=(\d+)/.exec(value);
    const expires = /expires=(\d+)/.exec(value);
    sample.keys += Number(keys?.[1] ?? 0);
    sample.expires += Number(expires?.[1] ?? 0);
  }
  return sample;
}

export async function sampleRedisInfo(admin: Redis, timeoutMs = 500): Promise<RedisInfoSample | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const text = await Promise.race([
      admin.info(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
      }),
    ]);
    return parseRedisInfo(text);
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}
