// Does an experiment fit its target: sessions.* expectations need the target's session section, cache.* ones its
// cache section (exit 2, naming the expectation, before anything starts).
import { parseExpectation } from '../expectations/index.ts';
import { cacheOf, sessionOf, type LoadedTarget } from '../targets/index.ts';
import type { Experiment } from './experiment-schema.ts';

export function checkTargetFit(experiment: Pick<Experiment, 'name' | 'expect'>, target: LoadedTarget): void {
  experiment.expect.forEach((text, i) => {
    const { metric } = parseExpectation(text);
    const needs = `experiment ${experiment.name}, expect[${i}] \`${text}\``;
    if (metric.startsWith('sessions.')) sessionOf(target, needs);
    if (metric.startsWith('cache.')) cacheOf(target, needs);
  });
}
