// One proxied TCP connection: client and upstream sockets joined by an upstream link and a downstream link.
import type { Socket } from 'node:net';
import { Link } from '../link/link.ts';
import { SocketReader, adoptWithReader } from '../link/socket-reader.ts';
import type { ToxicCollection } from '../toxics/toxic-collection.ts';
import { RespSession, type RedisRuleSet } from '../../resp/index.ts';

export class Connection {
  private readonly client: Socket;
  private readonly server: Socket;
  private readonly upstreamLink: Link;
  private readonly downstreamLink: Link;
  /** Set when a reset_peer toxic existed at accept time: every close of this connection is then an RST. */
  private readonly lingerZero: boolean;
  private openSockets = 2;

  /** Present when the proxy tracks Redis commands (RESP rules); the links then read and write through it. */
  private readonly resp: RespSession | undefined;

  constructor(
    accepted: Socket,
    server: Socket,
    serverReader: SocketReader,
    toxics: ToxicCollection,
    onClosed: (connection: Connection) => void,
    redisRules?: RedisRuleSet,
  ) {
    // Without RESP tracking the client socket is read into a reused buffer too (the RESP layer reads 'data' events).
    const tracking = redisRules?.tracking === true;
    const clientReader = tracking ? undefined : new SocketReader();
    const client = clientReader ? adoptWithReader(accepted, clientReader) : accepted;
    this.client = client;
    this.server = server;
    this.lingerZero = toxics.hasResetPeer('upstream') || toxics.hasResetPeer('downstream');
    const ignore = (): void => {};
    const closed = (): void => {
      if (--this.openSockets > 0) return;
      this.upstreamLink.destroy();
      this.downstreamLink.destroy();
      this.resp?.stop();
      toxics.detach(this.upstreamLink, 'upstream');
      toxics.detach(this.downstreamLink, 'downstream');
      onClosed(this);
    };
    for (const socket of [client, server]) {
      socket.on('error', ignore);
      socket.once('close', closed);
    }
    this.resp = tracking && redisRules ? new RespSession(client, redisRules, () => this.close()) : undefined;
    const reader = client === accepted ? undefined : clientReader;
    this.upstreamLink = new Link(
      { src: this.resp?.requests ?? client, dst: server, closeDst: () => this.closeSocket(server), reader },
      toxics.chain('upstream'),
    );
    this.downstreamLink = new Link(
      {
        src: server,
        dst: this.resp?.replies ?? client,
        closeDst: () => this.closeSocket(client),
        reader: serverReader,
      },
      toxics.chain('downstream'),
    );
    toxics.attach(this.upstreamLink, 'upstream');
    toxics.attach(this.downstreamLink, 'downstream');
    client.resume();
    server.resume();
  }

  /**
   * A full close, as Toxiproxy's Close(): queued bytes are flushed first, then the socket is gone for both
   * directions (so the other link ends too; TCP half-close is not carried through).
   */
  private closeSocket(socket: Socket): void {
    if (socket.destroyed) return;
    if (this.lingerZero) {
      socket.resetAndDestroy();
    } else if (socket.writableLength === 0) {
      socket.destroy();
    } else {
      socket.end(() => socket.destroy());
    }
  }

  /** Closes both sockets now (proxy disabled, changed or deleted). */
  close(): void {
    for (const socket of [this.server, this.client]) {
      if (socket.destroyed) continue;
      if (this.lingerZero) socket.resetAndDestroy();
      else socket.destroy();
    }
  }
}
