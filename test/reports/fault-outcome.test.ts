// Faults described honestly: "not reversible" with what the key backup did, lags never below 0, evidence with units.
import { describe, expect, it } from 'vitest';
import type { ExperimentJournal, JournalFault } from '../../src/journal/journal-types.ts';
import { evidenceLines } from '../../src/reports/format-evidence.ts';
import { appliedText, faultStatusText, isIrreversible, revertedText } from '../../src/reports/fault-outcome.ts';

const flush: JournalFault = {
  index: 0,
  kind: 'flushall',
  params: {},
  scheduledAtMs: 5000,
  appliedAtMs: 5000,
  lagMs: -0.1,
  revertedAtMs: 5000,
  status: 'reverted',
};

describe('fault outcome', () => {
  it('says "not reversible" and whether the backup brought the keys back', () => {
    const restored = {
      safety: {
        guard: { basis: 'harness-started', detail: '' },
        backup: {
          keysBackedUp: 103,
          keysRestored: 101,
          faults: [
            {
              index: 0,
              kind: 'flushall',
              backup: { scope: '*', keys: 103, bytes: 1, withTtl: 0, dbs: [0], tookMs: 1 },
              restore: { restored: 101, expiredMeanwhile: 2, failed: 0, tookMs: 3 },
            },
          ],
        },
      },
    } as Pick<ExperimentJournal, 'safety'>;
    const irreversible = { ...flush, reversible: false };
    expect(faultStatusText(restored, irreversible)).toBe(
      'not reversible; backup restored: 101 of 103 keys, 2 expired meanwhile',
    );
    expect(faultStatusText({}, irreversible)).toBe('not reversible; no key backup was taken');
    expect(revertedText(irreversible)).toBe('not reversible');
    // an older journal without `reversible`: reverted at the instant it was applied, with no revert evidence
    expect(isIrreversible(flush)).toBe(true);
    const outage = { ...flush, kind: 'outage', revertedAtMs: 9000, revertEvidence: { enabled: true } };
    expect(isIrreversible(outage)).toBe(false);
    expect(faultStatusText({}, outage)).toBe('reverted');
    expect(revertedText(outage)).toBe('t=9 s');
  });

  it('never shows a negative lag (older journals could hold −0.1 ms)', () => {
    expect(appliedText(flush)).toBe('t=5 s (lag 0 ms)');
  });

  it('renders evidence with units: bytes as MB, ms as durations, nested records as key value lists', () => {
    expect(
      Object.fromEntries(
        evidenceLines({
          before: { maxmemory: '33554432', 'maxmemory-policy': 'allkeys-lru' },
          used_memory: 52428800,
          bytesWritten: 51179520,
          keysBefore: 2100,
          toxics: [{ type: 'latency', attributes: { latency: 200, jitter: 50 } }],
        }),
      ),
    ).toEqual({
      before: 'maxmemory 32 MB · maxmemory-policy allkeys-lru',
      used_memory: '50 MB',
      bytesWritten: '48.8 MB',
      keysBefore: '2,100',
      toxics: '(type latency, attributes (latency 200 ms, jitter 50 ms))',
    });
  });
});
