// Redis Cluster faults on one shard: kill -9 of its primary, a freeze and a manual failover (migrate-slots has its own
// file); the shard parameter and its checks.
import { z } from 'zod';
import { environmentError, invalidInput } from '../errors/index.ts';
import type { ClusterControl, ClusterNode } from '../runtimes/topology/cluster/cluster-control.ts';
import { linkPort } from '../runtimes/proxy-links.ts';
import type { FaultContext } from '../runtimes/fault-context.ts';
import { defineFault, type FaultCheckContext } from './fault-record.ts';
import { timing } from './fault-fields.ts';
import { processState } from './process-faults.ts';

/**
 * A failover with cluster-node-timeout 500 ms takes about 1–2 s; this bounds every wait for the cluster to be ok again.
 */
export const healthyTimeoutMs = 15_000;

/**
 * The shard a cluster fault acts on: 0 … redis.shards − 1 (the group of nodes started together; replicas stay in it).
 */
export const shard = {
  shard: z.number().int().min(0).max(15).default(0).meta({ description: 'the shard index, 0 … redis.shards − 1' }),
};

/** Validation: a shard index (faults[i].<field>) must be below redis.shards. */
export function checkShard(
  field: string,
  value: unknown,
  { topology }: FaultCheckContext,
  issue: (field: string, message: string) => void,
): void {
  if (topology.kind !== 'cluster' || typeof value !== 'number' || value < topology.shards) return;
  issue(
    field,
    `shard ${value} does not exist: the cluster has shards 0 … ${topology.shards - 1} (redis.shards: ${topology.shards})`,
  );
}

export function clusterOf(ctx: FaultContext, kind: string, shard: number): ClusterControl {
  if (!ctx.cluster) {
    throw invalidInput(
      'CQ_FAULT_NEEDS_CLUSTER',
      `${kind} acts on a Redis Cluster shard and needs redis.topology: cluster; this experiment runs topology ${ctx.topology ?? 'single'}.`,
      {
        hint: 'Set redis.topology: cluster, or use kill/freeze on: redis, which act on the one server.',
      },
    );
  }
  if (shard >= ctx.cluster.shards) {
    throw invalidInput(
      'CQ_FAULT_SHARD',
      `${kind}: shard ${shard} does not exist; the cluster has shards 0 … ${ctx.cluster.shards - 1}.`,
      { hint: 'Use a shard index below redis.shards.' },
    );
  }
  return ctx.cluster;
}

export function nodeEvidence(node: ClusterNode) {
  return {
    node: node.index,
    shard: node.shard,
    port: node.port,
    proxyPort: linkPort(node.link),
    link: node.link.name,
    pid: node.server().pid,
  };
}

export async function primaryOf(cluster: ClusterControl, shard: number, kind: string): Promise<ClusterNode> {
  const roles = await cluster.roles(shard);
  if (!roles.primary)
    throw environmentError('CQ_CLUSTER_NO_PRIMARY', `${kind}: shard ${shard} has no live primary right now.`, {
      hint: 'An earlier fault left the shard without one; give it time to fail over (phases) or restart the node.',
    });
  return roles.primary;
}

/** Waits until the cluster is ok and the shard is served by another node than `old`; ms since `since`. */
async function takeover(cluster: ClusterControl, shard: number, old: ClusterNode, since: number) {
  let promoted: ClusterNode | undefined;
  const health = await cluster.waitHealthy(healthyTimeoutMs, async () => {
    const roles = await cluster.roles(shard);
    promoted = roles.primary;
    return promoted && promoted !== old ? undefined : `shard ${shard} still has no new primary`;
  });
  return {
    promoted: promoted && promoted !== old ? nodeEvidence(promoted) : null,
    clusterOk: health.ok,
    okAfterMs: Math.round(performance.now() - since),
    ...(health.ok ? {} : { stillWrong: health.reason }),
  };
}

export const killShardFault = defineFault({
  kind: 'kill-shard',
  group: 'process',
  description:
    "kill -9 of a cluster shard's primary: its replica takes over once the others flag it failed (cluster topology). restart: true brings it back as a replica",
  params: {
    ...timing,
    ...shard,
    restart: z.boolean().default(true).meta({
      description: 'start the killed primary again (same port and dir) when the fault ends; it rejoins as a replica',
    }),
  },
  traits: { destructive: true, topology: 'cluster' },
  validate: (spec, context, issue) => checkShard('shard', spec.shard, context, issue),
  plan: (spec) => [
    `cluster shard ${spec.shard}: kill -KILL <its primary's pid>`,
    'wait until a replica serves the shard and every live node reports cluster_state:ok',
    spec.restart ? 'at the end: start it again on its port and dir; it rejoins as a replica' : 'not restarted',
  ],
  async inject(ctx, spec) {
    const cluster = clusterOf(ctx, 'kill-shard', spec.shard);
    const primary = await primaryOf(cluster, spec.shard, 'kill-shard');
    const killed = nodeEvidence(primary);
    const keysBefore = await primary
      .server()
      .admin.dbsize()
      .catch(() => undefined);
    const since = performance.now();
    const { pid } = await cluster.kill(primary);
    const hasReplica = (await cluster.roles(spec.shard)).replicas.length > 0;
    const after = hasReplica
      ? await takeover(cluster, spec.shard, primary, since)
      : {
          promoted: null,
          clusterOk: false,
          note: 'the shard has no replica: its slots stay down until the node comes back',
        };
    return {
      evidence: { killed, signal: 'SIGKILL', processState: processState(pid), keysBefore, ...after },
      revert: spec.restart
        ? async () => {
            const began = performance.now();
            const started = await cluster.startAgain(primary);
            const health = await cluster.waitHealthy(healthyTimeoutMs, async () => {
              const roles = await cluster.roles(spec.shard);
              return roles.primary === primary || roles.replicas.includes(primary)
                ? undefined
                : `node ${primary.index} has not rejoined shard ${spec.shard}`;
            });
            const roles = await cluster.roles(spec.shard);
            return {
              pid: started.pid,
              restarted: true,
              rejoinedAs: roles.primary === primary ? 'primary' : 'replica',
              clusterOk: health.ok,
              okAfterMs: Math.round(performance.now() - began),
              ...(health.ok ? {} : { stillWrong: health.reason }),
            };
          }
        : undefined,
    };
  },
});

