// Renders an audit for a terminal: the server's memory and policy, the sample, then one block per key prefix with its
// verdict.
import { describeBytes } from '../redis-conf/index.ts';
import type { AuditReport } from './audit-types.ts';

const pct = (share: number) => `${Math.round(share * 1000) / 10}%`;

export function formatAuditText(report: AuditReport): string {
  const { server, keyspace, sample } = report;
  const out: string[] = [];
  const limit =
    server.maxmemoryBytes === 0
      ? 'no maxmemory'
      : `maxmemory ${describeBytes(server.maxmemoryBytes)}, ${pct(server.usedMemoryBytes / server.maxmemoryBytes)} used`;
  out.push(
    `${report.url} (Redis ${server.redisVersion ?? '?'}): ${limit}, maxmemory-policy ${server.policy}${server.configSource === 'info' ? ' (from INFO: CONFIG GET not allowed)' : ''}`,
  );
  if (server.appendonly !== undefined)
    out.push(`persistence: appendonly ${server.appendonly ? 'yes' : 'no'}, save ${JSON.stringify(server.save ?? '')}`);
  const noTtl = keyspace.keys - keyspace.expires;
  out.push(
    `db${report.db}: ${keyspace.keys} keys, ${keyspace.expires} with a TTL, ${noTtl} without (${keyspace.keys === 0 ? '0%' : pct(noTtl / keyspace.keys)}; exact, from INFO keyspace)`,
  );
  out.push(
    `sample: ${sample.scanned} keys${sample.complete ? ' (the whole keyspace: counts are exact)' : ` of ~${keyspace.keys} (counts extrapolated)`}, MEMORY USAGE on ${sample.memorySampled}, ${sample.durationMs} ms at ≤ ${sample.ratePerSecond} keys/s`,
  );
  out.push('');
  for (const p of report.prefixes) {
    const ttl = p.ttlSeconds
      ? `TTL min ${p.ttlSeconds.min} s / median ${p.ttlSeconds.median} s / max ${p.ttlSeconds.max} s`
      : 'no TTLs';
    const memory = p.memory ? `, ~${p.memory.meanBytes} B/key, ~${describeBytes(p.memory.estimatedBytes)} in all` : '';
    const estimate = sample.complete ? '' : ` (~${p.estimatedKeys} in the db)`;
    out.push(
      `${p.pattern}  ${p.keys} key${p.keys === 1 ? '' : 's'}${estimate}, ${p.withoutTtl} without TTL (${pct(p.withoutTtlShare)}), ${ttl}${memory}`,
    );
    out.push(`  [${p.risk}] ${p.verdict}`);
  }
  if (report.prefixes.length === 0) out.push('no keys sampled');
  return `${out.join('\n')}\n`;
}
