// The cluster as its live nodes see it: CLUSTER NODES and CLUSTER INFO read with a timeout, each shard's primary and
// replicas, and why the cluster is not healthy yet.
import { environmentError } from '../../../errors/index.ts';
import { within } from '../../within.ts';
import type { ClusterHealth, ShardRoles } from './cluster-control.ts';
import { parseClusterNodes, type ClusterNodeLine } from './cluster-nodes.ts';
import type { Node } from './cluster-processes.ts';

/** A node that does not answer an admin query within this is treated as unreachable (frozen, killed). */
const queryTimeoutMs = 1000;

export class ClusterView {
  readonly #nodes: readonly Node[];
  readonly #shards: number;

  constructor(nodes: readonly Node[], shards: number) {
    this.#nodes = nodes;
    this.#shards = shards;
  }

  /** The primary and replicas of a shard as the first live node that answers sees them now. */
  async roles(shard: number): Promise<ShardRoles> {
    return this.#rolesIn(await this.#anyView(), shard);
  }

  /** The slot ranges a node serves, as the live nodes agree. */
  async slotsOf(node: Node): Promise<[number, number][]> {
    return (await this.#anyView()).find((line) => line.id === node.id)?.slots ?? [];
  }

  /**
   * Polls until every live node reports cluster_state:ok, sees every shard served by a live primary and no live node
   * failing (and `check`, when given, finds nothing wrong), or `timeoutMs` passes.
   */
  async waitHealthy(timeoutMs: number, check?: () => Promise<string | undefined>): Promise<ClusterHealth> {
    const began = performance.now();
    let reason = 'not checked yet';
    for (let round = 0; performance.now() - began < timeoutMs && round < 10_000; round++) {
      reason = (await this.#unhealthy()) ?? (await check?.()) ?? '';
      if (reason === '') return { ok: true, reason: '', elapsedMs: Math.round(performance.now() - began) };
      await new Promise((r) => setTimeout(r, 25));
    }
    return { ok: false, reason, elapsedMs: Math.round(performance.now() - began) };
  }

  #live(): Node[] {
    return this.#nodes.filter((node) => !node.down);
  }

  #byId(id: string): Node | undefined {
    return this.#nodes.find((node) => node.id === id);
  }

  async #view(node: Node): Promise<ClusterNodeLine[] | undefined> {
    const text = await within(
      node.current.admin.call('CLUSTER', 'NODES').catch(() => undefined),
      queryTimeoutMs,
    );
    return text === undefined ? undefined : parseClusterNodes(String(text));
  }

  /** The first live node's view that answers. */
  async #anyView(): Promise<ClusterNodeLine[]> {
    for (const node of this.#live()) {
      const lines = await this.#view(node);
      if (lines) return lines;
    }
    throw environmentError('CQ_CLUSTER_UNREACHABLE', 'no cluster node answered CLUSTER NODES.', {
      hint: 'Every node is killed or frozen.',
    });
  }

  #rolesIn(lines: ClusterNodeLine[], shard: number): ShardRoles {
    const members = this.#nodes.filter((node) => node.shard === shard);
    const lineOf = (node: Node) => lines.find((line) => line.id === node.id);
    const primary =
      members.find((node) => !node.down && lineOf(node)?.isPrimary && (lineOf(node)?.slots.length ?? 0) > 0) ??
      members.find((node) => !node.down && lineOf(node)?.isPrimary);
    return { primary, replicas: members.filter((node) => node !== primary && lineOf(node)?.primaryId !== undefined) };
  }

  /** Why the cluster is not healthy, or undefined when it is. */
  async #unhealthy(): Promise<string | undefined> {
    let agreed: string | undefined;
    for (const node of this.#live()) {
      const info = await within(
        node.current.admin.call('CLUSTER', 'INFO').catch(() => undefined),
        queryTimeoutMs,
      );
      if (info === undefined) return `node ${node.index} does not answer`;
      if (!String(info).includes('cluster_state:ok'))
        return `node ${node.index}: ${/cluster_state:\w+/.exec(String(info))?.[0] ?? 'no cluster_state'}`;
      const lines = await this.#view(node);
      if (!lines) return `node ${node.index} does not answer CLUSTER NODES`;
      const failing = lines.find((line) => line.failing && !this.#byId(line.id)?.down);
      if (failing) return `node ${node.index} sees node ${this.#byId(failing.id)?.index ?? failing.id} as failing`;
      const primaries: string[] = [];
      for (let shard = 0; shard < this.#shards; shard++) {
        const primary = this.#rolesIn(lines, shard).primary;
        if (!primary) return `node ${node.index} sees no live primary for shard ${shard}`;
        primaries.push(primary.id);
      }
      const key = primaries.join(',');
      if (agreed !== undefined && key !== agreed) return `nodes disagree on the primaries`;
      agreed = key;
    }
    return undefined;
  }
}
