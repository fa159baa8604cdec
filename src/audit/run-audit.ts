// Audits a live Redis read-only: server facts, a bounded SCAN sample, and per key prefix the counts, TTL spread, memory
// and verdict.
import type { AuditReport, PrefixReport } from './audit-types.ts';
import { patternOf, prefixOf, subjectOf, type PrefixOptions } from './key-prefix.ts';
import { prefixVerdict } from './prefix-verdict.ts';
import { connectReadOnly, redactUrl } from './read-only-client.ts';
import { sampleKeys, type Clock } from './scan-sample.ts';
import { readKeyspace, readServerFacts } from './server-facts.ts';
import { spreadOf } from './spread.ts';

export interface AuditOptions {
  /** Keys to sample at most (default 10,000). */
  sample?: number;
  /** Keys per second at most (default 5,000). */
  rate?: number;
  /** Keys to run MEMORY USAGE on (default 1,000). */
  memorySample?: number;
  prefix?: Partial<PrefixOptions>;
  timeoutMs?: number;
  clock?: Clock;
}

export const auditDefaults = { sample: 10_000, rate: 5_000, memorySample: 1_000, separator: ':', depth: 1 } as const;

export async function runAudit(url: string, options: AuditOptions = {}): Promise<AuditReport> {
  const sample = options.sample ?? auditDefaults.sample;
  const rate = options.rate ?? auditDefaults.rate;
  const prefixOptions: PrefixOptions = {
    separator: options.prefix?.separator ?? auditDefaults.separator,
    depth: options.prefix?.depth ?? auditDefaults.depth,
  };
  await using client = await connectReadOnly(url, { timeoutMs: options.timeoutMs });
  const db = Number(new URL(url).pathname.slice(1) || 0);
  const server = await readServerFacts(client);
  const keyspace = await readKeyspace(client, db);
  const taken = await sampleKeys(client, {
    maxKeys: sample,
    keysPerSecond: rate,
    memoryKeys: options.memorySample ?? auditDefaults.memorySample,
    expectedKeys: keyspace.keys,
    clock: options.clock,
  });

  const groups = new Map<string, typeof taken.keys>();
  for (const key of taken.keys) {
    const prefix = prefixOf(key.key, prefixOptions);
    const list = groups.get(prefix) ?? [];
    list.push(key);
    groups.set(prefix, list);
  }
  const scale = taken.complete || taken.keys.length === 0 ? 1 : keyspace.keys / taken.keys.length;
  const prefixes: PrefixReport[] = [...groups]
    .map(([prefix, keys]) => {
      const pattern = patternOf(prefix, prefixOptions.separator);
      const withoutTtl = keys.filter((k) => k.ttlMs === undefined).length;
      const ttls = keys.flatMap((k) => (k.ttlMs === undefined ? [] : [Math.round(k.ttlMs / 1000)]));
      const memory = keys.flatMap((k) => (k.memoryBytes === undefined ? [] : [k.memoryBytes]));
      const meanBytes = memory.length === 0 ? 0 : memory.reduce((a, b) => a + b, 0) / memory.length;
      const estimatedKeys = Math.round(keys.length * scale);
      return {
        prefix,
        pattern,
        keys: keys.length,
        estimatedKeys,
        withoutTtl,
        withoutTtlShare: withoutTtl / keys.length,
        ttlSeconds: spreadOf(ttls),
        memory:
          memory.length === 0
            ? null
            : {
                sampledKeys: memory.length,
                meanBytes: Math.round(meanBytes),
                estimatedBytes: Math.round(meanBytes * estimatedKeys),
              },
        ...prefixVerdict({
          subject: subjectOf(prefix, prefixOptions.separator),
          keys: keys.length,
          withoutTtl,
          policy: server.policy,
          maxmemoryBytes: server.maxmemoryBytes,
        }),
      };
    })
    .sort((a, b) => b.keys - a.keys || a.prefix.localeCompare(b.prefix));

  return {
    version: 1,
    url: redactUrl(url),
    db,
    server,
    keyspace,
    sample: {
      requested: sample,
      scanned: taken.keys.length,
      complete: taken.complete,
      memorySampled: taken.memorySampled,
      durationMs: Math.round(taken.durationMs),
      ratePerSecond: rate,
    },
    prefixes,
  };
}
