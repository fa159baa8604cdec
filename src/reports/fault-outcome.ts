// What became of a fault, said honestly: reverted (with when), or "not reversible" for a fault with nothing to undo
// (flushall, expire, kill …) and whether a key backup brought the data back.
import type { ExperimentJournal, JournalFault } from '../journal/journal-types.ts';
import { formatAt, formatCount, formatMs } from './format-quantities.ts';

/** A fault with nothing to undo; older journals (no `reversible`) show it as reverted at the moment it was applied. */
export function isIrreversible(f: JournalFault): boolean {
  if (f.reversible !== undefined) return !f.reversible;
  return f.status === 'reverted' && f.revertEvidence === undefined && f.revertedAtMs === f.appliedAtMs;
}

/** "backup restored: 103 keys" / "no key backup was taken" for an irreversible fault. */
export function backupOutcome(e: Pick<ExperimentJournal, 'safety'>, f: JournalFault): string {
  const entry = e.safety?.backup?.faults.find((b) => b.index === f.index);
  if (!entry) return 'no key backup was taken';
  if (!entry.restore) return `${formatCount(entry.backup.keys)} keys backed up, not restored`;
  const r = entry.restore;
  return `backup restored: ${formatCount(r.restored)} of ${formatCount(entry.backup.keys)} keys${r.failed ? `, ${formatCount(r.failed)} failed` : ''}${r.expiredMeanwhile ? `, ${formatCount(r.expiredMeanwhile)} expired meanwhile` : ''}`;
}

/** The status as a reader should see it. */
export function faultStatusText(e: Pick<ExperimentJournal, 'safety'>, f: JournalFault): string {
  if (f.status === 'reverted' && isIrreversible(f)) return `not reversible; ${backupOutcome(e, f)}`;
  return f.status;
}

/** When the fault was reverted, or why there is no such moment. */
export function revertedText(f: JournalFault): string {
  if (isIrreversible(f) && f.status === 'reverted') return 'not reversible';
  return f.revertedAtMs === undefined ? '–' : formatAt(f.revertedAtMs);
}

/** "t=5 s (lag 3 ms)": the lag is never shown below 0 (older journals could hold −0.1 ms). */
export function appliedText(f: JournalFault): string {
  if (f.appliedAtMs === undefined) return 'not applied';
  return `${formatAt(f.appliedAtMs)}${f.lagMs === undefined ? '' : ` (lag ${formatMs(Math.max(0, f.lagMs))})`}`;
}
