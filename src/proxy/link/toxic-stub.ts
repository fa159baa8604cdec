// One toxic running on one link: reads its input channel, writes its output, and can be interrupted and restarted.
import type { Channel, Chunk, ChannelItem, EOF } from './channel.ts';

/** setTimeout's ceiling: longer waits (Go would wait for years) are capped here instead of firing at once. */
const maxTimerMs = 2 ** 31 - 1;

export const INTERRUPTED: unique symbol = Symbol('interrupted');
export const TIMED_OUT: unique symbol = Symbol('timed-out');
export type ReadResult = Chunk | typeof EOF | typeof INTERRUPTED | typeof TIMED_OUT;

/** What a stub needs from its link: byte accounting for data a toxic drops. */
export interface StubHost {
  dropped(byteCount: number): void;
}

export class ToxicStub {
  readonly input: Channel;
  output: Channel;
  /** Per-link state of a stateful toxic (limit_data); survives restarts. */
  state: unknown = undefined;
  /** True while the toxic itself (not a noop stand-in drawn by toxicity) runs. */
  active = false;
  running: Promise<void> | null = null;
  private closedFlag = false;
  private interruptRequested = false;
  private killed = false;
  private wake: (() => void) | null = null;
  private readonly host: StubHost;

  constructor(input: Channel, output: Channel, host: StubHost) {
    this.input = input;
    this.output = output;
    this.host = host;
  }

  get closed(): boolean {
    return this.closedFlag;
  }

  /** True once an interrupt was requested or the link was destroyed: the toxic must return. */
  get interrupted(): boolean {
    return this.interruptRequested || this.killed;
  }

  /** Next input item; INTERRUPTED when asked to stop; TIMED_OUT after `timeoutMs` without input. */
  read(timeoutMs?: number): Promise<ReadResult> | ReadResult {
    if (this.interrupted) return INTERRUPTED;
    const ready = this.input.takeNow();
    if (ready !== undefined) return ready;
    return new Promise<ReadResult>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const finish = (result: ReadResult): void => {
        if (timer) clearTimeout(timer);
        this.input.cancelWait();
        this.wake = null;
        resolve(result);
      };
      this.input.wait((item: ChannelItem) => finish(item));
      this.wake = () => finish(INTERRUPTED);
      if (timeoutMs !== undefined)
        timer = setTimeout(() => finish(TIMED_OUT), Math.min(maxTimerMs, Math.max(0, timeoutMs)));
    });
  }

  /** Waits `ms`; resolves false if interrupted first. `uninterruptible` waits only end early when the link dies. */
  sleep(ms: number, uninterruptible = false): Promise<boolean> {
    if (this.killed || (!uninterruptible && this.interruptRequested)) return Promise.resolve(false);
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(
        () => {
          this.wake = null;
          resolve(true);
        },
        Math.min(maxTimerMs, Math.max(0, ms)),
      );
      this.wake = () => {
        if (uninterruptible && !this.killed) return;
        clearTimeout(timer);
        this.wake = null;
        resolve(false);
      };
    });
  }

  send(chunk: Chunk): void {
    this.output.push(chunk);
  }

  /** Data a toxic throws away (timeout, limit_data, reset_peer) still counts as leaving the link. */
  drop(byteCount: number): void {
    if (byteCount > 0) this.host.dropped(byteCount);
  }

  /** Ends this stub's output: everything after it sees EOF and the link closes. */
  close(): void {
    if (this.closedFlag) return;
    this.closedFlag = true;
    this.output.end();
  }

  /** Asks the running toxic to return and waits for it; false if the stub had closed. */
  async interrupt(): Promise<boolean> {
    if (this.closedFlag || this.killed) return false;
    this.interruptRequested = true;
    this.wake?.();
    try {
      await this.running;
    } finally {
      this.interruptRequested = false;
    }
    return !this.closedFlag && !this.killed;
  }

  /** The link is gone: every wait ends now and no toxic runs again. */
  kill(): void {
    this.killed = true;
    this.wake?.();
  }
}
