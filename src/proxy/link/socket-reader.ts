// Reads a socket into a reused buffer (net's `onread` option) instead of a fresh allocation per read.
import { Socket, type OnReadOpts } from 'node:net';

const readBufferBytes = 64 * 1024;

export class SocketReader {
  private buffer: Buffer = Buffer.allocUnsafeSlow(readBufferBytes);
  private listener: ((data: Buffer) => void) | null = null;

  /** Pass to net.connect(); the socket must stay paused until a listener is set. */
  readonly onread: OnReadOpts = {
    buffer: () => this.buffer,
    callback: (nread: number, buffer: Uint8Array): boolean => {
      this.listener?.((buffer as Buffer).subarray(0, nread));
      return true; // pausing goes through socket.pause()
    },
  };

  /** Where chunks go (null: dropped, the connection is gone). */
  listen(listener: ((data: Buffer) => void) | null): void {
    this.listener = listener;
  }

  /** The chunk just delivered stays referenced by its consumer: later reads go into a new buffer. */
  giveAway(): void {
    this.buffer = Buffer.allocUnsafeSlow(readBufferBytes);
  }
}

/** The internals of an accepted socket that adopting its handle touches (Node 24's net.Socket). */
interface AcceptedInternals {
  _handle: object | null;
  _server: unknown;
  server: unknown;
}

/**
 * A socket accepted by net.Server cannot be given `onread` (the server creates it), so its handle moves into a new
 * Socket that reads into `reader`. The new socket takes over the server's connection count (destroying it lets
 * server.close() finish, as the accepted one would have); the accepted object is left without a handle and must not
 * be used again. Falls back to the accepted socket itself if its internals are not as expected.
 */
export function adoptWithReader(accepted: Socket, reader: SocketReader): Socket {
  const inner = accepted as unknown as AcceptedInternals;
  const handle = inner._handle;
  if (handle === null || typeof handle !== 'object' || accepted.destroyed || accepted.connecting) return accepted;
  inner._handle = null;
  const adopted = new Socket({ handle: handle as never, onread: reader.onread, allowHalfOpen: accepted.allowHalfOpen });
  const adoptedInner = adopted as unknown as AcceptedInternals;
  adoptedInner._server = inner._server;
  adoptedInner.server = inner.server;
  return adopted;
}
