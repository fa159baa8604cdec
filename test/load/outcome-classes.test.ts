// The outcome classes: which error reasons count as sessions lost, 5xx, timeouts, connection errors, other; and the
// expectation metrics built on them, next to http.error_rate which keeps counting every class.
import { describe, expect, it } from 'vitest';
import { metricLookup, type RunData } from '../../src/engine/metric-lookup.ts';
import { errorsByClass, outcomeClassOf } from '../../src/load/index.ts';
import type { LoadStats } from '../../src/load/index.ts';

describe('outcome classes', () => {
  it('sorts every reason the driver produces into one class', () => {
    expect(
      Object.fromEntries(
        [
          'unauthorized',
          'status:403',
          'status:401',
          'status:500',
          'status:503',
          'timeout',
          'ECONNREFUSED',
          'ECONNRESET',
          'UND_ERR_SOCKET',
          'dropped',
          'no-token',
          'status:404',
          'Error',
        ].map((r) => [r, outcomeClassOf(r)]),
      ),
    ).toEqual({
      unauthorized: 'unauthorized',
      'status:403': 'unauthorized',
      // a 401 on a route sent without a session is the route's rule, not a lost session
      'status:401': 'other',
      'status:500': 'serverError',
      'status:503': 'serverError',
      timeout: 'timeout',
      ECONNREFUSED: 'connectionError',
      ECONNRESET: 'connectionError',
      UND_ERR_SOCKET: 'connectionError',
      dropped: 'other',
      'no-token': 'other',
      'status:404': 'other',
      Error: 'other',
    });
  });

  it('gives a run with only 401s an unauthorized_rate equal to its error_rate and a server_error_rate of 0', () => {
    const stats = {
      requests: 4000,
      errors: 3606,
      errorRate: 3606 / 4000,
      unauthorized: 3606,
      errorsByReason: { unauthorized: 3606 },
    } as unknown as LoadStats;
    const lookup = metricLookup({
      load: { total: stats, phases: { fault: stats } } as unknown as RunData['load'],
      clock: { window: () => ({ startMs: 0, endMs: 1 }) } as unknown as RunData['clock'],
      samples: [],
      sessions: { created: 0, lost: 0, errors: 0 },
      recoverySeconds: 0,
    });
    expect(lookup('http.error_rate', { phase: 'fault' })).toBeCloseTo(0.9015, 4);
    expect(lookup('http.unauthorized_rate', { phase: 'fault' })).toBeCloseTo(0.9015, 4);
    expect(lookup('http.unauthorized_or_forbidden', {})).toBe(3606);
    expect(lookup('http.server_error_rate', {})).toBe(0);
    expect(lookup('http.server_errors', {})).toBe(0);
    expect(lookup('http.timeout_rate', {})).toBe(0);
    expect(lookup('http.connection_error_rate', {})).toBe(0);
    expect(errorsByClass({ unauthorized: 2, 'status:502': 3, ECONNRESET: 1, timeout: 4, dropped: 5 })).toEqual({
      unauthorized: 2,
      serverError: 3,
      connectionError: 1,
      timeout: 4,
      other: 5,
    });
  });
});
