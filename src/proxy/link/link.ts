// One direction of a proxied connection: a fast pipe while no toxic is active, the toxic chain otherwise, switched
// live.
import { Channel, EOF, type ChannelItem } from './channel.ts';
import { ToxicStub } from './toxic-stub.ts';
import { noopPipe } from '../toxics/noop.ts';
import { drawsToxic, type ToxicEntry } from '../toxics/toxic-entry.ts';
import type { SocketReader } from './socket-reader.ts';

/** Bytes a toxic chain may hold before the source socket is paused (latency pipelining needs room). */
const highWaterBytes = 16 * 1024 * 1024;

/** What a link reads: a socket, or the RESP layer's request gate in front of one. */
export interface LinkSource {
  on(event: 'data', listener: (data: Buffer) => void): unknown;
  on(event: 'end' | 'close', listener: () => void): unknown;
  off(event: 'data', listener: (data: Buffer) => void): unknown;
  pause(): unknown;
  resume(): unknown;
  isPaused(): boolean;
}

/** What a link writes: a socket, or the RESP layer's reply gate in front of one. */
export interface LinkSink {
  write(data: Buffer): boolean;
  on(event: 'drain', listener: () => void): unknown;
  off(event: 'drain', listener: () => void): unknown;
  readonly writableNeedDrain: boolean;
  /** Bytes the sink still holds; a sink without it (the RESP reply gate) may keep any chunk it is given. */
  readonly writableLength?: number;
  readonly destroyed: boolean;
}

export interface LinkEnds {
  /** The socket this link reads. */
  src: LinkSource;
  /** The socket this link writes. */
  dst: LinkSink;
  /** Closes `dst` fully (FIN, or RST when the connection has linger 0). */
  closeDst(): void;
  /**
   * When `src` is read into a reused buffer: chunks come from here instead of 'data', valid only until the next read.
   */
  reader?: SocketReader;
}

export class Link {
  private readonly src: LinkSource;
  private readonly dst: LinkSink;
  private readonly closeDstSocket: () => void;
  private readonly reader: SocketReader | null;
  /** stubs[0] is a hidden noop; stubs[i + 1] runs chain[i]. Null until a toxic first applies. */
  private stubs: ToxicStub[] | null = null;
  private entries: (ToxicEntry | null)[] = [null];
  private sinkChannel: Channel | null = null;
  private inflightBytes = 0;
  private activeToxics = 0;
  private eofSeen = false;
  private dstClosed = false;
  private destroyed = false;
  private drainWaiter: (() => void) | null = null;
  private readonly host = { dropped: (byteCount: number) => this.release(byteCount) };

  constructor(ends: LinkEnds, chain: readonly ToxicEntry[]) {
    this.src = ends.src;
    this.dst = ends.dst;
    this.closeDstSocket = ends.closeDst;
    this.reader = ends.reader ?? null;
    if (chain.length > 0) {
      this.buildChain();
      for (const entry of chain) this.appendStub(entry);
      for (let i = 0; i < (this.stubs as ToxicStub[]).length; i++) this.startStub(i);
    }
    if (this.reader) this.reader.listen(this.onData);
    else this.src.on('data', this.onData);
    this.src.on('end', this.onEof);
    this.src.on('close', this.onEof);
    this.dst.on('drain', this.onDrain);
  }

  private readonly onData = (data: Buffer): void => {
    if (this.activeToxics === 0 && this.inflightBytes === 0) {
      // Fast path: no toxic applies and nothing is queued, so write straight through with backpressure.
      if (this.reader === null) {
        if (!this.dst.write(data)) this.src.pause();
        return;
      }
      // A reused read buffer: the sink must not keep it. Bytes already queued there mean this chunk queues too
      // (copy it); if a direct write is left incomplete, the sink keeps the buffer and later reads get a new one.
      const queued = this.dst.writableLength;
      const more = this.dst.write(queued === 0 ? data : Buffer.from(data));
      if (queued === 0 && this.dst.writableLength !== 0) this.reader.giveAway();
      if (!more) this.src.pause();
      return;
    }
    if (this.eofSeen || this.destroyed) return;
    if (this.reader) data = Buffer.from(data);
    const stubs = this.stubs as ToxicStub[];
    this.inflightBytes += data.length;
    (stubs[0] as ToxicStub).input.push({ data, timestampMs: performance.now() });
    if (this.inflightBytes >= highWaterBytes) this.src.pause();
  };

  private readonly onEof = (): void => {
    if (this.eofSeen) return;
    this.eofSeen = true;
    if (this.stubs === null || (this.activeToxics === 0 && this.inflightBytes === 0)) {
      this.finish();
      return;
    }
    (this.stubs[0] as ToxicStub).input.end();
  };

  private readonly onDrain = (): void => {
    const waiter = this.drainWaiter;
    this.drainWaiter = null;
    waiter?.();
    this.maybeResume();
  };

