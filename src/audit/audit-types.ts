// The audit's result: the server's memory settings, the sample it took, and per key prefix the counts, TTLs, memory and
// a verdict.

export interface SampledKey {
  readonly key: string;
  /** Remaining TTL in ms; undefined when the key has none. */
  readonly ttlMs: number | undefined;
  /** MEMORY USAGE in bytes, for the keys in the memory sub-sample. */
  readonly memoryBytes?: number | undefined;
}

export interface Spread {
  readonly min: number;
  readonly median: number;
  readonly max: number;
}

export type Risk = 'high' | 'medium' | 'low';

export interface PrefixReport {
  /** `session` for keys `session:…`; `(none)` for keys without the separator. */
  readonly prefix: string;
  /** How it is shown: `session:*`. */
  readonly pattern: string;
  /** Keys in the sample. */
  readonly keys: number;
  /**
   * Keys in the database with this prefix, extrapolated from the sample (equal to `keys` when the sample is complete).
   */
  readonly estimatedKeys: number;
  readonly withoutTtl: number;
  /** 0..1 */
  readonly withoutTtlShare: number;
  /** Remaining TTL in seconds over the keys that have one; null when none has. */
  readonly ttlSeconds: Spread | null;
  readonly memory: { readonly sampledKeys: number; readonly meanBytes: number; readonly estimatedBytes: number } | null;
  readonly risk: Risk;
  readonly verdict: string;
}

export interface ServerFacts {
  readonly redisVersion: string | undefined;
  readonly usedMemoryBytes: number;
  /** 0 = no limit. */
  readonly maxmemoryBytes: number;
  readonly policy: string;
  /** From CONFIG GET when the user may run it; undefined otherwise. */
  readonly appendonly: boolean | undefined;
  readonly save: string | undefined;
  /** Where maxmemory and the policy were read: CONFIG GET, or INFO when CONFIG GET is not allowed. */
  readonly configSource: 'config-get' | 'info';
}

export interface AuditReport {
  readonly version: 1;
  readonly url: string;
  readonly db: number;
  readonly server: ServerFacts;
  /** INFO keyspace for the database: exact totals, no sampling. */
  readonly keyspace: { readonly keys: number; readonly expires: number };
  readonly sample: {
    readonly requested: number;
    readonly scanned: number;
    /** True when SCAN went through the whole keyspace: the counts are exact. */
    readonly complete: boolean;
    readonly memorySampled: number;
    readonly durationMs: number;
    readonly ratePerSecond: number;
  };
  readonly prefixes: readonly PrefixReport[];
}
