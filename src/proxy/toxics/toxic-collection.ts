// The toxics of one proxy: an ordered chain per direction, applied to new connections and to every live link.
import type { Link } from '../link/link.ts';
import type { Direction, ToxicEntry } from './toxic-entry.ts';
import type { ToxicAttributes } from './toxic-kind.ts';

export class ToxicCollection {
  private readonly chains: Record<Direction, ToxicEntry[]> = { upstream: [], downstream: [] };
  private readonly links: Record<Direction, Set<Link>> = { upstream: new Set(), downstream: new Set() };

  /** Upstream toxics first, then downstream, each in chain order (as Toxiproxy lists them). */
  list(): ToxicEntry[] {
    return [...this.chains.upstream, ...this.chains.downstream];
  }

  find(name: string): ToxicEntry | undefined {
    return this.list().find((entry) => entry.name === name);
  }

  /** A snapshot of one direction's chain, for a link being created. */
  chain(direction: Direction): readonly ToxicEntry[] {
    return [...this.chains[direction]];
  }

  /** True if a reset_peer toxic is in the chain now (connections accepted now get SO_LINGER 0). */
  hasResetPeer(direction: Direction): boolean {
    return this.chains[direction].some((entry) => entry.kind.type === 'reset_peer');
  }

  attach(link: Link, direction: Direction): void {
    this.links[direction].add(link);
  }

  detach(link: Link, direction: Direction): void {
    this.links[direction].delete(link);
  }

  async add(entry: ToxicEntry): Promise<void> {
    this.chains[entry.direction].push(entry);
    await Promise.all([...this.links[entry.direction]].map((link) => link.addToxic(entry)));
  }

  /** Merges attributes into the toxic and restarts it on every live link of its direction. */
  async update(entry: ToxicEntry, attributes: ToxicAttributes, toxicity: number): Promise<void> {
    entry.attributes = attributes;
    entry.toxicity = toxicity;
    await Promise.all([...this.links[entry.direction]].map((link) => link.updateToxic(entry)));
  }

  async remove(entry: ToxicEntry): Promise<void> {
    const chain = this.chains[entry.direction];
    const index = chain.indexOf(entry);
    if (index < 0) return;
    chain.splice(index, 1);
    await Promise.all([...this.links[entry.direction]].map((link) => link.removeToxic(entry)));
  }

  async removeAll(): Promise<void> {
    for (const entry of this.list()) await this.remove(entry);
  }
}
