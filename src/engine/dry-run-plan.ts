// --dry-run: the environment, the schedule and the exact Redis commands and toxics an experiment would send; starts
// nothing.
import { faultImplementation } from '../faults/catalogue.ts';
import type { FaultSpec } from '../faults/fault-schema.ts';
import type { LoadedExperiment } from '../experiment/load-experiment.ts';
import { formatMs } from '../schema/quantities.ts';
import { resolveTarget } from '../targets/index.ts';
import { backupPlanLines, safetyPlanLines } from '../safety/safety-plan.ts';
import { isDestructive } from '../faults/fault-traits.ts';
import { topologyOf, writeProbeOf } from '../experiment/redis-topology.ts';
import { checkTargetFit } from '../experiment/target-fit.ts';
import type { RedisTopology } from '../runtimes/topology/topology-options.ts';

export interface PlanRuntime {
  runtime?: 'local' | 'docker';
  /** The staging environment file's name and the URLs it declares. */
  staging?: {
    name: string;
    target: string;
    toxiproxy: string;
    redis: string;
    instance?: string;
    markerKey?: string;
    maxKeys?: number;
  };
  /** The name typed with --allow-destructive (the guard's decision is printed). */
  allowDestructive?: string;
}

export async function dryRunPlan(loaded: LoadedExperiment, where: PlanRuntime = {}): Promise<string[]> {
  const { experiment: e } = loaded;
  const target = await resolveTarget(e.target, { baseDir: loaded.dir });
  checkTargetFit(e, target);
  const postgres = e.postgres ?? target.needsPostgres;
  const config = Object.entries(e.redis.config)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const runtime = where.runtime ?? e.runtime;
  const environment = where.staging
    ? `  environment: staging ${where.staging.name} — target ${where.staging.target}, Toxiproxy ${where.staging.toxiproxy}, Redis ${where.staging.redis.replace(/\/\/[^@/]*@/, '//***@')} (nothing is started; the experiment's redis.config does not apply)`
    : undefined;
  const lines = [
    `experiment ${e.name}${loaded.file ? ` (${loaded.file})` : ''}`,
    environment ??
      `  environment: ${runtime} runtime — ${describeTopology(topologyOf(e.redis))}${config ? ` with ${config}` : ''}${e.redis.configFile ? ` from ${e.redis.configFile}` : ''}, persistence ${e.redis.persistence ? JSON.stringify(e.redis.persistence) : 'off'}; ${postgres ? 'PostgreSQL 15' : 'no PostgreSQL'}; fault proxy (${runtime === 'docker' ? 'Toxiproxy container' : process.env.TOXIPROXY_URL ? `Toxiproxy at ${process.env.TOXIPROXY_URL}` : 'embedded'}) with links ${linkNames(topologyOf(e.redis))}${postgres ? ', postgres' : ''}; target ${target.name} (${target.manifest.command} ${target.manifest.args.join(' ')})`,
    target.manifest.session
      ? `  ledger: log in ${e.sessions.users} users (${Math.round(e.sessions.rememberMe * 100)}% remember-me), check ${e.sessions.samplePerSecond}/s, all at the end`
      : `  ledger: none (target ${target.name} has no session section)`,
    ...(target.manifest.cache
      ? [
          `  cache: read ${target.manifest.cache.read.method} ${target.manifest.cache.read.path} for ids ${target.manifest.cache.ids.from}..${target.manifest.cache.ids.to} before the load, ${e.cache.samplePerSecond}/s during it, all again at the end; a different answer is stale`,
        ]
      : []),
    `  load: ${e.load.rate} req/s open model, timeout ${formatMs(e.load.timeout)}, mix ${target.manifest.traffic.map((t) => `${t.method} ${t.path} ×${t.weight}`).join(', ')}`,
    `  schedule: baseline 0s–${formatMs(e.phases.baseline)}, fault ${formatMs(e.phases.baseline)}–${formatMs(e.phases.baseline + e.phases.fault)}, recovery until ${formatMs(e.phases.baseline + e.phases.fault + e.phases.recovery)}`,
  ];
  lines.push(...safetyPlanLines(e, where));
  e.faults.forEach((fault: FaultSpec, i) => {
    const at = e.phases.baseline + (fault.at ?? 0);
    const duration = fault.for ?? e.phases.fault - (fault.at ?? 0);
    lines.push(`  fault ${i + 1} ${fault.kind} at t=${formatMs(at)} for ${formatMs(duration)}:`);
    const impl = faultImplementation(fault.kind) as { plan: (s: FaultSpec, d: number) => string[] };
    const backup = backupPlanLines(e, fault);
    if (isDestructive(fault) && !('on' in fault && fault.on === 'postgres'))
      lines.push('    guard: redis: INFO server (who the server is), refused unless it passes the guard above');
    for (const step of [...backup.before, ...impl.plan(fault, duration), ...backup.after]) lines.push(`    ${step}`);
  });
  const probe = writeProbeOf(e.redis);
  if (probe)
    lines.push(
      `  write probe: SET cachequake:probe:<run>:<n> <unique value> EX 3600 at ${probe.ratePerSecond}/s through the proxy links during the run, GET of every acknowledged one after recovery`,
    );
  if (e.expect.length) lines.push(`  expect: ${e.expect.join('; ')}`);
  if (e.abort.length) lines.push(`  abort when: ${e.abort.join('; ')}`);
  return lines;
}

function describeTopology(topology: RedisTopology): string {
  switch (topology.kind) {
    case 'sentinel':
      return `Redis Sentinel (a primary, ${topology.replicas} replica(s), ${topology.sentinels} sentinel(s), down-after ${topology.downAfterMs} ms; each node behind its own proxy link)`;
    case 'cluster':
      return `Redis Cluster (${topology.shards} shards × ${1 + topology.replicas} nodes; each node behind its own proxy link)`;
    default:
      return 'redis-server';
  }
}

function linkNames(topology: RedisTopology): string {
  switch (topology.kind) {
    case 'sentinel':
      return `redis-0…redis-${topology.replicas} (one per node; faults on: redis act on the current primary's), sentinel-0…sentinel-${topology.sentinels - 1}`;
    case 'cluster':
      return `redis-s<shard>-<node> for ${topology.shards * (1 + topology.replicas)} nodes (faults on: redis act on shard 0's primary)`;
    default:
      return 'redis';
  }
}
