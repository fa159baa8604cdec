// Time truth: on the run's one clock, no effect of a fault is ever charted before the fault, wherever the fault lands
// (on a whole second or between two), and rates per second are recomputed from counts across a phase change.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildSeries } from '../../src/engine/series.ts';
import type { Sample } from '../../src/engine/sampler.ts';
import type { ExperimentJournal } from '../../src/journal/journal-types.ts';
import { LoadAggregator } from '../../src/load/load-aggregator.ts';
import type { LoadResult } from '../../src/load/types.ts';
import { buildTimeline, timelineFacts } from '../../src/reports/timeline.ts';
import { causeChain } from '../../src/reports/verdict-summary.ts';

const runMs = 10_000;
const checked = 20;

interface World {
  faultAtMs: number;
  /** How late the load's phase source sees the phase change (a tick). */
  phaseLagMs: number;
  /** Per sample: how long after the whole second it started, how long it took, where in between it looked. */
  samples: { startDelayMs: number; durationMs: number; lookAt: number }[];
}

/** The load of a run where every request from the fault on fails with a 401; 100 req/s from t = 0. */
function simulateLoad(world: World): LoadResult {
  let now = 0;
  const aggregator = new LoadAggregator({ clock: () => now, highestLatencyMs: 10_000, originMs: 0 });
  const phaseChangeMs = 3000;
  for (let at = 0; at < runMs; at += 10) {
    const phase = at < phaseChangeMs + world.phaseLagMs ? 'baseline' : 'fault';
    now = at;
    aggregator.advance(phase, at);
    const bucket = aggregator.bucketAt(at, phase);
    aggregator.scheduled(bucket);
    aggregator.completed(bucket, 2, at >= world.faultAtMs ? 'unauthorized' : null);
  }
  now = runMs;
  aggregator.advance('fault', runMs);
  return {
    startedAtMs: 0,
    elapsedMs: runMs,
    endReason: 'max-duration',
    cancelled: 0,
    series: aggregator.series(),
    phases: aggregator.phaseStats(),
    total: aggregator.totalStats(),
  };
}

/** One sample per whole second; it sees every session lost when it looked at or after the fault. */
function simulateSamples(world: World): Sample[] {
  return world.samples.map((s, second) => {
    const tMs = second * 1000 + s.startDelayMs;
    const doneMs = tMs + s.durationMs;
    const lookedAtMs = tMs + s.lookAt * s.durationMs;
    const lost = lookedAtMs >= world.faultAtMs ? checked : 0;
    return {
      tMs,
      doneMs,
      second,
      sessions: { checked, valid: checked - lost, lost, errors: 0, lostUsers: [], errorReasons: {} },
    } as Sample;
  });
}

const worlds = fc.record({
  faultAtMs: fc.oneof(
    fc.integer({ min: 1, max: 8 }).map((s) => s * 1000),
    fc.integer({ min: 1001, max: 8999 }),
  ),
  phaseLagMs: fc.integer({ min: 0, max: 8 }),
  samples: fc.array(
    fc.record({
      startDelayMs: fc.integer({ min: 0, max: 5 }),
      durationMs: fc.integer({ min: 0, max: 400 }),
      lookAt: fc.double({ min: 0, max: 1, noNaN: true }),
    }),
    { minLength: runMs / 1000, maxLength: runMs / 1000 },
  ),
});

function journalOf(world: World) {
  const series = buildSeries(simulateLoad(world), simulateSamples(world), undefined, runMs / 1000);
  return {
    series,
    faults: [{ index: 0, kind: 'flushall', params: {}, scheduledAtMs: world.faultAtMs, appliedAtMs: world.faultAtMs }],
  } as unknown as ExperimentJournal;
}

describe('time truth', () => {
  it('never charts an effect before its fault, on or off a whole second', () => {
    fc.assert(
      fc.property(worlds, (world) => {
        const t = buildTimeline(journalOf(world));
        let effects = 0;
        t.seconds.forEach((x, i) => {
          const lost = t.sessionsLost[i] ?? 0;
          const errors = t.errorRatePercent[i] ?? 0;
          if (lost > 0 || errors > 0) {
            effects++;
            expect(x * 1000, `effect charted at t=${x} s, fault at ${world.faultAtMs} ms`).toBeGreaterThanOrEqual(
              world.faultAtMs,
            );
          }
        });
        expect(effects).toBeGreaterThan(0); // the effect is charted, just not early
      }),
      { numRuns: 300 },
    );
  });

  it('reads "still valid before the fault" only from samples complete before it: 100% → 0%', () => {
    fc.assert(
      fc.property(worlds, (world) => {
        const facts = timelineFacts(journalOf(world));
        expect(facts.sampledValidBefore).toBe(1);
        expect(facts.sampledValidLowest).toBe(0);
        expect(facts.sampledValidLowestAtMs).toBeGreaterThanOrEqual(world.faultAtMs);
      }),
      { numRuns: 200 },
    );
    const journal = journalOf({
      faultAtMs: 5000,
      phaseLagMs: 3,
      samples: Array.from({ length: 10 }, () => ({ startDelayMs: 1, durationMs: 30, lookAt: 0.5 })),
    });
    const why = causeChain({
      ...journal,
      sessions: { lost: 0, created: 0, lostRate: 0 },
      metrics: {},
      recovery: { seconds: 1 },
    } as unknown as ExperimentJournal);
    expect(why).toContain('sampled sessions still valid fell from 100% to 0% (t=5.03 s)');
  });

  it('recomputes requests/s from counts: no spike in the second of a phase change', () => {
    fc.assert(
      fc.property(worlds, (world) => {
        const t = buildTimeline(journalOf(world));
        const rates = t.rps.filter((r): r is number => r !== null);
        expect(rates.length).toBe(runMs / 1000);
        for (const rate of rates) expect(rate).toBeCloseTo(100, 0);
      }),
      { numRuns: 100 },
    );
  });
});
