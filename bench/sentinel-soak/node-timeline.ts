// Samples every node's replication state (role, offset, whom it replicates, link) straight from its admin connection
// every few ms, so a lost write can be set against what the node that acknowledged it was at that moment.
import type { SentinelNode } from '../../src/runtimes/topology/sentinel/sentinel-control.ts';

export interface NodeSample {
  at: number;
  node: string;
  role: string;
  /** master_repl_offset: how far this node's replication stream has come. */
  offset: number;
  /** The proxy port it replicates (replicas). */
  masterPort?: number;
  linkStatus?: string;
}

export interface NodeTimeline {
  samples: NodeSample[];
  stop(): Promise<void>;
}

async function sample(node: SentinelNode): Promise<NodeSample | undefined> {
  if (!node.running()) return undefined;
  const info = await Promise.race([
    node
      .server()
      .admin.info('replication')
      .catch(() => ''),
    new Promise<string>((r) => setTimeout(() => r(''), 200).unref()),
  ]);
  const role = /role:(\w+)/.exec(info)?.[1];
  if (!role) return undefined;
  const masterPort = /master_port:(\d+)/.exec(info)?.[1];
  const linkStatus = /master_link_status:(\w+)/.exec(info)?.[1];
  return {
    at: performance.now(),
    node: node.name,
    role,
    offset: Number(/master_repl_offset:(\d+)/.exec(info)?.[1] ?? -1),
    ...(masterPort ? { masterPort: Number(masterPort) } : {}),
    ...(linkStatus ? { linkStatus } : {}),
  };
}

export function startNodeTimeline(nodes: () => readonly SentinelNode[], intervalMs = 20): NodeTimeline {
  const samples: NodeSample[] = [];
  let stopping = false;
  const done = (async () => {
    while (!stopping) {
      const taken = await Promise.all(nodes().map(sample));
      for (const s of taken) if (s) samples.push(s);
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  })();
  return {
    samples,
    async stop() {
      stopping = true;
      await done;
    },
  };
}

/** The last sample of `node` taken at or before `at`, else the first after it. */
export function sampleAt(samples: readonly NodeSample[], node: string, at: number): NodeSample | undefined {
  let before: NodeSample | undefined;
  for (const s of samples) {
    if (s.node !== node) continue;
    if (s.at <= at) before = s;
    else return before ?? s;
  }
  return before;
}
