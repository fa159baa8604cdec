// Redis Cluster faults on one shard: kill -9 of its primary, a freeze, a manual failover, and slots migrated under
// load.
import { environmentError, invalidInput } from '../errors/index.ts';
import type { ClusterControl, ClusterNode } from '../runtimes/topology/cluster/cluster-control.ts';
import { migrateSlots, type MigrationEnd } from '../runtimes/topology/cluster/migrate-slots.ts';
import { slotCount } from '../runtimes/topology/cluster/cluster-nodes.ts';
import { linkPort } from '../runtimes/proxy-links.ts';
import type { FaultContext } from '../runtimes/fault-context.ts';
import type { FaultImplementation } from './fault-implementation.ts';
import { processState } from './process-faults.ts';

/**
 * A failover with cluster-node-timeout 500 ms takes about 1–2 s; this bounds every wait for the cluster to be ok again.
 */
const healthyTimeoutMs = 15_000;

function clusterOf(ctx: FaultContext, kind: string, shard: number): ClusterControl {
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

function nodeEvidence(node: ClusterNode) {
  return {
    node: node.index,
    shard: node.shard,
    port: node.port,
    proxyPort: linkPort(node.link),
    link: node.link.name,
    pid: node.server().pid,
  };
}

async function primaryOf(cluster: ClusterControl, shard: number, kind: string): Promise<ClusterNode> {
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

export const killShardFault: FaultImplementation<'kill-shard'> = {
  kind: 'kill-shard',
  group: 'process',
  description:
    "kill -9 of a cluster shard's primary: its replica takes over once the others flag it failed (cluster topology). restart: true brings it back as a replica",
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
};

export const freezeShardFault: FaultImplementation<'freeze-shard'> = {
  kind: 'freeze-shard',
  group: 'process',
  description:
    "SIGSTOP of a cluster shard's primary (connections stay open, nothing answers); longer than cluster-node-timeout, its replica takes over (cluster topology)",
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
};

export const failoverShardFault: FaultImplementation<'failover-shard'> = {
  kind: 'failover-shard',
  group: 'redis',
  description:
    "CLUSTER FAILOVER on a shard's replica: it becomes the primary, the old primary its replica (cluster topology; not undone)",
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
};

/** Redirects the proxies rewrote so far, summed over every node link (GET /redis-rules). */
async function redirectCounts(cluster: ClusterControl): Promise<{ ask: number; moved: number }> {
  const total = { ask: 0, moved: 0 };
  await Promise.all(
    cluster.nodes.map(async (node) => {
      const response = await fetch(`${node.link.getPath()}/redis-rules`).catch(() => undefined);
      if (!response?.ok) return;
      const rewrites = ((await response.json()) as { rewrites?: { ask: number; moved: number } | null }).rewrites;
      total.ask += rewrites?.ask ?? 0;
      total.moved += rewrites?.moved ?? 0;
    }),
  );
  return total;
}

function rangesText(slots: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < slots.length;) {
    let j = i;
    while (j + 1 < slots.length && (slots[j + 1] as number) === (slots[j] as number) + 1) j++;
    parts.push(i === j ? String(slots[i]) : `${slots[i]}-${slots[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

export const migrateSlotsFault: FaultImplementation<'migrate-slots'> = {
  kind: 'migrate-slots',
  group: 'redis',
  description:
    'moves slots from one shard to another with the real protocol (IMPORTING/MIGRATING, MIGRATE, SETSLOT NODE): clients see ASK, then MOVED (cluster topology); moved back at the end',
  plan: (spec) => [
    `cluster: the lowest ${spec.slots} slots of shard ${spec.shard} → shard ${spec.to}, one by one:`,
    `  CLUSTER SETSLOT <slot> IMPORTING/MIGRATING, MIGRATE its keys, hold ${spec.hold} ms (ASK), CLUSTER SETSLOT <slot> NODE on every primary (MOVED)`,
    spec.back ? 'at the end: the same slots moved back' : 'not moved back',
  ],
  async inject(ctx, spec) {
    const cluster = clusterOf(ctx, 'migrate-slots', spec.shard);
    clusterOf(ctx, 'migrate-slots', spec.to);
    if (spec.to === spec.shard)
      throw invalidInput('CQ_FAULT_SHARD', `migrate-slots: shard ${spec.shard} → shard ${spec.to} moves nothing.`, {
        hint: 'Set to: another shard.',
      });
    const from = await primaryOf(cluster, spec.shard, 'migrate-slots');
    const to = await primaryOf(cluster, spec.to, 'migrate-slots');
    const ranges = await cluster.slotsOf(from);
    const slots: number[] = [];
    for (const [start, end] of ranges)
      for (let slot = start; slot <= end && slots.length < spec.slots; slot++) slots.push(slot);
    if (slots.length === 0)
      throw environmentError('CQ_CLUSTER_NO_SLOTS', `migrate-slots: shard ${spec.shard} serves no slot.`, {
        hint: 'An earlier migrate-slots moved them all away.',
      });
    const primaries = async () => {
      const all: ClusterNode[] = [];
      for (let shard = 0; shard < cluster.shards; shard++) {
        const primary = (await cluster.roles(shard)).primary;
        if (primary) all.push(primary);
      }
      return all;
    };
    const end = (node: ClusterNode): MigrationEnd => ({ admin: node.server().admin, id: node.id, port: node.port });
    const move = async (source: ClusterNode, target: ClusterNode) => {
      const others = (await primaries()).filter((node) => node !== source && node !== target).map(end);
      const redirectsBefore = await redirectCounts(cluster);
      const report = await migrateSlots(slots, end(source), end(target), others, spec.hold);
      const health = await cluster.waitHealthy(healthyTimeoutMs);
      const redirectsAfter = await redirectCounts(cluster);
      return {
        slots: rangesText(report.slots),
        slotCount: report.slots.length,
        keysMoved: report.keys,
        ms: report.ms,
        clientRedirects: {
          ask: redirectsAfter.ask - redirectsBefore.ask,
          moved: redirectsAfter.moved - redirectsBefore.moved,
        },
        clusterOk: health.ok,
        // slots each side serves afterwards, by node index
        slotsNow: {
          [`node ${source.index}`]: slotCount(await cluster.slotsOf(source)),
          [`node ${target.index}`]: slotCount(await cluster.slotsOf(target)),
        },
      };
    };
    const forth = await move(from, to);
    return {
      evidence: { from: nodeEvidence(from), to: nodeEvidence(to), ...forth },
      // The shards' primaries as they are at the end (a failover meanwhile changes who they are).
      revert: spec.back
        ? async () =>
            move(
              await primaryOf(cluster, spec.to, 'migrate-slots'),
              await primaryOf(cluster, spec.shard, 'migrate-slots'),
            )
        : undefined,
    };
  },
};
