// CLUSTER NODES text as records: id, address, role flags, primary id, link state and slots of every node a node knows.

export interface ClusterNodeLine {
  id: string;
  /** host:port (the bus port and hostname dropped). */
  address: string;
  port: number;
  flags: string[];
  /** The primary's id for a replica, undefined for a primary. */
  primaryId: string | undefined;
  connected: boolean;
  /** Slot ranges served, e.g. [[0, 5460]] (migrating/importing markers left out). */
  slots: [number, number][];
  /** True when this node is primary now and not failed. */
  isPrimary: boolean;
  /** Flagged fail or pfail by the node that answered. */
  failing: boolean;
  myself: boolean;
}

export function parseClusterNodes(text: string): ClusterNodeLine[] {
  const nodes: ClusterNodeLine[] = [];
  for (const line of text.split('\n')) {
    const fields = line.trim().split(' ');
    if (fields.length < 8) continue;
    const [id, addressField, flagField, primary, , , , linkState, ...slotFields] = fields as [
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      ...string[],
    ];
    const address = addressField.split('@')[0] ?? '';
    const flags = flagField.split(',');
    const slots: [number, number][] = [];
    for (const field of slotFields) {
      if (field.startsWith('[')) continue;
      const [from, to] = field.split('-');
      const start = Number(from);
      const end = to === undefined ? start : Number(to);
      if (Number.isInteger(start) && Number.isInteger(end)) slots.push([start, end]);
    }
    const failing = flags.includes('fail') || flags.includes('fail?');
    nodes.push({
      id,
      address,
      port: Number(address.slice(address.lastIndexOf(':') + 1)),
      flags,
      primaryId: primary === '-' ? undefined : primary,
      connected: linkState === 'connected',
      slots,
      isPrimary: flags.includes('master') && !failing,
      failing,
      myself: flags.includes('myself'),
    });
  }
  return nodes;
}

/** How many slots a list of ranges covers. */
export function slotCount(ranges: readonly [number, number][]): number {
  return ranges.reduce((sum, [from, to]) => sum + to - from + 1, 0);
}

/** The slot ranges of each of `shards` primaries: 16384 slots split as evenly as possible. */
export function slotRanges(shards: number): [number, number][] {
  const ranges: [number, number][] = [];
  for (let i = 0; i < shards; i++)
    ranges.push([Math.floor((i * 16384) / shards), Math.floor(((i + 1) * 16384) / shards) - 1]);
  return ranges;
}
