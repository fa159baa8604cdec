// compareJournals on real journals: which metrics got better or worse, flipped expectations, Redis config changes.
import { describe, expect, it } from 'vitest';
import { compareJournals, renderCompareHtml, renderCompareMarkdown } from '../../src/reports/index.ts';
import { loadFixture } from './journal-fixtures.ts';

describe('compareJournals', () => {
  it('passed → failed: sessions, errors and recovery are worse, four expectations flipped, no config change', () => {
    const [x] = compareJournals(loadFixture('passed'), loadFixture('failed')).experiments;
    expect(x?.status).toEqual({ a: 'passed', b: 'failed' });
    const metric = (name: string) => x?.metrics.find((m) => m.metric === name);
    expect(metric('sessions.lost')).toMatchObject({ a: '0', b: '175', delta: '+175', change: 'worse' });
    expect(metric('http.error_rate{phase=fault}')).toMatchObject({ a: '0%', change: 'worse' });
    expect(metric('http.error_rate{phase=fault}')?.delta).toMatch(/^\+\d+(\.\d)? pt$/);
    expect(metric('recovery.seconds')).toMatchObject({ b: '∞', delta: '→ ∞', change: 'worse' });
    expect(metric('http.rps{phase=fault}')?.change).toBe('same');
    expect(x?.expectations.filter((e) => e.change === 'worse').map((e) => e.expression)).toEqual([
      'sessions.lost == 0',
      'http.error_rate{phase=fault} < 1%',
      'http.latency.p99{phase=fault} < 250ms',
      'recovery.seconds < 5',
    ]);
    // each run has its own temp dir and port: not a config change
    expect(x?.redisConfig).toEqual([]);
  });

  it('tells logged-out users from a failing service: the 401s worse, 5xx unchanged at 0', () => {
    const [x] = compareJournals(loadFixture('passed'), loadFixture('failed')).experiments;
    const metric = (name: string) => x?.metrics.find((m) => m.metric === name);
    // the failed run's fault phase had only 401s (errorsByReason: unauthorized)
    expect(metric('http.unauthorized_rate{phase=fault}')).toMatchObject({ a: '0%', change: 'worse' });
    expect(metric('http.server_error_rate{phase=fault}')).toMatchObject({ a: '0%', b: '0%', change: 'same' });
    expect(metric('http.timeout_rate{phase=fault}')?.change).toBe('same');
    expect(metric('http.connection_error_rate{phase=fault}')?.change).toBe('same');
  });

  it('failed → passed reads as better; a run compared with itself is the same everywhere', () => {
    const [x] = compareJournals(loadFixture('failed'), loadFixture('passed')).experiments;
    expect(x?.metrics.find((m) => m.metric === 'sessions.lost')?.change).toBe('better');
    const [same] = compareJournals(loadFixture('failed'), loadFixture('failed')).experiments;
    expect(new Set(same?.metrics.map((m) => m.change))).toEqual(new Set(['same']));
  });

  it('names a changed Redis setting, and an experiment present in only one run', () => {
    const b = loadFixture('passed');
    const e = b.experiments[0];
    if (e) e.environment.redisConfig['maxmemory-policy'] = 'volatile-lru';
    b.experiments.push({ ...(e as NonNullable<typeof e>), name: 'only-in-b' });
    const c = compareJournals(loadFixture('passed'), b);
    expect(c.experiments[0]?.redisConfig).toEqual([{ key: 'maxmemory-policy', a: 'allkeys-lru', b: 'volatile-lru' }]);
    expect(c.experiments[1]).toMatchObject({ name: 'only-in-b', status: { a: 'absent', b: 'passed' } });
    expect(c.experiments[1]?.metrics.every((m) => m.change === 'n/a')).toBe(true);
  });

  it('warns when the runs shared the machine differently (parallelism), and not otherwise', () => {
    const a = loadFixture('passed');
    const b = loadFixture('passed');
    expect(compareJournals(a, b).caveats).toEqual([]); // journals without the field: one at a time each
    b.parallel = { requested: 'auto', level: 2, cores: 2, maxAtOnce: 2 };
    const c = compareJournals(a, b);
    expect(c.caveats).toHaveLength(1);
    expect(c.caveats[0]).toContain('A ran up to 1 experiment(s) at a time, B up to 2');
    expect(renderCompareMarkdown(c)).toContain('> ⚠️ A ran up to 1 experiment(s) at a time, B up to 2');
    expect(renderCompareHtml(c)).toContain('<p class="caveat">⚠️ A ran up to 1 experiment(s) at a time, B up to 2');
    a.parallel = { requested: 2, level: 2, cores: 2, maxAtOnce: 2 };
    expect(compareJournals(a, b).caveats).toEqual([]);
  });
});
