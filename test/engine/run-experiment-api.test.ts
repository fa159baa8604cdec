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
    const journal = await runExperiment(loaded as NonNullable<typeof loaded>, { onProgress: (e) => progress.push(e.phase) });
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

  it('accepts a plain object and reports invalid input as an error entry, starting nothing', async () => {
    await expect(runExperiment({ name: 'x', faults: [{ kind: 'nope' }] })).rejects.toThrow(/faults\[0\]\.kind/);
  });

  it('is listed by `cachequake validate`', async () => {
    const result = await runCli(['validate', file]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('short-flush → session-service, 1 fault(s), 2 expectation(s)');
  });
});
