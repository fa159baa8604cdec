// A clearance: the staging guard's proof that one declared Redis instance may take destructive faults; only issued ones
// count.
import type { RedisIdentity } from '../runtimes/redis-identity.ts';

export interface DestructiveClearance {
  /** The environment file's name and path. */
  readonly environment: string;
  readonly file: string;
  /** redis.instance, as typed with --allow-destructive. */
  readonly instance: string;
  /** Where the guard checked it (redis.adminUrl without credentials). */
  readonly host: string;
  readonly port: number;
  /** The server's identity when the guard checked; absent when INFO is not permitted there. */
  readonly identity?: RedisIdentity;
  /** marker: the marker key holds the instance name; key-bound: fewer keys than redis.maxKeys. */
  readonly basis: 'marker' | 'key-bound';
  readonly detail: string;
}

const issued = new WeakSet<object>();

/**
 * Only the staging guard calls this, after its checks passed; a hand-made object with the same fields is not a
 * clearance.
 */
export function issueClearance(fields: DestructiveClearance): DestructiveClearance {
  const clearance = Object.freeze({ ...fields });
  issued.add(clearance);
  return clearance;
}

export function isIssuedClearance(value: unknown): value is DestructiveClearance {
  return typeof value === 'object' && value !== null && issued.has(value);
}
