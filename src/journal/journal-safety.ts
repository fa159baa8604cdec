// The journal's `safety` block (additive to journal v1): what cleared the destructive faults, the config restored, the
// keys backed up and brought back.
export interface ConfigRestoreResult {
  /**
   * The server snapshotted and restored (host:port); after a failover it is no longer the primary, still the one
   * restored.
   */
  server?: string;
  /** How many parameters the snapshot held. */
  parameters: number;
  /** Parameters set back: the value found after the run → the value before. */
  restored: Record<string, { found: string; restoredTo: string }>;
  /** Parameters that differ and could not be set back, with Redis's answer. */
  notRestored: Record<string, { found: string; wanted: string; reason: string }>;
  /**
   * Parameters that differ but name the server's address, files or what it announces: a restart or the topology sets
   * them, never the restore.
   */
  leftAlone?: string[];
  unavailable?: string;
  tookMs: number;
}

export interface BackupSummary {
  scope: string;
  keys: number;
  bytes: number;
  withTtl: number;
  /** The databases scanned. */
  dbs: number[];
  /** What was saved, database by database (each read on a connection SELECTed to it). */
  keysByDb?: { db: number; keys: number }[];
  tookMs: number;
}

export interface RestoreSummary {
  restored: number;
  /** Keys whose TTL ran out while the fault lasted: they would have expired anyway, so they are not brought back. */
  expiredMeanwhile: number;
  failed: number;
  firstError?: string;
  tookMs: number;
}

export interface JournalSafety {
  /** What let destructive faults through: a Redis this harness started, or the staging guard's clearance. */
  guard: { basis: 'harness-started' | 'clearance' | 'no destructive fault'; detail: string };
  /** CONFIG GET * before the first fault, and what was set back after the run. */
  config?: ConfigRestoreResult;
  backup?: {
    keysBackedUp: number;
    keysRestored: number;
    /** Keys saved per database, over every fault's backup. */
    databases?: { db: number; keys: number }[];
    faults: { index: number; kind: string; backup: BackupSummary; restore?: RestoreSummary }[];
  };
}
