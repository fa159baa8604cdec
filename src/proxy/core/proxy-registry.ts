// Every proxy of one API server by name: create, replace (populate), delete and reset, with Toxiproxy's rules.
import { FaultProxy } from './fault-proxy.ts';
import { resolveTcpAddress } from './listen-address.ts';

export class ProxyRegistry {
  private readonly proxies = new Map<string, FaultProxy>();

  get(name: string): FaultProxy | undefined {
    return this.proxies.get(name);
  }

  /** Every proxy, sorted by name (Go marshals map keys sorted). */
  all(): FaultProxy[] {
    return [...this.proxies.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  has(name: string): boolean {
    return this.proxies.has(name);
  }

  /** Creates a proxy, started when `enabled`; nothing is registered if the listen fails. */
  async create(name: string, listen: string, upstream: string, enabled: boolean): Promise<FaultProxy> {
    const proxy = new FaultProxy(name, listen, upstream);
    if (enabled) await proxy.start();
    this.proxies.set(name, proxy);
    return proxy;
  }

  /**
   * Populate's AddOrReplace: an existing proxy with the same (resolved) listen and upstream is kept untouched,
   * toxics, connections and enabled state included; otherwise the old one stops and a fresh one replaces it.
   */
  async addOrReplace(name: string, listen: string, upstream: string, enabled: boolean): Promise<FaultProxy> {
    const existing = this.proxies.get(name);
    if (existing) {
      const resolvedListen = await resolveTcpAddress(listen).catch(() => listen);
      if (existing.listen === resolvedListen && existing.upstream === upstream) return existing;
      await existing.stop();
    }
    const proxy = new FaultProxy(name, listen, upstream);
    if (enabled) await proxy.start();
    this.proxies.set(name, proxy);
    return proxy;
  }

  async delete(proxy: FaultProxy): Promise<void> {
    this.proxies.delete(proxy.name);
    await proxy.stop();
  }

  /** Stops every proxy and forgets them all (used when the API server shuts down). */
  async clear(): Promise<void> {
    const all = [...this.proxies.values()];
    this.proxies.clear();
    await Promise.all(all.map((proxy) => proxy.stop()));
  }
}
