// The latency toxic: each chunk leaves `latency ± jitter` ms after it was read, pipelined (a stream shifts, it does not
// slow).
import { EOF } from '../link/channel.ts';
import { INTERRUPTED, TIMED_OUT } from '../link/toxic-stub.ts';
import type { ToxicKind } from './toxic-kind.ts';

/** Uniform integer ms in [latency - jitter, latency + jitter - 1], as Go's `rand.Int63n(2*jitter) - jitter`. */
export function drawDelayMs(latencyMs: number, jitterMs: number): number {
  if (jitterMs <= 0) return latencyMs;
  return latencyMs + Math.floor(Math.random() * 2 * jitterMs) - jitterMs;
}

export const latency: ToxicKind = {
  type: 'latency',
  goStruct: 'LatencyToxic',
  attributes: [
    { name: 'latency', goType: 'int64' },
    { name: 'jitter', goType: 'int64' },
  ],
  async pipe(stub, attributes) {
    const latencyMs = attributes.latency ?? 0;
    const jitterMs = attributes.jitter ?? 0;
    for (;;) {
      const item = await stub.read();
      if (item === INTERRUPTED || item === TIMED_OUT) return;
      if (item === EOF) {
        stub.close();
        return;
      }
      const waitMs = drawDelayMs(latencyMs, jitterMs) - (performance.now() - item.timestampMs);
      if (waitMs <= 0) {
        stub.send(item);
        continue;
      }
      const completed = await stub.sleep(waitMs);
      item.timestampMs += waitMs;
      // On interrupt the held chunk is forwarded at once: data is never dropped.
      stub.send(item);
      if (!completed) return;
    }
  },
};
