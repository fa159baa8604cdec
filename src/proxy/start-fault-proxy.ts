// Starts a Toxiproxy-compatible API server (and the proxies it manages) in this process.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { createApiServer } from './api/api-server.ts';
import { populate } from './api/admin-handlers.ts';
import { ProxyRegistry } from './core/proxy-registry.ts';

export interface FaultProxyOptions {
  /** API address; default 127.0.0.1 (loopback only). */
  host?: string;
  /** API port; default 0 = a free port. The standalone CLI uses 8474 like Toxiproxy. */
  port?: number;
  /** Proxies to create at start, in /populate format (`[{name, listen, upstream, enabled?}]`). */
  populate?: unknown[];
}

export interface StartedFaultProxy extends AsyncDisposable {
  readonly host: string;
  readonly port: number;
  /** `http://host:port`, for `new Toxiproxy(url)`. */
  readonly url: string;
  /** Closes the API, every proxy listener and every connection. Idempotent. */
  stop(): Promise<void>;
}

/** Raised when `populate` is rejected; `status` and `body` are what POST /populate would answer. */
export class PopulateError extends Error {
  readonly status: number;
  readonly body: string;
  constructor(status: number, body: string) {
    const detail = (JSON.parse(body) as { error?: string }).error ?? body;
    super(`populate failed (HTTP ${status}): ${detail}`);
    this.name = 'PopulateError';
    this.status = status;
    this.body = body;
  }
}

export async function startFaultProxy(options: FaultProxyOptions = {}): Promise<StartedFaultProxy> {
  const host = options.host ?? '127.0.0.1';
  const registry = new ProxyRegistry();
  if (options.populate) {
    const reply = await populate(registry, JSON.stringify(options.populate));
    if (reply.status !== 201) {
      await registry.clear();
      throw new PopulateError(reply.status, reply.body ?? '');
    }
  }
  const server = createApiServer(registry);
  // 0.0.0.0 as Go binds it: every address, IPv6 too (Node's default host is the dual-stack ::, 0.0.0.0 without IPv6)
  server.listen({ host: host === '0.0.0.0' ? undefined : host, port: options.port ?? 0, exclusive: true });
  try {
    await once(server, 'listening');
  } catch (error) {
    await registry.clear();
    throw error;
  }
  const port = (server.address() as AddressInfo).port;
  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      const closed = once(server, 'close');
      server.close();
      server.closeAllConnections();
      await Promise.all([closed, registry.clear()]);
    })();
    return stopping;
  };
  return {
    host,
    port,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    stop,
    [Symbol.asyncDispose]: stop,
  };
}
