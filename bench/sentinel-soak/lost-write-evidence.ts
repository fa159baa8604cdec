// Lost writes as evidence: contiguous stretches of lost keys, each with the node that acknowledged them, when (ms from
// the fault), that node's role and replication offset then, and the sentinel events around it.
import type { SentinelEvent } from '../../src/runtimes/topology/sentinel/sentinel-events.ts';
import type { SentinelNode } from '../../src/runtimes/topology/sentinel/sentinel-control.ts';
import type { AckedWrite } from './acked-writer.ts';
import { sampleAt, type NodeSample } from './node-timeline.ts';

export interface LostStretch {
  firstIndex: number;
  lastIndex: number;
  count: number;
  /** The node that acknowledged them. */
  ackedBy: string;
  firstAckMs: number;
  lastAckMs: number;
  /** The acknowledging node's replication state sampled nearest the first and the last acknowledgement. */
  atFirstAck: Omit<NodeSample, 'at' | 'node'> | undefined;
  atLastAck: Omit<NodeSample, 'at' | 'node'> | undefined;
  /** Sentinel events from 2 s before the first to 2 s after the last acknowledgement, ms from the fault. */
  sentinelEvents: { ms: number; sentinel: string; event: string; detail: string }[];
}

const eventWindowMs = 2000;

function state(sample: NodeSample | undefined, since: number) {
  if (!sample) return undefined;
  const { at, node: _node, ...rest } = sample;
  return { ...rest, sampledMs: Math.round(at - since) };
}

export function lostStretches(
  lost: readonly AckedWrite[],
  nodes: readonly SentinelNode[],
  samples: readonly NodeSample[],
  events: readonly SentinelEvent[],
  since: number,
): LostStretch[] {
  const name = (port: number) => nodes.find((n) => n.proxyPort === port)?.name ?? `port ${port}`;
  const groups: AckedWrite[][] = [];
  for (const write of lost) {
    const last = groups.at(-1);
    const previous = last?.at(-1);
    if (last && previous && previous.proxyPort === write.proxyPort && write.index - previous.index <= 50)
      last.push(write);
    else groups.push([write]);
  }
  return groups.map((group) => {
    const first = group[0] as AckedWrite;
    const last = group.at(-1) as AckedWrite;
    const node = name(first.proxyPort);
    return {
      firstIndex: first.index,
      lastIndex: last.index,
      count: group.length,
      ackedBy: node,
      firstAckMs: Math.round(first.ackedAt - since),
      lastAckMs: Math.round(last.ackedAt - since),
      atFirstAck: state(sampleAt(samples, node, first.ackedAt), since),
      atLastAck: state(sampleAt(samples, node, last.ackedAt), since),
      sentinelEvents: events
        .filter((e) => e.at >= first.ackedAt - eventWindowMs && e.at <= last.ackedAt + eventWindowMs)
        .slice(0, 60)
        .map((e) => ({ ms: Math.round(e.at - since), sentinel: e.sentinel, event: e.event, detail: e.detail })),
    };
  });
}
