// --parallel auto's choice: experiments share 60% of the cores, each starting when its expected share fits, at most one
// per core.
import { describe, expect, it } from 'vitest';
import { experimentCores, parseParallel, planParallel } from '../../src/engine/parallel-plan.ts';

const experiment = (name: string, rate: number, topology: 'single' | 'sentinel' | 'cluster' = 'single') =>
  ({ name, load: { rate }, redis: { topology } }) as Parameters<typeof planParallel>[0][number];

describe('parallel plan', () => {
  it('sizes an experiment by its topology at rest and its declared request rate', () => {
    expect(experimentCores(experiment('a', 200))).toBeCloseTo(0.52);
    expect(experimentCores(experiment('b', 200, 'sentinel'))).toBeCloseTo(0.62);
    expect(experimentCores(experiment('c', 200, 'cluster'))).toBeCloseTo(0.77);
  });

  it('up to as many as the lightest fits in 60% of the cores, bounded by the cores and the experiments', () => {
    const suite = Array.from({ length: 14 }, (_, i) => experiment(`e${i}`, 200));
    expect(planParallel(suite, 2)).toMatchObject({ level: 2, budgetCores: 1.2 }); // 1.2 / 0.52 → 2
    expect(planParallel(suite, 8).level).toBe(8); // 4.8 / 0.52 → 9, one per core
    expect(planParallel(suite, 32).level).toBe(14); // 19.2 / 0.52 → 36, one per experiment
    expect(planParallel(suite, 2).costs).toEqual(Array(14).fill(0.52));
  });

  it('names the lightest and the heaviest in its reason', () => {
    const plan = planParallel([experiment('light', 50), experiment('heavy', 1000, 'cluster')], 2);
    expect(plan.level).toBe(2); // the light one (0.28) fits 4 times; the cluster at 1,000 req/s (2.05) runs alone
    expect(plan.costs).toEqual([0.28, 2.05]);
    expect(plan.reason).toBe(
      '2 cores × 60% = 1.2 cores for experiments; each starts when its share fits beside those running (lightest ' +
        'light: single, 50 req/s, about 0.28 core; heaviest heavy: cluster, 1000 req/s, about 2.05 core) → up to 2 at a time',
    );
  });

  it('never below 1: an empty selection, a single core, an experiment heavier than the budget', () => {
    expect(planParallel([], 8).level).toBe(1);
    expect(planParallel([experiment('a', 200)], 1).level).toBe(1);
    expect(planParallel([experiment('a', 1000, 'cluster'), experiment('b', 1000, 'cluster')], 2).level).toBe(1);
  });

  it('parses 1 to 16 and auto, nothing else', () => {
    expect(parseParallel('auto')).toBe('auto');
    expect(parseParallel('1')).toBe(1);
    expect(parseParallel('16')).toBe(16);
    for (const bad of ['0', '17', '1.5', 'many', '', 'AUTO']) expect(parseParallel(bad), bad).toBeUndefined();
  });
});
