// Target metrics read from probe samples: a labelled counter that first appears mid-run counts from 0, gauges read
// their last value.
import { describe, expect, it } from 'vitest';
import { metricLookup, type RunData } from '../../src/engine/metric-lookup.ts';
import type { Sample } from '../../src/engine/sampler.ts';

function run(samples: Sample[]): RunData {
  return {
    load: {} as RunData['load'],
    clock: {} as RunData['clock'],
    samples,
    sessions: { created: 0, lost: 0, errors: 0 },
    recoverySeconds: 0,
  };
}

const errors = (value: number, op = 'get') => ({
  name: 'redis_errors_total',
  labels: { op },
  value,
  type: 'counter' as const,
});

describe('target counters', () => {
  it('count a series that first appears mid-run from 0 (prom-client creates labelled series on the first increment)', () => {
    const lookup = metricLookup(
      run([
        { tMs: -10, second: 0, target: [] },
        { tMs: 1000, second: 1, target: [] },
        { tMs: 2000, second: 2, target: [errors(7)] },
        { tMs: 3000, second: 3, target: [errors(9)] },
      ]),
    );
    expect(lookup('target.redis_errors_total', {})).toBe(9);
  });

  it('do not count what was there before the first scrape, nor scrapes that failed', () => {
    const lookup = metricLookup(
      run([
        { tMs: -10, second: 0, target: [errors(50)] },
        { tMs: 1000, second: 1 },
        { tMs: 2000, second: 2, target: [errors(53)] },
      ]),
    );
    expect(lookup('target.redis_errors_total', {})).toBe(3);
  });

  it('stay unknown when the target never exported the metric', () => {
    expect(metricLookup(run([{ tMs: 0, second: 0, target: [] }]))('target.redis_errors_total', {})).toBeUndefined();
  });
});
