// When a sentinel topology is usable: replicas in sync, and every sentinel sees each replica healthy and each peer
// connected.
import type { SentinelNode } from './sentinel-control.ts';
import type { StartedSentinel } from './sentinel-process.ts';

/** SENTINEL REPLICAS / SENTINELS replies (flat key/value arrays) as objects. */
export function sentinelTable(reply: unknown): Record<string, string>[] {
  if (!Array.isArray(reply)) return [];
  return reply.map((entry: unknown) => {
    const row: Record<string, string> = {};
    if (Array.isArray(entry))
      for (let i = 0; i + 1 < entry.length; i += 2) row[String(entry[i])] = String(entry[i + 1]);
    return row;
  });
}

/** Why `node` is not an in-sync replica (of `of`, when given), from its INFO replication; undefined when it is. */
async function notInSync(node: SentinelNode, of?: SentinelNode): Promise<string | undefined> {
  const server = node.server();
  if (server.exited) return `${node.name} exited`;
  const info = await server.admin.info('replication');
  const role = /role:(\w+)/.exec(info)?.[1];
  const link = /master_link_status:(\w+)/.exec(info)?.[1];
  const masterPort = Number(/master_port:(\d+)/.exec(info)?.[1]);
  const syncing = /master_sync_in_progress:1/.test(info) ? ', a full sync in progress' : '';
  if (role !== 'slave') return `${node.name} is a ${role ?? 'silent'} node, not a replica`;
  if (of && masterPort !== of.proxyPort) return `${node.name} replicates port ${masterPort}, not ${of.name}`;
  if (link !== 'up') return `${node.name} is not in sync${of ? ` with ${of.name}` : ''} (link ${link}${syncing})`;
  return undefined;
}

export type SentinelReadiness = ReturnType<typeof sentinelReadiness>;

export function sentinelReadiness(
  masterName: string,
  sentinels: () => readonly StartedSentinel[],
  nodes: () => readonly SentinelNode[],
) {
  let problem: string | undefined;
  const fail = (why: string) => {
    problem = why;
    return false;
  };

  /**
   * `node` as each sentinel lists it under the primary `of`: flags exactly "slave" (no s_down, no disconnected). With
   * `fromInfo`, also what the sentinel last read from the node's INFO: link ok, replicating `of` — a sentinel
   * refreshes that every 10 s outside a failover, so it is asked only at start, where the first INFO is immediate.
   */
  async function listedHealthy(node: SentinelNode, of: SentinelNode, fromInfo: boolean): Promise<boolean> {
    for (const sentinel of sentinels()) {
      const rows = sentinelTable(await sentinel.admin.call('SENTINEL', 'REPLICAS', masterName));
      const row = rows.find((r) => Number(r.port) === node.proxyPort);
      if (!row) return fail(`sentinel on ${sentinel.port} does not list ${node.name} as a replica of ${of.name}`);
      const infoOk = !fromInfo || (row['master-link-status'] === 'ok' && Number(row['master-port']) === of.proxyPort);
      if (row.flags !== 'slave' || !infoOk) {
        return fail(
          `sentinel on ${sentinel.port} lists ${node.name} with flags ${row.flags}, link ${row['master-link-status']}, master port ${row['master-port']}`,
        );
      }
    }
    return true;
  }

  return {
    lastProblem: () => problem,
    async replicasSynced(): Promise<boolean> {
      for (const node of nodes().slice(1)) {
        const why = await notInSync(node).catch((e: Error) => `${node.name} did not answer INFO: ${e.message}`);
        if (why) return fail(why);
      }
      return true;
    },
    async sentinelsReady(): Promise<boolean> {
      const [primary, ...replicas] = nodes();
      if (!primary) return false;
      for (const replica of replicas) if (!(await listedHealthy(replica, primary, true))) return false;
      for (const sentinel of sentinels()) {
        const peers = sentinelTable(await sentinel.admin.call('SENTINEL', 'SENTINELS', masterName));
        const connected = peers.filter((p) => !/disconnected|s_down/.test(p.flags ?? ''));
        if (connected.length < sentinels().length - 1)
          return fail(
            `sentinel on ${sentinel.port} is connected to ${connected.length} of ${sentinels().length - 1} peers`,
          );
        const quorum = String(
          await sentinel.admin.call('SENTINEL', 'CKQUORUM', masterName).catch((e: Error) => e.message),
        );
        if (!quorum.startsWith('OK')) return fail(`sentinel on ${sentinel.port}: CKQUORUM ${quorum}`);
      }
      return true;
    },
    /** In sync with `of` (its INFO) and listed as a plain healthy replica by every sentinel. */
    async replicaHealthy(node: SentinelNode, of: SentinelNode): Promise<boolean> {
      const why = await notInSync(node, of).catch((e: Error) => `${node.name} did not answer INFO: ${e.message}`);
      if (why) return fail(why);
      return listedHealthy(node, of, false).catch((e: Error) => fail(`a sentinel did not answer: ${e.message}`));
    },
  };
}
