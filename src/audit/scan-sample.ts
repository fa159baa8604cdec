// Takes a bounded, rate-limited sample of the keyspace with SCAN (never KEYS): each key's TTL, and MEMORY USAGE on a
// sub-sample.
import type { ReadOnlyClient } from './read-only-client.ts';
import type { SampledKey } from './audit-types.ts';

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface SampleOptions {
  /** At most this many keys. */
  maxKeys: number;
  /** At most this many keys per second, SCAN and PTTL together. */
  keysPerSecond: number;
  /** MEMORY USAGE on at most this many keys, spread over the sample. */
  memoryKeys: number;
  /** Keys expected in the database (INFO keyspace), to spread MEMORY USAGE over a small keyspace too. */
  expectedKeys?: number;
  clock?: Clock;
}

export interface KeySample {
  keys: SampledKey[];
  memorySampled: number;
  /** SCAN returned cursor 0: every key was seen. */
  complete: boolean;
  durationMs: number;
}

export async function sampleKeys(client: ReadOnlyClient, options: SampleOptions): Promise<KeySample> {
  const clock = options.clock ?? realClock;
  const count = Math.max(10, Math.min(1000, Math.floor(options.keysPerSecond / 10)));
  const expected = Math.min(options.maxKeys, options.expectedKeys ?? options.maxKeys);
  const memoryEvery = Math.max(1, Math.floor(expected / Math.max(1, options.memoryKeys)));
  const seen = new Set<string>();
  const keys: SampledKey[] = [];
  let memorySampled = 0;
  let cursor = '0';
  let complete = false;
  const start = clock.now();
  do {
    const reply = (await client.call('SCAN', cursor, 'COUNT', count)) as [string, string[]];
    cursor = reply[0];
    const fresh = reply[1].filter((key) => !seen.has(key));
    const batch = fresh.slice(0, options.maxKeys - seen.size);
    for (const key of batch) seen.add(key);
    const withMemory: string[] = [];
    batch.forEach((key, i) => {
      if ((seen.size - batch.length + i) % memoryEvery === 0 && memorySampled + withMemory.length < options.memoryKeys)
        withMemory.push(key);
    });
    const replies = await client.pipeline([
      ...batch.map((key) => ['PTTL', key]),
      ...withMemory.map((key) => ['MEMORY', 'USAGE', key]),
    ]);
    const memoryOf = new Map(withMemory.map((key, i) => [key, replies[batch.length + i]?.value]));
    batch.forEach((key, i) => {
      const pttl = Number(replies[i]?.value);
      if (pttl === -2 || replies[i]?.error) return; // expired or deleted since SCAN saw it
      const memory = memoryOf.get(key);
      keys.push({
        key,
        ttlMs: pttl >= 0 ? pttl : undefined,
        memoryBytes: typeof memory === 'number' ? memory : undefined,
      });
    });
    memorySampled += withMemory.length;
    if (cursor === '0' && batch.length === fresh.length) complete = true;
    // rate limit: never ahead of keysPerSecond since the start
    const aheadMs = (seen.size / options.keysPerSecond) * 1000 - (clock.now() - start);
    if (aheadMs > 0 && cursor !== '0' && seen.size < options.maxKeys) await clock.sleep(aheadMs);
  } while (cursor !== '0' && seen.size < options.maxKeys);
  return { keys, memorySampled, complete, durationMs: clock.now() - start };
}
