// Writes SETs one after another at full speed through the topology client and records, for every acknowledged one,
// when it was acknowledged and by which node (the proxy port the client's connection was on).
import type { Redis } from 'ioredis';

export interface AckedWrite {
  index: number;
  /** performance.now() when the reply arrived. */
  ackedAt: number;
  /** The proxy port of the node that answered OK. */
  proxyPort: number;
}

export interface WriterResult {
  acked: AckedWrite[];
  failed: number;
  /** The longest stretch of failed writes, in ms. */
  longestRefusalMs: number;
}

export interface AckedWriter {
  /** Stops after the write in flight; its result. */
  stop(): Promise<WriterResult>;
}

/** Keys are `${prefix}${index}`, values the index. No pause between writes: the client's own speed. */
export function startAckedWriter(client: Redis, prefix: string): AckedWriter {
  const acked: AckedWrite[] = [];
  let failed = 0;
  let longestRefusalMs = 0;
  let failingSince: number | undefined;
  let stopping = false;
  const stream = () => (client as unknown as { stream?: { remotePort?: number } }).stream;
  const done = (async () => {
    for (let index = 0; !stopping; index++) {
      try {
        await client.set(`${prefix}${index}`, String(index));
        const ackedAt = performance.now();
        acked.push({ index, ackedAt, proxyPort: stream()?.remotePort ?? 0 });
        if (failingSince !== undefined) longestRefusalMs = Math.max(longestRefusalMs, ackedAt - failingSince);
        failingSince = undefined;
      } catch {
        failed++;
        failingSince ??= performance.now();
        await new Promise((r) => setTimeout(r, 5));
      }
    }
  })();
  return {
    async stop() {
      stopping = true;
      await done;
      return { acked, failed, longestRefusalMs: Math.round(longestRefusalMs) };
    },
  };
}
