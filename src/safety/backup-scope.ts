// Which keys a fault will touch, for `backup:`: every database (FLUSHALL, eviction), one database (FLUSHDB), or a
// pattern (expire).
import type { FaultSpec } from '../faults/fault-schema.ts';

export interface BackupScope {
  /** undefined: every database that holds keys. */
  db?: number;
  pattern: string;
  /** The fault itself stops after this many keys (expire's maxKeys). */
  limit?: number;
  why: string;
}

/**
 * The scope of a data-destroying fault; undefined for faults that delete or evict nothing. `adminDb`: the admin URL's
 * database.
 */
export function backupScope(spec: FaultSpec, adminDb = 0): BackupScope | undefined {
  switch (spec.kind) {
    case 'flushall':
      return { pattern: '*', why: 'FLUSHALL deletes every key of every database' };
    case 'flushdb':
      return { db: spec.db, pattern: '*', why: `FLUSHDB deletes every key of database ${spec.db}` };
    case 'expire':
      return {
        db: adminDb,
        pattern: spec.pattern,
        limit: spec.maxKeys,
        why: `expire touches the keys matching ${spec.pattern}`,
      };
    case 'fill-memory':
    case 'maxmemory':
      return { pattern: '*', why: 'eviction may pick any key of any database' };
    case 'config-set':
      return 'maxmemory' in spec.parameters || 'maxmemory-policy' in spec.parameters
        ? { pattern: '*', why: 'a maxmemory or eviction-policy change may evict any key' }
        : undefined;
    default:
      return undefined;
  }
}

export function describeScope(scope: BackupScope): string {
  return `${scope.db === undefined ? 'every database' : `db ${scope.db}`}${scope.pattern === '*' ? '' : `, keys matching ${scope.pattern}`}`;
}
