// Every sentinel's event stream (+sdown, +odown, +switch-master, …) with the time it arrived, for failover evidence and
// the current primary.
import { Redis } from 'ioredis';

export interface SentinelEvent {
  /** performance.now() when it arrived. */
  at: number;
  /** Which sentinel published it (sentinel-0, …). */
  sentinel: string;
  event: string;
  detail: string;
}

const maxEvents = 2000;

export class SentinelEventLog {
  readonly #events: SentinelEvent[] = [];
  readonly #subscribers: Redis[] = [];
  readonly #listeners = new Set<(event: SentinelEvent) => void>();

  /** Subscribes to every channel of the sentinel at 127.0.0.1:port (straight, not through its proxy link). */
  async watch(name: string, port: number): Promise<void> {
    const subscriber = new Redis({
      host: '127.0.0.1',
      port,
      lazyConnect: true,
      maxRetriesPerRequest: 1,
      retryStrategy: (times) => Math.min(times * 50, 500),
    });
    subscriber.on('error', () => {});
    this.#subscribers.push(subscriber);
    subscriber.on('pmessage', (_pattern: string, channel: string, message: string) => {
      if (channel.startsWith('__sentinel__')) return; // hello messages every 2 s: no event
      const event: SentinelEvent = { at: performance.now(), sentinel: name, event: channel, detail: message };
      this.#events.push(event);
      if (this.#events.length > maxEvents) this.#events.shift();
      for (const listener of this.#listeners) listener(event);
    });
    await subscriber.connect();
    await subscriber.psubscribe('*');
  }

  /** Events that arrived at or after `since` (performance.now()). */
  since(since: number): SentinelEvent[] {
    return this.#events.filter((e) => e.at >= since);
  }

  /** Calls `listener` for every event from now on; returns the unsubscribe. */
  listen(listener: (event: SentinelEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  close(): void {
    this.#listeners.clear();
    for (const subscriber of this.#subscribers) subscriber.disconnect();
    this.#subscribers.length = 0;
  }
}

/** Events as evidence: ms after `since`, the sentinel, the event and its text. */
export function eventsAsEvidence(
  events: SentinelEvent[],
  since: number,
  max = 40,
): { ms: number; sentinel: string; event: string; detail: string }[] {
  return events
    .slice(0, max)
    .map((e) => ({ ms: Math.round(e.at - since), sentinel: e.sentinel, event: e.event, detail: e.detail }));
}
