// What the live view sends the page: a suite's queue and verdicts so far, the series as report.html's chart columns
// (only the seconds that may have changed after the first message), a fault shown from the moment its injection began.
import { describe, expect, it } from 'vitest';
import type { SeriesPoint } from '../../src/journal/journal-types.ts';
import { LiveState, type ExperimentView, type LiveMessage } from '../../src/live/live-state.ts';

const point = (second: number, rps: number): SeriesPoint => ({
  second,
  phase: 'baseline',
  requests: rps,
  errors: 0,
  unauthorized: 0,
  rps,
  errorRate: 0,
  p50Ms: 2,
  p99Ms: 5,
  redis: { usedMemory: 1024 * 1024, maxmemory: 0, evictedKeys: 0, connectedClients: 3, keys: 10 },
  breakerState: null,
  sessions: null,
});

function collect(state: LiveState): ExperimentView[] {
  const views: ExperimentView[] = [];
  state.subscribe((m: LiveMessage) => {
    if (m.type === 'experiment') views.push(m.experiment);
  });
  return views;
}

describe('live state', () => {
  it('a suite: the queue, the one running, the verdicts so far', () => {
    const state = new LiveState();
    state.apply({ type: 'suite-queued', experiments: ['a', 'b', 'c'] });
    state.apply({ type: 'experiment-started', index: 0, experiment: 'a', t0EpochMs: 1, phases: [], faults: [] });
    state.apply({ type: 'experiment-ended', index: 0, experiment: 'a', status: 'failed', reason: 'sessions lost' });
    state.apply({ type: 'experiment-started', index: 1, experiment: 'b', t0EpochMs: 2, phases: [], faults: [] });
    const snapshot = state.snapshot();
    expect(snapshot.type === 'state' && snapshot.experiments.map((x) => [x.name, x.status, x.reason])).toEqual([
      ['a', 'failed', 'sessions lost'],
      ['b', 'running', undefined],
      ['c', 'queued', undefined],
    ]);
  });

  it("sends report.html's columns, then from two seconds before the last message on; a new page gets them all", () => {
    const state = new LiveState();
    const views = collect(state);
    const series = (n: number) => Array.from({ length: n }, (_, s) => point(s, 100 + s));
    state.apply({ type: 'series', experiment: 'a', elapsedMs: 3000, phase: 'baseline', series: series(3) });
    state.apply({ type: 'series', experiment: 'a', elapsedMs: 5000, phase: 'baseline', series: series(5) });
    expect(views[0]?.columnsFrom).toBe(0);
    expect(views[0]?.charts.columns.rps).toEqual([100, 101, 102]);
    expect(views[0]?.charts.charts.map((c) => c.id)).toEqual([
      'live0-memory',
      'live0-evicted',
      'live0-errors',
      'live0-latency',
      'live0-rps',
    ]);
    expect(views[1]?.columnsFrom).toBe(1);
    // a point of second s is charted when it was complete, at the end of its second (report.html's time truth)
    expect(views[1]?.charts.columns.seconds).toEqual([2, 3, 4, 5]);
    expect(views[1]?.charts.columns.usedMemoryMB).toEqual([1, 1, 1, 1]);
    const snapshot = state.snapshot();
    expect(snapshot.type === 'state' && snapshot.experiments[0]?.charts.columns.rps).toEqual([100, 101, 102, 103, 104]);
  });

  it('a fault is shown as injecting (marked at the time it began) until its record says applied', () => {
    const state = new LiveState();
    const views = collect(state);
    const fault = { index: 0, kind: 'latency', params: {}, scheduledAtMs: 1000, status: 'pending' as const };
    state.apply({ type: 'fault', experiment: 'a', fault, injectingSinceMs: 1003 });
    expect(views[0]?.faults[0]).toMatchObject({ status: 'injecting', appliedAtMs: 1003 });
    expect(views[0]?.charts.faults).toEqual([
      { number: 1, label: '1 latency', appliedS: 1.003, revertedS: null, reversible: true },
    ]);
    state.apply({ type: 'fault', experiment: 'a', fault: { ...fault, status: 'applied', appliedAtMs: 1003 } });
    expect(views[1]?.faults[0]).toMatchObject({ status: 'applied', appliedAtMs: 1003 });
  });
});