  private maybeResume(): void {
    if (this.inflightBytes < highWaterBytes && !this.dst.writableNeedDrain && this.src.isPaused() && !this.destroyed)
      this.src.resume();
  }

  private release(byteCount: number): void {
    this.inflightBytes -= byteCount;
    if (this.inflightBytes < highWaterBytes) this.maybeResume();
  }

  private finish(): void {
    if (this.dstClosed) return;
    this.dstClosed = true;
    this.closeDstSocket();
  }

  private buildChain(): void {
    this.sinkChannel = new Channel();
    this.stubs = [new ToxicStub(new Channel(), this.sinkChannel, this.host)];
    this.entries = [null];
    void this.runSink(this.sinkChannel);
  }

  private appendStub(entry: ToxicEntry): ToxicStub {
    const stubs = this.stubs as ToxicStub[];
    const stub = new ToxicStub(new Channel(), this.sinkChannel as Channel, this.host);
    const last = stubs[stubs.length - 1] as ToxicStub;
    last.output = stub.input;
    stub.state = entry.kind.newState?.();
    stubs.push(stub);
    this.entries.push(entry);
    return stub;
  }

  private startStub(index: number): void {
    const stub = (this.stubs as ToxicStub[])[index] as ToxicStub;
    const entry = this.entries[index];
    if (this.destroyed || stub.closed) return;
    const applies = entry !== null && entry !== undefined && entry.kind.type !== 'noop' && drawsToxic(entry.toxicity);
    this.setActive(stub, applies);
    const run = applies ? entry.kind.pipe(stub, { ...entry.attributes }) : noopPipe(stub);
    stub.running = run.then(
      () => this.setActive(stub, false),
      () => this.setActive(stub, false),
    );
  }

  private setActive(stub: ToxicStub, active: boolean): void {
    if (stub.active === active) return;
    stub.active = active;
    this.activeToxics += active ? 1 : -1;
  }

  private async runSink(channel: Channel): Promise<void> {
    for (;;) {
      let item: ChannelItem | undefined = channel.takeNow();
      if (item === undefined) item = await new Promise<ChannelItem>((resolve) => channel.wait(resolve));
      if (this.destroyed) return;
      if (item === EOF) {
        this.finish();
        return;
      }
      this.inflightBytes -= item.data.length;
      const flushed = this.dstClosed || this.dst.destroyed ? true : this.dst.write(item.data);
      if (this.inflightBytes < highWaterBytes) this.maybeResume();
      if (!flushed && !this.destroyed) await new Promise<void>((resolve) => (this.drainWaiter = resolve));
    }
  }

  /** Appends a toxic to this live link (Toxiproxy's AddToxic: the previous last stub restarts too). */
  async addToxic(entry: ToxicEntry): Promise<void> {
    if (this.destroyed || this.dstClosed || this.entries.includes(entry)) return;
    if (this.stubs === null) {
      this.buildChain();
      this.startStub(0);
    }
    const stubs = this.stubs as ToxicStub[];
    const previous = stubs[stubs.length - 1] as ToxicStub;
    const previousRunning = await previous.interrupt();
    const stub = this.appendStub(entry);
    if (!previousRunning) {
      // The link already closed past this point: the new stub is closed as well.
      previous.output = stub.output;
      stub.close();
      return;
    }
    this.startStub(stubs.length - 1);
    this.startStub(stubs.length - 2);
  }

  /** Restarts a toxic with its new attributes and a fresh toxicity draw. */
  async updateToxic(entry: ToxicEntry): Promise<void> {
    const index = this.entries.indexOf(entry);
    const stub = index >= 1 ? this.stubs?.[index] : undefined;
    if (!stub || this.destroyed) return;
    if (await stub.interrupt()) this.startStub(index);
  }

  /** Removes a toxic: its buffered data flows on, its predecessor restarts. */
  async removeToxic(entry: ToxicEntry): Promise<void> {
    const index = this.entries.indexOf(entry);
    if (index < 1) return;
    const stubs = this.stubs;
    const stub = stubs?.[index];
    if (!stubs || !stub || this.destroyed) return;
    if (await stub.interrupt()) entry.kind.cleanup?.(stub);
    const previous = stubs[index - 1] as ToxicStub;
    if (!stub.closed) {
      await previous.interrupt();
      // Whatever the removed toxic had queued moves on in order (the previous stub's EOF included).
      for (const chunk of stub.input.takeAll()) stub.output.push(chunk);
      if (stub.input.isEnded) stub.close();
      previous.output = stub.output;
    }
    stubs.splice(index, 1);
    this.entries.splice(index, 1);
    this.setActive(stub, false);
    if (!stub.closed && !previous.closed) this.startStub(index - 1);
  }

  /** The connection is gone: stop every toxic and timer; nothing is written any more. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.src.off('data', this.onData);
    this.reader?.listen(null);
    this.dst.off('drain', this.onDrain);
    for (const stub of this.stubs ?? []) {
      stub.kill();
      stub.input.clear();
    }
    this.sinkChannel?.end();
    this.drainWaiter?.();
  }
}
