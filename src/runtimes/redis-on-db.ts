// A connection to one database of a Redis given by URL: ioredis lets a URL's `/N` (or `?db=N`) win over the `db`
// option, so the URL's database is taken out first, and the connection's database is checked once connected.
import { Redis, type RedisOptions } from 'ioredis';

/** The URL without its database (path and `db` query parameter), the rest (credentials, TLS scheme) kept. */
export function withoutDatabase(url: string): string {
  const parsed = new URL(url);
  parsed.pathname = '';
  parsed.searchParams.delete('db');
  return parsed.toString();
}

/** The database a URL names (`/N` or `?db=N`), as ioredis reads it; 0 when it names none. */
export function databaseOfUrl(url: string): number {
  const parsed = new URL(url);
  const fromPath = parsed.pathname.replace(/^\//, '');
  const named = fromPath !== '' ? fromPath : parsed.searchParams.get('db');
  return named ? Number(named) : 0;
}

/** A lazy connection meant for database `db`, whatever database the URL names. Connect it with connectOnDb. */
export function redisOnDb(url: string, db: number, options: RedisOptions = {}): Redis {
  const client = new Redis(withoutDatabase(url), {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    connectTimeout: 3000,
    retryStrategy: () => null,
    ...options,
    db,
  });
  client.on('error', () => {});
  return client;
}

/**
 * Connects and proves the database: CLIENT INFO's `db=` must be `db` (servers before 6.2 lack CLIENT INFO; there the
 * SELECT ioredis sent on connect, which fails loudly, is the proof). Throws when it is another database.
 */
export async function connectOnDb(client: Redis, db: number): Promise<Redis> {
  await client.connect();
  const info = await (client.call('CLIENT', 'INFO') as Promise<string>).catch(() => undefined);
  const selected = info === undefined ? undefined : /(?:^|\s)db=(\d+)/.exec(info)?.[1];
  if (selected !== undefined && Number(selected) !== db) {
    client.disconnect();
    throw new Error(`the connection meant for database ${db} is on database ${selected}`);
  }
  return client;
}
