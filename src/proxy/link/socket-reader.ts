// Reads a socket into a reused buffer (net's `onread` option) instead of a fresh allocation per read.
import type { OnReadOpts } from 'node:net';

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
