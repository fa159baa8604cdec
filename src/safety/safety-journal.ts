// The journal's `safety` block (additive to journal v1): what cleared the destructive faults, the config restored, the keys backed up and brought back.
import type { ConfigRestoreResult } from './config-snapshot.ts';
import type { BackupSummary, RestoreSummary } from './key-backup.ts';

export interface JournalSafety {
  /** What let destructive faults through: a Redis this harness started, or the staging guard's clearance. */
  guard: { basis: 'harness-started' | 'clearance' | 'no destructive fault'; detail: string };
  /** CONFIG GET * before the first fault, and what was set back after the run. */
  config?: ConfigRestoreResult;
  backup?: {
    keysBackedUp: number;
    keysRestored: number;
    faults: { index: number; kind: string; backup: BackupSummary; restore?: RestoreSummary }[];
  };
}
