// One named proxy: a listener that dials the upstream for each client, its live connections and its toxics.
import { createServer, connect, type Server, type Socket } from 'node:net';
import { once } from 'node:events';
import { Connection } from './connection.ts';
import { SocketReader } from '../link/socket-reader.ts';
import { AddressError, joinHostPort, resolveHost, splitHostPort } from './listen-address.ts';
import { ToxicCollection } from '../toxics/toxic-collection.ts';
import { RedisRuleSet } from '../../resp/index.ts';

const bindErrors: Record<string, string> = {
  EADDRINUSE: 'address already in use',
  EADDRNOTAVAIL: 'cannot assign requested address',
  EACCES: 'permission denied',
};

export class FaultProxy {
  readonly name: string;
  /** The requested address until started, then the bound one (`127.0.0.1:43117`, `[::]:8080`). */
  listen: string;
  upstream: string;
  enabled = false;
  readonly toxics = new ToxicCollection();
  /** cachequake extension: RESP rules for Redis links (connections accepted while tracking is on are parsed). */
  readonly redisRules = new RedisRuleSet();
  private server: Server | null = null;
  private readonly connections = new Set<Connection>();
  private readonly dialing = new Set<Socket>();

  constructor(name: string, listen: string, upstream: string) {
    this.name = name;
    this.listen = listen;
    this.upstream = upstream;
  }

  /** Binds the listen address (no-op when already listening); throws AddressError with Go's message. */
  async start(): Promise<void> {
    if (this.enabled) return;
    const { host, port } = splitHostPortForListen(this.listen);
    const resolved = await resolveHost(host).catch((error: unknown) => {
      throw new AddressError(`listen tcp: ${(error as Error).message}`);
    });
    // Go listens on every address, IPv6 too, for 0.0.0.0 as for "" (a dual-stack socket, reported as [::]:port)
    const ip = resolved === '0.0.0.0' ? '' : resolved;
    const server = createServer({ allowHalfOpen: true, pauseOnConnect: true, noDelay: true }, (client) =>
      this.accept(client),
    );
    server.listen({ host: ip === '' ? undefined : ip, port, exclusive: true, backlog: 2048 }); // bursts of connects (pools, tests) overflow Node's default 511
    try {
      await once(server, 'listening');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      throw new AddressError(
        `listen tcp ${joinHostPort(ip, port)}: bind: ${bindErrors[code] ?? (error as Error).message}`,
        { cause: error },
      );
    }
    const address = server.address();
    const boundPort = typeof address === 'object' && address ? address.port : port;
    this.listen = joinHostPort(ip === '' ? '::' : ip, boundPort);
    this.server = server;
    this.enabled = true;
  }

  /** Closes the listener and every live connection (peers see FIN, or RST under reset_peer). */
  async stop(): Promise<void> {
    this.enabled = false;
    const server = this.server;
    this.server = null;
    for (const socket of this.dialing) socket.destroy();
    this.dialing.clear();
    for (const connection of this.connections) connection.close();
    this.connections.clear();
    if (server) {
      const closed = once(server, 'close');
      server.close();
      await closed;
    }
  }

  private accept(client: Socket): void {
    client.on('error', () => {});
    let target;
    try {
      target = splitHostPort(this.upstream);
    } catch {
      client.destroy();
      return;
    }
    // Dial per client, as Toxiproxy does; a failed dial means the client was accepted and is then closed.
    const reader = new SocketReader();
    const server = connect({
      host: target.host || 'localhost',
      port: target.port,
      allowHalfOpen: true,
      noDelay: true,
      onread: reader.onread,
    });
    server.pause();
    this.dialing.add(client);
    const dialFailed = (): void => {
      this.dialing.delete(client);
      client.destroy();
    };
    const clientGone = (): void => {
      server.destroy();
    };
    server.once('error', dialFailed);
    client.once('close', clientGone);
    server.once('connect', () => {
      server.off('error', dialFailed);
      client.off('close', clientGone);
      if (!this.dialing.delete(client) || client.destroyed) {
        server.destroy();
        client.destroy();
        return;
      }
      const connection = new Connection(
        client,
        server,
        reader,
        this.toxics,
        (done) => this.connections.delete(done),
        this.redisRules,
      );
      this.connections.add(connection);
    });
  }
}

function splitHostPortForListen(listen: string): { host: string; port: number } {
  try {
    return splitHostPort(listen);
  } catch (error) {
    throw new AddressError(`listen tcp: ${(error as Error).message}`);
  }
}
