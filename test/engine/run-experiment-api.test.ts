// runExperiment() from TypeScript, as a vitest suite would call it: the journal entry comes back as data.
import { describe, expect, it } from 'vitest';
import { loadExperiments, runExperiment } from '../../src/index.ts';
import { runCli } from '../fixtures/run-cli.ts';

const file = new URL('../fixtures/experiments/short-flush.experiment.ts', import.meta.url).pathname;

describe('runExperiment()', () => {
  it('runs a defineExperiment() file and returns the journal entry', async () => {
    const [loaded] = await loadExperiments([file]);
    expect(loaded?.experiment.phases).toEqual({ baseline: 1000, fault: 2000, recovery: 2000 });
    const progress: string[] = [];
    const journal = await runExperiment(loaded as NonNullable<typeof loaded>, {
      onProgress: (e) => progress.push(e.phase),
    });
    expect(journal.status).toBe('passed');
    expect(journal.expectations).toEqual([
      { expression: 'sessions.lost == 0', actual: 0, passed: true, actualText: '0' },
      { expression: 'http.unauthorized == 0', actual: 0, passed: true, actualText: '0' },
    ]);
    expect(journal.faults[0]).toMatchObject({ kind: 'flushall', scheduledAtMs: 1500, status: 'reverted' });
    expect(Math.abs(journal.faults[0]?.lagMs ?? 99)).toBeLessThan(50);
    expect(journal.phases.map((p) => p.name)).toEqual(['baseline', 'fault', 'recovery']);
    expect(new Set(progress)).toEqual(new Set(['baseline', 'fault', 'recovery']));
    expect(journal.metrics.baseline?.http.requests).toBeGreaterThan(30);
  });

  it('counts the writes a FLUSHALL took with the write probe, and an expectation on writes.lost fails with the count', async () => {
    const journal = await runExperiment({
      name: 'probe-flush',
      target: 'session-service',
      redis: { writeProbe: { rate: 100 } },
      sessions: { users: 20, samplePerSecond: 5 },
      load: { rate: 20 },
      phases: { baseline: '1s', fault: '1s', recovery: '1s' },
      faults: [{ kind: 'flushall', at: '500ms' }],
      expect: ['writes.lost == 0', 'sessions.lost == 0'],
    });
    const writes = journal.writes;
    expect(writes?.ratePerSecond).toBe(100);
    expect(writes?.failed).toBe(0);
    // about 150 writes were acknowledged before the flush at t = 1.5 s, about 150 after it
    expect(writes?.lost).toBeGreaterThan(100);
    expect(writes?.lost).toBeLessThan((writes?.acknowledged ?? 0) - 100);
    expect(journal.expectations[0]).toMatchObject({
      expression: 'writes.lost == 0',
      actual: writes?.lost,
      passed: false,
    });
    expect(journal.expectations[1]?.passed).toBe(true);
    expect(journal.status).toBe('failed');
  });

  it('accepts a plain object and reports invalid input as an error entry, starting nothing', async () => {
    await expect(runExperiment({ name: 'x', faults: [{ kind: 'nope' }] })).rejects.toThrow(/faults\[0\]\.kind/);
  });

  it('is listed by `cachequake validate`', async () => {
    const result = await runCli(['validate', file]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('short-flush → session-service, 1 fault(s), 2 expectation(s)');
  });
});
