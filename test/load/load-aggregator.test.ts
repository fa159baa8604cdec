// The aggregator on an injected clock: per-second buckets by scheduled time, phase durations, percentiles and
// recycling.
import { describe, expect, it } from 'vitest';
import { LoadAggregator } from '../../src/load/index.ts';

function fakeClock(startMs = 10_000.3) {
  let now = startMs;
  return { clock: () => now, set: (ms: number) => (now = startMs + ms) };
}

describe('LoadAggregator', () => {
  it('buckets by scheduled second and phase, with exact phase durations and rps', () => {
    const time = fakeClock();
    const agg = new LoadAggregator({ clock: time.clock, startEpochMs: 1_700_000_000_000, highestLatencyMs: 5000 });
    const start = agg.startMs;
    // 10 requests per 100 ms for 1.5 s; baseline until 700 ms, then fault. Latency 5 ms, 1 in 10 a 503.
    // As in the driver: a tick at t sends what was due in (t - 10, t] and gives that time to the phase at t.
    for (let i = 0; i < 150; i++) {
      const at = i * 10 + 5;
      const phase = at < 700 ? 'baseline' : 'fault';
      time.set(at + 5);
      agg.advance(phase);
      const bucket = agg.bucketAt(start + at, phase);
      agg.scheduled(bucket);
      agg.completed(bucket, i % 10 === 0 ? 50 : 5, i % 10 === 0 ? 'status:503' : null);
    }
    time.set(1500);
    agg.advance('fault');
    const series = agg.series();
    expect(series.map((p) => [p.second, p.phase, p.requests, p.errors, p.rps])).toEqual([
      [0, 'baseline', 70, 7, 100],
      [0, 'fault', 30, 3, 100],
      [1, 'fault', 50, 5, 100],
    ]);
    // Percentiles are the highest value of their HdrHistogram bucket: 3 significant digits of µs.
    expect(series[0]).toMatchObject({ startMs: 1_700_000_000_000, maxMs: 50, errorsByReason: { 'status:503': 7 } });
    expect(series[0]?.p50Ms).toBeCloseTo(5, 2);
    expect(series[0]?.p90Ms).toBeCloseTo(5, 2);
    expect(series[0]?.p99Ms).toBeCloseTo(50, 1);
    expect(series[2]?.startMs).toBe(1_700_000_001_000);
    const phases = agg.phaseStats();
    expect(phases.baseline).toMatchObject({
      requests: 70,
      errors: 7,
      durationMs: 700,
      rps: 100,
      errorRate: 0.1,
      unauthorized: 0,
    });
    expect(phases.fault).toMatchObject({ requests: 80, errors: 8, durationMs: 800, rps: 100 });
    expect(agg.totalStats()).toMatchObject({ requests: 150, errors: 15, durationMs: 1500, rps: 100, maxMs: 50 });
    expect(agg.totalStats().p50Ms).toBeCloseTo(5, 2);
  });

  it('keeps a second open while a request of it is in flight, and counts unauthorized, dropped and cancelled requests', () => {
    const time = fakeClock();
    const agg = new LoadAggregator({ clock: time.clock, highestLatencyMs: 3000 });
    const slow = agg.bucketAt(agg.startMs + 100, 'fault');
    agg.scheduled(slow);
    const lost = agg.bucketAt(agg.startMs + 200, 'fault');
    agg.scheduled(lost);
    agg.completed(lost, 12.345, 'unauthorized');
    agg.notSent(agg.bucketAt(agg.startMs + 300, 'fault'), 'dropped');
    const cancelledBucket = agg.bucketAt(agg.startMs + 400, 'fault');
    agg.scheduled(cancelledBucket);
    agg.cancelled(cancelledBucket);
    time.set(2500);
    agg.advance('fault');
    // Second 0 still has the slow request in flight: its p99 so far is the one finished request.
    expect(agg.progress()).toMatchObject({ requests: 3, errors: 2, unauthorized: 1 });
    expect(agg.series()[0]).toMatchObject({
      requests: 3,
      errors: 2,
      unauthorized: 1,
      p99Ms: 12.345,
      errorsByReason: { unauthorized: 1, dropped: 1 },
    });
    agg.completed(slow, 2400, null);
    agg.advance('fault');
    expect(agg.series()[0]?.maxMs).toBe(2400);
    // Latencies above the histogram's highest value are clamped there, the exact max is kept.
    const b = agg.bucketAt(agg.startMs + 2600, 'fault');
    agg.scheduled(b);
    agg.completed(b, 9000, 'timeout');
    expect(agg.totalStats().maxMs).toBe(9000);
    expect(agg.totalStats().p99Ms).toBeLessThanOrEqual(9000);
  });

  it('does not stall on float rounding at second boundaries', () => {
    const time = fakeClock(0.1 + 0.2);
    const agg = new LoadAggregator({ clock: time.clock, highestLatencyMs: 1000 });
    for (let ms = 0; ms <= 5000; ms += 1000 / 3) {
      time.set(ms);
      agg.advance('run');
    }
    expect(agg.totalStats().durationMs).toBe(5000);
    expect(agg.series().map((p) => p.second)).toEqual([0, 1, 2, 3, 4]);
  });

  it('puts a request due at exactly a second boundary in the second it starts, despite float sums', () => {
    // From this start, adding 5 ms 200 times lands at 999.9999999 ms after it.
    const time = fakeClock(1234.5678);
    const agg = new LoadAggregator({ clock: time.clock, highestLatencyMs: 1000 });
    let dueMs = agg.startMs;
    for (let i = 0; i < 400; i++, dueMs += 5) {
      agg.scheduled(agg.bucketAt(dueMs, 'run'));
      time.set(dueMs + 5 - agg.startMs);
      agg.advance('run');
    }
    expect(agg.series().map((p) => [p.second, p.requests, p.rps])).toEqual([
      [0, 200, 200],
      [1, 200, 200],
    ]);
  });
});
