// The fault proxy of one experiment: the embedded Toxiproxy-compatible server, or a real Toxiproxy at TOXIPROXY_URL.
import { Toxiproxy, type Proxy } from 'toxiproxy-node-client';
import { environmentError } from '../errors/index.ts';
import { startFaultProxy } from '../proxy/index.ts';

export interface ProxyLinks {
  readonly url: string;
  readonly client: Toxiproxy;
  readonly embedded: boolean;
  /**
   * Creates a link `listen 127.0.0.1:0 → upstream`; returns the proxy with its real listen address. `redis` links
   * (the one named `redis`, or `resp: 'track'`) are RESP-tracked; `resp: 'cluster'` also rewrites cluster addresses.
   */
  add(name: string, upstream: string, options?: LinkOptions): Promise<Proxy>;
  stop(): Promise<void>;
}

export interface LinkOptions {
  /**
   * track: RESP rules reach it from the first connection on; cluster: that, and CLUSTER SLOTS/SHARDS/NODES and
   * MOVED/ASK rewritten to proxied addresses.
   */
  resp?: 'track' | 'cluster';
}

export async function startProxyLinks(prefix: string, externalUrl = process.env.TOXIPROXY_URL): Promise<ProxyLinks> {
  const embedded = externalUrl ? undefined : await startFaultProxy();
  const url = externalUrl ?? (embedded as { url: string }).url;
  const client = new Toxiproxy(url);
  if (externalUrl) {
    try {
      await client.getVersion();
    } catch (cause) {
      throw environmentError(
        'CQ_TOXIPROXY_UNREACHABLE',
        `TOXIPROXY_URL is set to ${externalUrl}, but no Toxiproxy answers there.`,
        {
          cause,
          hint: 'Start Toxiproxy (or `cachequake proxy --port 8474`), fix the URL, or unset TOXIPROXY_URL to use the embedded proxy.',
        },
      );
    }
  }
  const created: Proxy[] = [];
  return {
    url,
    client,
    embedded: !externalUrl,
    async add(name, upstream, options) {
      const proxy = await client.createProxy({ name: `${prefix}${name}`, listen: '127.0.0.1:0', upstream });
      created.push(proxy);
      // The embedded proxy parses Redis links from the first connection on, so RESP rules reach pooled connections too.
      const resp = options?.resp ?? (name === 'redis' ? 'track' : undefined);
      if (embedded && resp) await armRespTracking(url, proxy.name, resp === 'cluster');
      return proxy;
    },
    async stop() {
      if (embedded) return embedded.stop();
      // a real Toxiproxy outlives us: remove what this run created
      await Promise.allSettled(created.map((p) => p.remove()));
    },
  };
}

async function armRespTracking(url: string, proxyName: string, rewriteAddresses: boolean): Promise<void> {
  const body = rewriteAddresses ? '{"rules":[],"rewriteAddresses":true}' : '{"rules":[]}';
  const response = await fetch(`${url}/proxies/${encodeURIComponent(proxyName)}/redis-rules`, { method: 'POST', body });
  if (!response.ok)
    throw environmentError(
      'CQ_RESP_TRACKING',
      `the embedded fault proxy refused RESP tracking for ${proxyName}: HTTP ${response.status} ${await response.text()}`,
    );
}

/** The port a link listens on, from Toxiproxy's `listen` (`127.0.0.1:4711`, `[::]:4711`). */
export function linkPort(proxy: Proxy): number {
  return Number(proxy.listen.slice(proxy.listen.lastIndexOf(':') + 1));
}
