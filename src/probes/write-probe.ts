// The lost-write count, Jepsen-style: write unique values through the proxies during the run, read every acknowledged
// one back after.
import type { Cluster, Redis } from 'ioredis';
import type { WriteProbeResult } from '../journal/journal-writes.ts';
export type { WriteProbeResult };

export interface WriteProbeOptions {
  /** Connected lazily by the probe, disconnected by stop(). */
  client: Redis | Cluster;
  /** Every key starts with it; one run's keys never collide with another's. */
  keyPrefix: string;
  ratePerSecond: number;
  /** An upper bound on writes however long the run is. */
  maxWrites: number;
  /** Milliseconds since the load started (t = 0), for the refusal timeline. */
  nowMs: () => number;
  /** Each probe key's TTL, so a probe leaves nothing behind for long. */
  ttlSeconds?: number;
}

interface WriteRecord {
  key: string;
  value: string;
  sentMs: number;
  status: 'pending' | 'acknowledged' | 'failed';
}

const readConcurrency = 16;
const readBudgetMs = 20_000;
const settleBudgetMs = 5_000;

export class WriteProbe {
  private readonly options: WriteProbeOptions;
  private readonly writes: WriteRecord[] = [];
  private readonly errors = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(options: WriteProbeOptions) {
    this.options = options;
    options.client.on('error', () => {});
  }

  /** Connects before t = 0, so the first writes do not race the connection; throws when Redis cannot be reached. */
  async connect(): Promise<void> {
    await this.options.client.connect();
  }

  start(): void {
    const intervalMs = 1000 / Math.max(0.1, this.options.ratePerSecond);
    const began = performance.now();
    // Paced by the schedule, not by replies: a hung write must not stop the next ones from going out.
    const tick = () => {
      if (this.stopped) return;
      const due = Math.floor((performance.now() - began) / intervalMs) + 1;
      while (this.writes.length < Math.min(due, this.options.maxWrites)) this.writeOne();
      if (this.writes.length >= this.options.maxWrites) return;
      this.timer = setTimeout(tick, Math.max(1, intervalMs - ((performance.now() - began) % intervalMs)));
    };
    tick();
  }

  /** Stops writing, waits briefly for writes in flight, reads every acknowledged write back and disconnects. */
  async stop(): Promise<WriteProbeResult> {
    this.stopped = true;
    clearTimeout(this.timer);
    const settleUntil = performance.now() + settleBudgetMs;
    while (this.writes.some((w) => w.status === 'pending') && performance.now() < settleUntil) await sleep(20);
    for (const w of this.writes) if (w.status === 'pending') this.fail(w, 'no reply before the probe stopped');
    try {
      return await this.readBack();
    } finally {
      this.options.client.disconnect();
    }
  }

  /** Stops writing and disconnects without reading back (teardown after an error). */
  close(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.options.client.disconnect();
  }

  private writeOne(): void {
    const n = this.writes.length;
    const record: WriteRecord = {
      key: `${this.options.keyPrefix}${n}`,
      value: `${n}:${Math.random().toString(36).slice(2, 10)}`,
      sentMs: this.options.nowMs(),
      status: 'pending',
    };
    this.writes.push(record);
    this.options.client.set(record.key, record.value, 'EX', this.options.ttlSeconds ?? 3600).then(
      (reply) => {
        if (record.status !== 'pending') return;
        if (reply === 'OK') record.status = 'acknowledged';
        else this.fail(record, `unexpected reply ${String(reply)}`);
      },
      (error: Error) => {
        if (record.status === 'pending') this.fail(record, error.message);
      },
    );
  }

  private fail(record: WriteRecord, reason: string): void {
    record.status = 'failed';
    const text = reason.length > 120 ? `${reason.slice(0, 117)}...` : reason;
    if (this.errors.size < 10 || this.errors.has(text)) this.errors.set(text, (this.errors.get(text) ?? 0) + 1);
  }

  private async readBack(): Promise<WriteProbeResult> {
    const acknowledged = this.writes.filter((w) => w.status === 'acknowledged');
    let lost = 0;
    let unverified = 0;
    const lostKeys: string[] = [];
    const deadline = performance.now() + readBudgetMs;
    let next = 0;
    const worker = async () => {
      while (next < acknowledged.length) {
        const record = acknowledged[next++] as WriteRecord;
        if (performance.now() > deadline) {
          unverified++;
          continue;
        }
        const value = await readWithRetry(this.options.client, record.key, deadline);
        if (value === undefined) unverified++;
        else if (value !== record.value) {
          lost++;
          if (lostKeys.length < 20) lostKeys.push(record.key);
        }
      }
    };
    await Promise.all(Array.from({ length: readConcurrency }, worker));
    const { refusedMs, refusedFromMs } = longestRefusal(this.writes, this.options.nowMs());
    return {
      attempted: this.writes.length,
      acknowledged: acknowledged.length,
      failed: this.writes.filter((w) => w.status === 'failed').length,
      lost,
      unverified,
      refusedMs,
      refusedFromMs,
      lostKeys,
      errors: Object.fromEntries(this.errors),
    };
  }
}

/** A GET that survives a reconnect: up to 3 tries until the deadline; undefined when it never answered. */
async function readWithRetry(
  client: Redis | Cluster,
  key: string,
  deadline: number,
): Promise<string | null | undefined> {
  for (let attempt = 0; attempt < 3 && performance.now() < deadline; attempt++) {
    try {
      return await client.get(key);
    } catch {
      await sleep(100);
    }
  }
  return undefined;
}

/** The longest run of failed writes in send order, measured up to the next acknowledged write (or `endMs`). */
export function longestRefusal(
  writes: readonly Pick<WriteRecord, 'sentMs' | 'status'>[],
  endMs: number,
): { refusedMs: number; refusedFromMs: number | null } {
  let best = 0;
  let bestFrom: number | null = null;
  let runFrom: number | null = null;
  for (const w of writes) {
    if (w.status === 'failed') {
      runFrom ??= w.sentMs;
    } else if (w.status === 'acknowledged' && runFrom !== null) {
      if (w.sentMs - runFrom > best || bestFrom === null) [best, bestFrom] = [w.sentMs - runFrom, runFrom];
      runFrom = null;
    }
  }
  if (runFrom !== null && (endMs - runFrom > best || bestFrom === null)) [best, bestFrom] = [endMs - runFrom, runFrom];
  return { refusedMs: Math.round(best), refusedFromMs: bestFrom === null ? null : Math.round(bestFrom) };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
