// A one-reader FIFO of chunks between two stages of a toxic chain; its end (EOF) is sticky, like a closed Go channel.

/** Bytes read from a socket, stamped with the time they were read (performance.now() ms). */
export interface Chunk {
  data: Buffer;
  timestampMs: number;
}

export const EOF: unique symbol = Symbol('eof');
export type ChannelItem = Chunk | typeof EOF;

export class Channel {
  private items: Chunk[] = [];
  private ended = false;
  private waiter: ((item: ChannelItem) => void) | null = null;

  get length(): number {
    return this.items.length;
  }

  push(chunk: Chunk): void {
    const waiter = this.waiter;
    if (waiter) {
      this.waiter = null;
      waiter(chunk);
    } else {
      this.items.push(chunk);
    }
  }

  /** Marks the end of the stream; readers see EOF after the queued chunks, forever. */
  end(): void {
    this.ended = true;
    const waiter = this.waiter;
    if (waiter && this.items.length === 0) {
      this.waiter = null;
      waiter(EOF);
    }
  }

  get isEnded(): boolean {
    return this.ended;
  }

  /** The next item if one is ready, else undefined. */
  takeNow(): ChannelItem | undefined {
    if (this.items.length > 0) return this.items.shift();
    return this.ended ? EOF : undefined;
  }

  /** Registers the single reader's callback for the next item; replaced by cancelWait(). */
  wait(callback: (item: ChannelItem) => void): void {
    this.waiter = callback;
  }

  cancelWait(): void {
    this.waiter = null;
  }

  /** Takes every queued chunk at once (used when a toxic is removed and its buffer flushes onward). */
  takeAll(): Chunk[] {
    const all = this.items;
    this.items = [];
    return all;
  }

  /** Drops everything (the connection is gone). */
  clear(): void {
    this.items = [];
    this.waiter = null;
  }
}
