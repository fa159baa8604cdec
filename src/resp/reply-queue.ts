// The replies a client is owed, in request order: server replies passed through, injected errors, held, dropped or a
// close.
import type { RedisRule } from './redis-rule.ts';

/**
 * pass: `count` forwarded commands in a row; raw: everything from here on passes unparsed (SUBSCRIBE, MONITOR, a
 * protocol error); rewrite: one reply held until complete and transformed (cluster address rewriting).
 */
export type SlotKind = 'pass' | 'error' | 'delay' | 'drop' | 'close' | 'raw' | 'rewrite';

export interface Slot {
  kind: SlotKind;
  /** Commands in a pass run (1 for every other kind). */
  count: number;
  /** Server replies of this slot received completely. */
  replied: number;
  /** Reply bytes received and not yet written. */
  parts: Buffer[];
  rule?: RedisRule;
  /** When a held (delay) reply may go: performance.now() ms, set when it is complete. */
  dueMs: number;
  /** Applied to the complete reply before it is written (rewrite slots; a delay slot may have one too). */
  transform?: (reply: Buffer) => Buffer;
}

export interface ReplyOutput {
  write(data: Buffer): void;
  /** A `close` slot reached the head: the connection goes, both sides. */
  closeConnection(): void;
}

const consumesReply = (slot: Slot): boolean => slot.kind !== 'error' && slot.kind !== 'close';

export class ReplyQueue {
  private slots: Slot[] = [];
  private head = 0;
  /** Slots other than pass runs: while 0, replies stream straight through. */
  special = 0;
  /** A reply was dropped: the connection hangs, every later byte both ways is swallowed. */
  hung = false;
  /** A raw slot reached the head: everything passes unparsed from now on. */
  raw = false;
  private timer: NodeJS.Timeout | null = null;
  private readonly output: ReplyOutput;

  constructor(output: ReplyOutput) {
    this.output = output;
  }

  get empty(): boolean {
    return this.head >= this.slots.length;
  }

  /** One more forwarded command whose reply passes unchanged. */
  addPass(): void {
    const last = this.slots[this.slots.length - 1];
    if (last && last.kind === 'pass' && this.head < this.slots.length) last.count++;
    else this.slots.push({ kind: 'pass', count: 1, replied: 0, parts: [], dueMs: 0 });
  }

  add(kind: Exclude<SlotKind, 'pass'>, rule?: RedisRule, transform?: (reply: Buffer) => Buffer): void {
    this.slots.push({ kind, count: 1, replied: 0, parts: [], rule, dueMs: 0, transform });
    this.special++;
  }

  /** Fast path: a complete server reply for the pass run at the head (no special slot is queued). */
  passReplied(): void {
    const slot = this.slots[this.head];
    if (!slot) return;
    if (++slot.replied >= slot.count) this.shift();
  }

  /** A piece of server reply bytes; `complete` when it ends a top-level reply. */
  assign(piece: Buffer, complete: boolean): void {
    if (this.raw) return this.output.write(piece);
    if (this.hung) return;
    const owner = this.owner();
    if (!owner) return this.output.write(piece);
    if (owner.kind === 'drop') {
      if (complete) owner.replied = 1;
      return;
    }
    owner.parts.push(piece);
    if (!complete || owner.kind === 'raw') return;
    owner.replied++;
    if (owner.transform)
      owner.parts = [
        owner.transform(owner.parts.length === 1 ? (owner.parts[0] as Buffer) : Buffer.concat(owner.parts)),
      ];
    if (owner.kind === 'delay') owner.dueMs = performance.now() + (owner.rule?.latencyMs ?? 0);
  }

  /** Writes whatever the head of the queue allows, in order. */
  pump = (): void => {
    while (!this.raw && !this.hung) {
      const slot = this.slots[this.head];
      if (!slot) break;
      if (slot.kind === 'error') {
        this.output.write(slot.rule?.reply as Buffer);
        this.shift();
        continue;
      }
      if (slot.kind === 'close') {
        this.clear();
        this.output.closeConnection();
        return;
      }
      if (slot.kind === 'drop') {
        if (slot.replied === 0) break;
        this.hung = true;
        this.clear();
        return;
      }
      if (slot.kind === 'delay') {
        if (slot.replied === 0) break;
        const waitMs = slot.dueMs - performance.now();
        if (waitMs > 0) {
          this.timer ??= setTimeout(this.timerFired, Math.ceil(waitMs));
          return;
        }
      }
      if (slot.kind === 'rewrite' && slot.replied === 0) break;
      for (const part of slot.parts) this.output.write(part);
      slot.parts = [];
      if (slot.kind === 'raw') {
        this.raw = true;
        this.clear();
        return;
      }
      if (slot.replied < slot.count) break;
      this.shift();
    }
  };

  private readonly timerFired = (): void => {
    this.timer = null;
    this.pump();
  };

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.clear();
  }

  private owner(): Slot | undefined {
    for (let i = this.head; i < this.slots.length; i++) {
      const slot = this.slots[i] as Slot;
      if (consumesReply(slot) && (slot.kind === 'raw' || slot.replied < slot.count)) return slot;
    }
    return undefined;
  }

  private shift(): void {
    const slot = this.slots[this.head++] as Slot;
    if (slot.kind !== 'pass') this.special--;
    if (this.head > 1024 && this.head * 2 > this.slots.length) {
      this.slots = this.slots.slice(this.head);
      this.head = 0;
    }
    if (this.head >= this.slots.length) {
      this.slots = [];
      this.head = 0;
    }
  }

  private clear(): void {
    this.slots = [];
    this.head = 0;
    this.special = 0;
  }
}
