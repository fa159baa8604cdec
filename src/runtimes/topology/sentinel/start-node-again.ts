// Starts a killed or stopped node again on its port and dir: a replica of the primary the sentinels name (a primary
// when that is itself), and with waitForSentinels until it is in sync and every sentinel lists it healthy.
import { environmentError } from '../../../errors/index.ts';
import { waitUntil } from '../../local/wait-until.ts';
import type { SentinelNode } from './sentinel-control.ts';
import type { FailoverTracker } from './failover-tracker.ts';
import type { SentinelReadiness } from './sentinel-readiness.ts';
import type { NodeState, SentinelNodes } from './sentinel-nodes.ts';

export interface StartAgainOptions {
  waitForSentinels?: boolean;
  timeoutMs?: number;
}

export interface StartedAgain {
  pid: number;
  role: 'primary' | 'replica';
  of?: SentinelNode;
  readyMs: number;
}

export async function startNodeAgain(
  lifecycle: SentinelNodes,
  tracker: FailoverTracker<NodeState>,
  readiness: SentinelReadiness,
  node: NodeState,
  opts: StartAgainOptions = {},
): Promise<StartedAgain> {
  const t0 = performance.now();
  if (node.current && !node.current.exited) throw new Error(`${node.name} is still running (pid ${node.current.pid})`);
  const primary = await tracker.refreshPrimary();
  const of = primary === node ? undefined : primary;
  const server = await lifecycle.startNode(node, of);
  if (!of || !opts.waitForSentinels) {
    return { pid: server.pid, role: of ? 'replica' : 'primary', ...(of ? { of } : {}), readyMs: elapsed(t0) };
  }
  const timeoutMs = opts.timeoutMs ?? 10_000;
  // The primary is asked again at every check: a failover while the node syncs (a second one under load) moves it to
  // another primary, or promotes it; waiting on the first primary would then never end.
  let now: SentinelNode = of;
  const ready = await waitUntil(
    async () => {
      now = await tracker.refreshPrimary();
      return now === node || (await readiness.replicaHealthy(node, now));
    },
    { timeoutMs, intervalMs: 20 },
  );
  if (!ready.ok)
    throw environmentError(
      'CQ_SENTINEL_REPLICA_NOT_READY',
      `${node.name} started again as a replica of ${of.name} but is not a healthy, synced replica for every sentinel after ${timeoutMs} ms: ${readiness.lastProblem() ?? ready.reason}.`,
      { hint: `Its log:\n${await server.logTail(15)}` },
    );
  const role = now === node ? 'primary' : 'replica';
  return { pid: server.pid, role, ...(now !== node ? { of: now } : {}), readyMs: elapsed(t0) };
}

function elapsed(t0: number): number {
  return Math.round(performance.now() - t0);
}
