// The migrate-slots fault: slots of one cluster shard moved to another with the real resharding protocol, under load,
// and moved back at the end.
import { z } from 'zod';
import { environmentError, invalidInput } from '../errors/index.ts';
import type { ClusterControl, ClusterNode } from '../runtimes/topology/cluster/cluster-control.ts';
import { migrateSlots, type MigrationEnd } from '../runtimes/topology/cluster/migrate-slots.ts';
import { slotCount } from '../runtimes/topology/cluster/cluster-nodes.ts';
import { durationField } from '../schema/quantities.ts';
import { defineFault } from './fault-record.ts';
import { timing } from './fault-fields.ts';
import { checkShard, clusterOf, healthyTimeoutMs, nodeEvidence, primaryOf, shard } from './cluster-faults.ts';

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

export const migrateSlotsFault = defineFault({
  kind: 'migrate-slots',
  group: 'redis',
  description:
    'moves slots from one shard to another with the real protocol (IMPORTING/MIGRATING, MIGRATE, SETSLOT NODE): clients see ASK, then MOVED (cluster topology); moved back at the end',
  params: {
    ...timing,
    ...shard,
    to: z.number().int().min(0).max(15).meta({ description: 'the shard that receives the slots' }),
    slots: z
      .number()
      .int()
      .min(1)
      .max(16384)
      .default(16)
      .meta({ description: 'how many slots to move (the lowest the source serves)' }),
    hold: durationField.prefault('100ms').meta({
      description: 'how long each slot stays MIGRATING (clients get ASK) before SETSLOT NODE (clients get MOVED)',
    }),
    back: z.boolean().default(true).meta({ description: 'move the slots back when the fault ends' }),
  },
  traits: { destructive: true, topology: 'cluster' },
  validate(spec, context, issue) {
    checkShard('shard', spec.shard, context, issue);
    checkShard('to', spec.to, context, issue);
    if (spec.to === spec.shard) issue('to', `to: ${spec.to} is the shard the slots come from; name another shard`);
  },
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
});
