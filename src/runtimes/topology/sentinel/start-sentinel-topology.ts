// A primary, its replicas and the sentinels that watch them, each redis-server and each sentinel behind its own proxy
// link: the processes (SentinelNodes) and who the primary is (FailoverTracker) wired into a started topology.
import { environmentError } from '../../../errors/index.ts';
import type { ProxyLinks } from '../../proxy-links.ts';
import { rawRedisCommand } from '../../local/redis-ping.ts';
import type { RedisOptions } from '../../local/types.ts';
import { waitUntil } from '../../local/wait-until.ts';
import type { StartedRedisTopology } from '../started-topology.ts';
import type { RedisTopology } from '../topology-options.ts';
import { FailoverTracker } from './failover-tracker.ts';
import { sentinelClient } from './sentinel-client.ts';
import type { SentinelControl, SentinelInstance } from './sentinel-control.ts';
import { SentinelNodes, type NodeState } from './sentinel-nodes.ts';
import { sentinelReadiness } from './sentinel-readiness.ts';
import { startNodeAgain, type StartAgainOptions } from './start-node-again.ts';

type SentinelTopology = Extract<RedisTopology, { kind: 'sentinel' }>;

/**
 * Long enough for a promotion to be seen (Sentinel asks replicas for INFO every second during a failover), short enough
 * that a second failover of the same run is not refused for minutes.
 */
const failoverTimeoutMs = 5000;

export async function startSentinelTopology(
  options: RedisOptions,
  topology: SentinelTopology,
  proxy: ProxyLinks,
): Promise<StartedRedisTopology> {
  const began = performance.now();
  const name = topology.masterName;
  const quorum = Math.floor(topology.sentinels / 2) + 1;
  const lifecycle = new SentinelNodes(options);
  const { nodes, sentinels, specs } = lifecycle;
  const tracker = new FailoverTracker<NodeState>(name, nodes, sentinels);
  const readiness = sentinelReadiness(
    name,
    () => sentinels,
    () => nodes,
  );
  const stop = async () => {
    tracker.close();
    await lifecycle.stop();
  };
  const startAgain = (node: NodeState, opts?: StartAgainOptions) =>
    startNodeAgain(lifecycle, tracker, readiness, node, opts);

  try {
    await lifecycle.allocate(proxy, 1 + topology.replicas, topology.sentinels);
    const first = tracker.primaryNode();
    await lifecycle.startNode(first, undefined);
    await Promise.all(nodes.slice(1).map((n) => lifecycle.startNode(n, first)));
    const synced = await waitUntil(readiness.replicasSynced, { timeoutMs: 10_000, intervalMs: 10 });
    if (!synced.ok)
      throw environmentError(
        'CQ_SENTINEL_SYNC',
        `the replicas did not finish their first sync with ${first.name}: ${readiness.lastProblem() ?? synced.reason}.`,
        {
          hint: "Look at the replicas' logs; a redis.config that blocks replication (requirepass without masterauth, …) prevents it.",
        },
      );

    await lifecycle.startSentinels(
      { masterName: name, quorum, downAfterMs: topology.downAfterMs, failoverTimeoutMs },
      first,
    );
    await tracker.watch(specs);
    const ready = await waitUntil(readiness.sentinelsReady, { timeoutMs: 10_000, intervalMs: 20 });
    if (!ready.ok) {
      throw environmentError(
        'CQ_SENTINEL_NOT_READY',
        `the sentinels did not all see ${nodes.length - 1} healthy replica(s) and ${sentinels.length - 1} peer(s) within 10 s: ${readiness.lastProblem() ?? ready.reason}.`,
        {
          hint: `Last lines of ${specs[0]?.dir}/sentinel.log:\n${await sentinels[0]?.logTail(15)}`,
        },
      );
    }
    const startedInMs = Math.round(performance.now() - began);

    const sentinelList: SentinelInstance[] = specs.map((spec, i) => ({
      name: spec.name,
      port: spec.port,
      proxyPort: spec.proxyPort,
      pid: sentinels[i]?.pid ?? 0,
    }));
    const primaryNode = () => tracker.primaryNode();
    const control: SentinelControl = {
      masterName: name,
      quorum,
      downAfterMs: topology.downAfterMs,
      startedInMs,
      nodes: () => nodes,
      primaryNode,
      sentinels: () => sentinelList,
      askPrimary: () => tracker.askPrimary(),
      events: (since) => tracker.events.since(since),
      failover: () => tracker.failover(),
      waitForSwitch: (from, timeoutMs) => tracker.waitForSwitch(from, timeoutMs),
      kill: (node) => lifecycle.kill(node as NodeState),
      start: (node, opts) => startAgain(node as NodeState, opts),
      replication: (node) => lifecycle.replication(node),
    };

    let lastKilled: NodeState | undefined;
    const result: StartedRedisTopology = {
      kind: 'sentinel',
      primary: () => primaryNode().server(),
      redisLink: () => primaryNode().link,
      endpoint: {
        host: '127.0.0.1',
        port: first.proxyPort,
        url: `redis://127.0.0.1:${first.proxyPort}`,
        topology: 'sentinel',
        sentinels: specs.map((s) => `127.0.0.1:${s.proxyPort}`).join(','),
        sentinelName: name,
        nodes: nodes.map((n) => `127.0.0.1:${n.proxyPort}`).join(','),
      },
      servers: () => nodes.filter((n) => n.running()).map((n) => n.server()),
      createClient: (opts) =>
        sentinelClient(
          specs.map((s) => ({ host: '127.0.0.1', port: s.proxyPort })),
          name,
          opts,
        ),
      async kill() {
        lastKilled = primaryNode();
        return lifecycle.kill(lastKilled);
      },
      async startAgain() {
        const node = lastKilled ?? primaryNode();
        lastKilled = undefined;
        return { pid: (await startAgain(node)).pid };
      },
      async restart(save) {
        const node = primaryNode();
        const old = node.server();
        const down = performance.now();
        if (save) await rawRedisCommand(old.port, 'SHUTDOWN SAVE', 10_000).catch(() => undefined);
        await old.stop({ keepDir: true });
        const { pid } = await startAgain(node);
        return { oldPid: old.pid, pid, downtimeMs: Math.round(performance.now() - down) };
      },
      sentinel: control,
      stop,
    };
    return result;
  } catch (error) {
    await stop();
    throw error;
  }
}
