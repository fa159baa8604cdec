// Reads what the verdicts depend on: maxmemory and policy (CONFIG GET, or INFO when CONFIG GET is not allowed), memory
// use and the keyspace.
import type { ServerFacts } from './audit-types.ts';
import type { ReadOnlyClient } from './read-only-client.ts';

export function infoField(info: string, field: string): string | undefined {
  return new RegExp(`^${field}:(.*)$`, 'm').exec(info)?.[1]?.trim();
}

export async function readServerFacts(client: ReadOnlyClient): Promise<ServerFacts> {
  const info = String(await client.call('INFO', 'all'));
  const fromInfo = {
    maxmemory: Number(infoField(info, 'maxmemory') ?? 0),
    policy: infoField(info, 'maxmemory_policy') ?? 'noeviction',
  };
  const config = await client.call('CONFIG', 'GET', 'maxmemory*').then(toRecord, () => undefined);
  const persistence = await client.call('CONFIG', 'GET', 'appendonly').then(toRecord, () => undefined);
  const save = await client.call('CONFIG', 'GET', 'save').then(toRecord, () => undefined);
  return {
    redisVersion: infoField(info, 'redis_version'),
    usedMemoryBytes: Number(infoField(info, 'used_memory') ?? 0),
    maxmemoryBytes: config?.maxmemory !== undefined ? Number(config.maxmemory) : fromInfo.maxmemory,
    policy: config?.['maxmemory-policy'] ?? fromInfo.policy,
    appendonly: persistence?.appendonly === undefined ? undefined : persistence.appendonly === 'yes',
    save: save?.save,
    configSource: config ? 'config-get' : 'info',
  };
}

/** INFO keyspace `db0:keys=12,expires=3,avg_ttl=…` for one database. */
export async function readKeyspace(client: ReadOnlyClient, db: number): Promise<{ keys: number; expires: number }> {
  const info = String(await client.call('INFO', 'keyspace'));
  const line = infoField(info, `db${db}`);
  const keys = Number(/keys=(\d+)/.exec(line ?? '')?.[1] ?? 0);
  const expires = Number(/expires=(\d+)/.exec(line ?? '')?.[1] ?? 0);
  return { keys, expires };
}

/** CONFIG GET replies as a flat list (RESP2) or a map (RESP3). */
function toRecord(reply: unknown): Record<string, string> {
  if (Array.isArray(reply)) {
    const record: Record<string, string> = {};
    for (let i = 0; i + 1 < reply.length; i += 2) record[String(reply[i])] = String(reply[i + 1]);
    return record;
  }
  if (reply instanceof Map) return Object.fromEntries([...reply].map(([k, v]) => [String(k), String(v)]));
  return Object.fromEntries(Object.entries(reply as object).map(([k, v]) => [k, String(v)]));
}
