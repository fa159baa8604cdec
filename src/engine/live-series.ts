// Once a second, for a watcher (RunOptions.onEvent): the journal's series so far, built by the same buildSeries the
// final journal is summarised with; nothing runs when nobody watches.
import type { RunningLoad } from '../load/index.ts';
import type { PhaseClock } from './phase-clock.ts';
import type { RunContext } from './run-context.ts';
import type { Sampler } from './sampler.ts';
import { buildSeries } from './series.ts';

export function startLiveSeries(
  ctx: RunContext,
  clock: PhaseClock,
  load: RunningLoad,
  sampler: Sampler,
  breakerMetric: string | undefined,
): { stop: () => void } {
  const onEvent = ctx.options.onEvent;
  if (!onEvent) return { stop: () => {} };
  const emit = () => {
    const elapsedMs = clock.elapsedMs();
    onEvent({
      type: 'series',
      experiment: ctx.experiment.name,
      elapsedMs: Math.round(elapsedMs),
      phase: clock.phaseAt(elapsedMs),
      series: buildSeries(load.result(), sampler.samples, breakerMetric, Math.floor(elapsedMs / 1000)),
    });
  };
  const timer = setInterval(emit, 1000);
  return { stop: () => clearInterval(timer) };
}
