// Time truth in a real run: a FLUSHALL on the naive target (sessions only in Redis) on a whole second and between two;
// the report's columns show no lost session and no 401 before the moment the fault was applied.
import { describe, expect, it } from 'vitest';
import { runExperiment } from '../../src/index.ts';
import { buildTimeline, timelineFacts } from '../../src/reports/timeline.ts';

async function flushAt(at: string) {
  return runExperiment({
    name: `flushall-at-${at}`,
    target: 'naive-session-service',
    sessions: { users: 40, samplePerSecond: 10 },
    load: { rate: 60 },
    phases: { baseline: '2s', fault: '2s', recovery: '1s' },
    faults: [{ kind: 'flushall', at }],
    expect: ['sessions.lost == 0'],
  });
}

describe('time truth in a real run', () => {
  for (const at of ['1s', '1500ms']) {
    it(`charts nothing of a FLUSHALL at fault+${at} before it was applied`, async () => {
      const journal = await flushAt(at);
      const fault = journal.faults[0];
      expect(fault?.status).not.toBe('failed');
      const appliedAtMs = fault?.appliedAtMs ?? NaN;
      expect(appliedAtMs).toBeGreaterThanOrEqual(fault?.scheduledAtMs ?? NaN);
      const t = buildTimeline(journal);
      let lostRows = 0;
      t.seconds.forEach((x, i) => {
        if ((t.sessionsLost[i] ?? 0) > 0) {
          lostRows++;
          expect(x * 1000).toBeGreaterThanOrEqual(appliedAtMs);
        }
        // a second of load is drawn at its end; a request scheduled just before the fault and answered after it is
        // filed under its scheduled second, so an error may precede the fault line by that request's latency
        if ((t.errorRatePercent[i] ?? 0) > 0) expect(x * 1000).toBeGreaterThanOrEqual(appliedAtMs - 50);
      });
      expect(lostRows).toBeGreaterThan(0); // the flush is seen, after it happened
      const facts = timelineFacts(journal);
      expect(facts.sampledValidBefore).toBe(1);
      expect(facts.sampledValidLowest).toBe(0);
    }, 60_000);
  }
});
