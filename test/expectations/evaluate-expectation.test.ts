// Evaluating parsed expectations against a lookup of measured values, and formatting values for people.
import { describe, expect, it } from 'vitest';
import { evaluateExpectation, formatValue, metricCatalogue, parseExpectation } from '../../src/expectations/index.ts';
import type { MetricLookup } from '../../src/expectations/index.ts';

/** Values as the engine would give them: canonical units, keyed by metric and phase (`*` = whole run). */
const measured: Record<string, number> = {
  'http.error_rate|fault': 0.004,
  'http.error_rate|*': 0.002,
  'http.latency.p99|fault': 212,
  'http.latency.p99|*': 90,
  'sessions.lost|*': 0,
  'redis.evicted_keys|*': 1532,
  'redis.used_memory|*': 31.2 * 1024 * 1024,
  'recovery.seconds|*': 4.2,
  'target.breaker_open|*': 1,
};
const calls: Array<[string, Record<string, string>]> = [];
const lookup: MetricLookup = (metric, labels) => {
  calls.push([metric, { ...labels }]);
  return measured[`${metric}|${labels.phase ?? '*'}`];
};

const cases: Array<[string, boolean, string]> = [
  ['http.error_rate{phase=fault} < 1%', true, '0.4%'],
  ['http.error_rate{phase=fault} < 0.4%', false, '0.4%'],
  ['http.error_rate{phase=fault} <= 0.4%', true, '0.4%'],
  ['http.error_rate{phase=fault} == 0.4%', true, '0.4%'],
  ['http.error_rate{phase=fault} != 0.4%', false, '0.4%'],
  ['http.error_rate < 0.1%', false, '0.2%'],
  ['http.latency.p99{phase=fault} < 250ms', true, '212 ms'],
  ['http.latency.p99{phase=fault} < 0.2s', false, '212 ms'],
  ['http.latency.p99{phase=fault} > 212', false, '212 ms'],
  ['http.latency.p99{phase=fault} >= 212', true, '212 ms'],
  ['sessions.lost == 0', true, '0'],
  ['redis.evicted_keys > 0', true, '1532'],
  ['redis.used_memory < 32mb', true, '31.2 MB'],
  ['redis.used_memory < 31mb', false, '31.2 MB'],
  ['recovery.seconds < 5', true, '4.2 s'],
  ['recovery.seconds < 4000ms', false, '4.2 s'],
  ['target.breaker_open == 0', false, '1'],
];

describe('evaluateExpectation', () => {
  it.each(cases)('%s → passed %s, actual %s', (text, passed, actualText) => {
    const outcome = evaluateExpectation(parseExpectation(text), lookup);
    expect(outcome).toMatchObject({ expression: text, passed, actualText });
    expect(typeof outcome.actual).toBe('number');
  });

  it('passes the labels to the lookup as written, {} for the whole run', () => {
    calls.length = 0;
    evaluateExpectation(parseExpectation('http.error_rate{phase=fault} < 1%'), lookup);
    evaluateExpectation(parseExpectation('target.x_total{route="/a"} < 1'), lookup);
    evaluateExpectation(parseExpectation('sessions.lost == 0'), lookup);
    expect(calls).toEqual([
      ['http.error_rate', { phase: 'fault' }],
      ['target.x_total', { route: '/a' }],
      ['sessions.lost', {}],
    ]);
  });

  it('fails with "no data" when the lookup has no value (undefined or NaN), whatever the operator', () => {
    for (const text of ['http.rps > 0', 'http.rps < 1000000', 'http.rps != 5']) {
      expect(evaluateExpectation(parseExpectation(text), () => undefined)).toEqual({
        expression: text,
        actual: null,
        passed: false,
        actualText: 'no data',
      });
      expect(evaluateExpectation(parseExpectation(text), () => Number.NaN)).toMatchObject({
        actual: null,
        passed: false,
        actualText: 'no data',
      });
    }
  });

  it('accepts Infinity: a recovery that never happened fails "<" and passes ">"', () => {
    const never: MetricLookup = () => Infinity;
    expect(evaluateExpectation(parseExpectation('recovery.seconds < 5'), never)).toEqual({
      expression: 'recovery.seconds < 5',
      actual: Infinity,
      passed: false,
      actualText: '∞',
    });
    expect(evaluateExpectation(parseExpectation('recovery.seconds > 5'), never).passed).toBe(true);
  });

  it('compares percentages without float noise', () => {
    expect(evaluateExpectation(parseExpectation('http.error_rate == 30%'), () => 0.1 + 0.2).passed).toBe(true);
    expect(evaluateExpectation(parseExpectation('http.error_rate < 30%'), () => 0.1 + 0.2).passed).toBe(false);
  });
});

describe('formatValue', () => {
  it.each([
    ['duration', 212, '212 ms'],
    ['duration', 0.84, '0.84 ms'],
    ['duration', 1234.56, '1235 ms'],
    ['duration', 12.345, '12.3 ms'],
    ['ratio', 0.004, '0.4%'],
    ['ratio', 0, '0%'],
    ['ratio', 1, '100%'],
    ['ratio', 0.00005, '0.005%'],
    ['bytes', 31.2 * 1024 * 1024, '31.2 MB'],
    ['bytes', 512, '512 B'],
    ['bytes', 2048, '2 KB'],
    ['seconds', 4.2, '4.2 s'],
    ['seconds', Infinity, '∞'],
    ['count', 1532, '1532'],
    ['rate', 199.6, '200/s'],
  ] as const)('%s %d → %s', (kind, value, text) => {
    expect(formatValue(kind, value)).toBe(text);
  });
});

describe('metricCatalogue', () => {
  it('lists every metric of the issue with a kind, a description and its labels', () => {
    const names = metricCatalogue.map((m) => m.name);
    for (const name of [
      'http.requests',
      'http.errors',
      'http.error_rate',
      'http.rps',
      'http.latency.p50',
      'http.latency.p90',
      'http.latency.p95',
      'http.latency.p99',
      'http.latency.max',
      'http.unauthorized',
      'sessions.created',
      'sessions.lost',
      'sessions.errors',
      'sessions.lost_rate',
      'redis.evicted_keys',
      'redis.expired_keys',
      'redis.keyspace_misses',
      'redis.rejected_connections',
      'redis.used_memory',
      'target.*',
      'recovery.seconds',
    ]) {
      expect(names).toContain(name);
    }
    for (const metric of metricCatalogue) {
      expect(metric.description.length).toBeGreaterThan(5);
      // Every catalogued name parses (the family through an example name).
      const name = metric.name === 'target.*' ? 'target.example' : metric.name;
      expect(parseExpectation(`${name} >= 0`).kind).toBe(metric.kind);
    }
    expect(metricCatalogue.find((m) => m.name === 'http.rps')?.labels.map((l) => l.values)).toEqual([
      ['baseline', 'fault', 'recovery'],
    ]);
  });
});