export const freezeShardFault = defineFault({
  kind: 'freeze-shard',
  group: 'process',
  description:
    "SIGSTOP of a cluster shard's primary (connections stay open, nothing answers); longer than cluster-node-timeout, its replica takes over (cluster topology)",
  params: { ...timing, ...shard },
  traits: { destructive: true, topology: 'cluster' },
  validate: (spec, context, issue) => checkShard('shard', spec.shard, context, issue),
  plan: (spec) => [
    `cluster shard ${spec.shard}: kill -STOP <its primary's pid>`,
    'at the end: kill -CONT; wait until every live node reports cluster_state:ok',
  ],
  async inject(ctx, spec) {
    const cluster = clusterOf(ctx, 'freeze-shard', spec.shard);
    const primary = await primaryOf(cluster, spec.shard, 'freeze-shard');
    const server = primary.server();
    server.signal('SIGSTOP');
    await new Promise((r) => setTimeout(r, 20));
    return {
      evidence: { frozen: nodeEvidence(primary), signal: 'SIGSTOP', processState: processState(server.pid) },
      revert: async () => {
        server.signal('SIGCONT');
        const since = performance.now();
        const health = await cluster.waitHealthy(healthyTimeoutMs);
        const roles = await cluster.roles(spec.shard);
        return {
          signal: 'SIGCONT',
          processState: processState(server.pid),
          failedOver: roles.primary !== primary,
          primaryNow: roles.primary ? nodeEvidence(roles.primary) : null,
          clusterOk: health.ok,
          okAfterMs: Math.round(performance.now() - since),
          ...(health.ok ? {} : { stillWrong: health.reason }),
        };
      },
    };
  },
});

export const failoverShardFault = defineFault({
  kind: 'failover-shard',
  group: 'redis',
  description:
    "CLUSTER FAILOVER on a shard's replica: it becomes the primary, the old primary its replica (cluster topology; not undone)",
  params: {
    ...timing,
    ...shard,
    mode: z
      .enum(['default', 'force', 'takeover'])
      .default('default')
      .meta({ description: 'CLUSTER FAILOVER [FORCE|TAKEOVER] on the replica' }),
  },
  traits: { destructive: true, topology: 'cluster' },
  validate(spec, context, issue) {
    checkShard('shard', spec.shard, context, issue);
    if (context.topology.kind === 'cluster' && context.topology.replicas === 0)
      issue('kind', 'failover-shard promotes a replica, and redis.replicas is 0; set replicas: 1 or more');
  },
  plan: (spec) => [
    `cluster shard ${spec.shard}: CLUSTER FAILOVER${spec.mode === 'default' ? '' : ` ${spec.mode.toUpperCase()}`} on its first replica`,
    'wait until it serves the shard and every node reports cluster_state:ok',
  ],
  async inject(ctx, spec) {
    const cluster = clusterOf(ctx, 'failover-shard', spec.shard);
    const roles = await cluster.roles(spec.shard);
    const replica = roles.replicas.find((node) => !node.down);
    if (!roles.primary || !replica)
      throw environmentError(
        'CQ_CLUSTER_NO_REPLICA',
        `failover-shard: shard ${spec.shard} has ${roles.primary ? 'no live replica' : 'no live primary'} to fail over.`,
        { hint: 'Set redis.replicas: 1 or more.' },
      );
    const old = roles.primary;
    const since = performance.now();
    const reply = String(
      await replica
        .server()
        .admin.call('CLUSTER', 'FAILOVER', ...(spec.mode === 'default' ? [] : [spec.mode.toUpperCase()])),
    );
    const after = await takeover(cluster, spec.shard, old, since);
    return {
      evidence: {
        command: `CLUSTER FAILOVER${spec.mode === 'default' ? '' : ` ${spec.mode.toUpperCase()}`}`,
        reply,
        oldPrimary: nodeEvidence(old),
        ...after,
      },
    };
  },
});
