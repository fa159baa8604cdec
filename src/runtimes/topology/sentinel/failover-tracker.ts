// Who the primary is and when it moved: every sentinel's events, +switch-master followed, GET-MASTER-ADDR-BY-NAME as
// the fallback, and the forced failover.
import { environmentError } from '../../../errors/index.ts';
import type { SentinelNode } from './sentinel-control.ts';
import { SentinelEventLog } from './sentinel-events.ts';
import type { StartedSentinel } from './sentinel-process.ts';

/**
 * How long a moved primary waits for its +switch-master before the switch counts without it (a reconnected subscriber).
 */
const switchEventGraceMs = 5000;

export class FailoverTracker<N extends SentinelNode> {
  readonly events = new SentinelEventLog();
  readonly #masterName: string;
  readonly #nodes: readonly N[];
  readonly #sentinels: readonly StartedSentinel[];
  #primaryIndex = 0;

  /** `nodes` and `sentinels` are read as they are at each call (the lists fill while the topology starts). */
  constructor(masterName: string, nodes: readonly N[], sentinels: readonly StartedSentinel[]) {
    this.#masterName = masterName;
    this.#nodes = nodes;
    this.#sentinels = sentinels;
  }

  /** The primary as the sentinels announced it last (+switch-master moves it); redis-0 until the first switch. */
  primaryNode(): N {
    return this.#nodes[this.#primaryIndex] as N;
  }

  /** Subscribes to each sentinel's events (straight, not through its link) and follows +switch-master from now on. */
  async watch(sentinels: readonly { name: string; port: number }[]): Promise<void> {
    await Promise.all(sentinels.map((s) => this.events.watch(s.name, s.port)));
    this.events.listen((event) => {
      if (event.event !== '+switch-master') return;
      // +switch-master <name> <old ip> <old port> <new ip> <new port>
      const parts = event.detail.split(' ');
      const to = parts[0] === this.#masterName ? this.#byProxyPort(Number(parts[4])) : undefined;
      if (to) this.#primaryIndex = to.index;
    });
  }

  /** SENTINEL GET-MASTER-ADDR-BY-NAME from the first sentinel that answers within 500 ms, as a node. */
  async askPrimary(): Promise<N | undefined> {
    for (const sentinel of this.#sentinels) {
      if (sentinel.exited) continue;
      const reply = await Promise.race([
        sentinel.admin.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', this.#masterName).catch(() => undefined),
        new Promise<undefined>((r) => setTimeout(() => r(undefined), 500).unref()),
      ]);
      if (Array.isArray(reply) && reply.length === 2) return this.#byProxyPort(Number(reply[1]));
    }
    return undefined;
  }

  /** Asks the sentinels and takes their answer as the primary (a subscriber may have missed a +switch-master). */
  async refreshPrimary(): Promise<N> {
    const announced = await this.askPrimary();
    if (announced && announced !== this.primaryNode()) this.#primaryIndex = announced.index;
    return this.primaryNode();
  }

  /** SENTINEL FAILOVER on the first sentinel that accepts it; its reply. */
  async failover(): Promise<string> {
    let lastError: unknown;
    for (const sentinel of this.#sentinels) {
      try {
        return String(await sentinel.admin.call('SENTINEL', 'FAILOVER', this.#masterName));
      } catch (error) {
        lastError = error;
      }
    }
    throw environmentError(
      'CQ_SENTINEL_FAILOVER_REFUSED',
      `no sentinel accepted SENTINEL FAILOVER ${this.#masterName}: ${lastError instanceof Error ? lastError.message : String(lastError)}.`,
      {
        hint: 'A failover needs a healthy replica (in sync, not just restarted) and no failover in progress; space failover faults a few seconds apart.',
      },
    );
  }

  /**
   * Waits until a +switch-master away from `from` moved the primary; the new primary and when the switch arrived, or
   * undefined after timeoutMs.
   */
  async waitForSwitch(from: SentinelNode, timeoutMs: number): Promise<{ to: N; at: number } | undefined> {
    const deadline = performance.now() + timeoutMs;
    let switchedAt: number | undefined;
    const unlisten = this.events.listen((event) => {
      if (event.event === '+switch-master' && switchedAt === undefined) switchedAt = event.at;
    });
    try {
      let nextAsk = performance.now() + 250;
      let movedAt: number | undefined;
      while (performance.now() < deadline) {
        if (this.primaryNode() !== from) {
          // GET-MASTER-ADDR-BY-NAME names the promoted replica already while the failover reconfigures the other
          // replicas; the failover is over at +switch-master. Wait for it, unless the subscriber missed it.
          movedAt ??= performance.now();
          if (switchedAt !== undefined || performance.now() - movedAt > switchEventGraceMs)
            return { to: this.primaryNode(), at: switchedAt ?? movedAt };
        }
        if (performance.now() >= nextAsk) {
          // the event stream is the fast path; asking covers a subscriber that reconnected in the middle
          nextAsk = performance.now() + 250;
          const announced = await this.askPrimary();
          if (announced && announced !== from) this.#primaryIndex = announced.index;
        }
        await new Promise((r) => setTimeout(r, 10));
      }
      return undefined;
    } finally {
      unlisten();
    }
  }

  close(): void {
    this.events.close();
  }

  #byProxyPort(port: number): N | undefined {
    return this.#nodes.find((n) => n.proxyPort === port);
  }
}
