// Keys per database from INFO keyspace: FLUSHALL, eviction and config changes act on every database, not the one a
// connection has SELECTed.
import type { Redis } from 'ioredis';

/** `db3:keys=12,expires=4,avg_ttl=0` lines → database number → key count (databases with keys only). */
export function parseKeyspace(text: string): Map<number, number> {
  const counts = new Map<number, number>();
  for (const m of text.matchAll(/^db(\d+):keys=(\d+)/gm)) {
    const keys = Number(m[2]);
    if (keys > 0) counts.set(Number(m[1]), keys);
  }
  return counts;
}

/** INFO keyspace → keys per database (only those holding keys), ascending by database number. */
export async function readKeyspace(admin: Pick<Redis, 'info'>): Promise<Map<number, number>> {
  const counts = parseKeyspace(await admin.info('keyspace'));
  return new Map([...counts].sort(([a], [b]) => a - b));
}

/** The keys of every database together. */
export function keyspaceTotal(counts: ReadonlyMap<number, number>): number {
  let total = 0;
  for (const keys of counts.values()) total += keys;
  return total;
}

/** `db0: 5000, db3: 12` for messages. */
export function describeKeyspace(counts: ReadonlyMap<number, number>): string {
  return counts.size === 0 ? 'no keys' : [...counts].map(([db, keys]) => `db${db}: ${keys}`).join(', ');
}
