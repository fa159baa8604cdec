// Joins started cluster-enabled redis-servers into one cluster: config epochs, MEET, slot ranges, REPLICATE, then waits
// until all agree.
import type { Redis } from 'ioredis';
import { environmentError } from '../../../errors/index.ts';
import { waitUntil } from '../../local/wait-until.ts';
import { parseClusterNodes, slotRanges } from './cluster-nodes.ts';

export interface FormingNode {
  readonly port: number;
  readonly admin: Redis;
  readonly shard: number;
  /** True for the node that starts as its shard's primary. */
  readonly primary: boolean;
}

/** Forms the cluster and returns every node's id (in the order given). */
export async function formCluster(nodes: readonly FormingNode[], timeoutMs: number): Promise<string[]> {
  const ids = await Promise.all(nodes.map(async (node) => String(await node.admin.call('CLUSTER', 'MYID'))));
  const primaries = nodes.filter((node) => node.primary);
  const ranges = slotRanges(primaries.length);
  // Distinct epochs before the nodes meet, as redis-cli --cluster create does: no epoch collision to settle.
  await Promise.all(nodes.map((node, i) => node.admin.call('CLUSTER', 'SET-CONFIG-EPOCH', String(i + 1))));
  await Promise.all(
    primaries.map((node) => {
      const [from, to] = ranges[node.shard] as [number, number];
      return node.admin.call('CLUSTER', 'ADDSLOTSRANGE', String(from), String(to));
    }),
  );
  const first = nodes[0] as FormingNode;
  await Promise.all(nodes.slice(1).map((node) => first.admin.call('CLUSTER', 'MEET', '127.0.0.1', String(node.port))));
  await waitOrFail(timeoutMs, 'the nodes did not all meet', async () => {
    for (const node of nodes) {
      const known = parseClusterNodes(String(await node.admin.call('CLUSTER', 'NODES')));
      if (
        known.length !== nodes.length ||
        known.some((k) => k.flags.includes('handshake') || k.flags.includes('noaddr'))
      )
        return false;
    }
    return true;
  });
  const primaryId = (shard: number) => ids[nodes.findIndex((node) => node.primary && node.shard === shard)] as string;
  await Promise.all(
    nodes.filter((node) => !node.primary).map((node) => node.admin.call('CLUSTER', 'REPLICATE', primaryId(node.shard))),
  );
  // Redis leaves a replica at replication offset 0 out of CLUSTER SLOTS ("loading"): one write on the empty primaries
  // moves it.
  const bumpOffsets = () => Promise.all(primaries.map((node) => node.admin.call('FLUSHALL')));
  let bumped = 0;
  await waitOrFail(timeoutMs, 'the cluster did not become ok with every replica synced', async () => {
    for (const node of nodes) {
      const info = String(await node.admin.call('CLUSTER', 'INFO'));
      if (!info.includes('cluster_state:ok')) return false;
      const view = parseClusterNodes(String(await node.admin.call('CLUSTER', 'NODES')));
      for (const [i, other] of nodes.entries()) {
        const line = view.find((v) => v.id === ids[i]);
        if (!line || (!line.connected && !line.myself)) return false;
        if (other.primary ? !line.isPrimary : line.primaryId !== primaryId(other.shard)) return false;
      }
      if (!node.primary) {
        const replication = await node.admin.info('replication');
        if (!replication.includes('master_link_status:up') || replication.includes('master_sync_in_progress:1'))
          return false;
        if (/slave_repl_offset:0\r?\n/.test(replication)) {
          if (bumped++ % 20 === 0) await bumpOffsets();
          return false;
        }
      }
    }
    // Every node lists every replica in CLUSTER SLOTS (what ioredis reads).
    for (const node of nodes) {
      const slots = (await node.admin.call('CLUSTER', 'SLOTS')) as unknown[][];
      const listed = slots.reduce((sum, range) => sum + range.length - 2, 0);
      if (listed !== nodes.length) return false;
    }
    return true;
  });
  return ids;
}

async function waitOrFail(timeoutMs: number, what: string, probe: () => Promise<boolean>): Promise<void> {
  const outcome = await waitUntil(probe, { timeoutMs, intervalMs: 25 });
  if (!outcome.ok) {
    throw environmentError(
      'CQ_CLUSTER_FORM_FAILED',
      `redis.topology: cluster: ${what} within ${timeoutMs} ms${outcome.lastError ? ` (last error: ${(outcome.lastError as Error).message})` : ''}.`,
      {
        hint: 'Check the node logs (redis.log in each node dir); a redis.config that changes cluster-* directives can keep the nodes from joining.',
      },
    );
  }
}
