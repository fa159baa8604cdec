// The run summarised for the journal: the 1-second series, the recovery time after the last revert, and the HTTP and
// Redis metrics of the whole run and of each phase.
import type { ExperimentJournal } from '../journal/journal-types.ts';
import { counterIncrease, maxIn } from './counter-deltas.ts';
import type { MethodResult } from './method.ts';
import { redisCounters, redisPoints, windowOf } from './metric-lookup.ts';
import { recoveryBounds, recoverySeconds } from './recovery.ts';
import { buildSeries } from './series.ts';

export function summarise(journal: ExperimentJournal, method: MethodResult, breakerMetric: string | undefined): void {
  const { load, samples, clock, scheduler } = method;
  journal.series = buildSeries(load, samples, breakerMetric, Math.ceil(clock.endMs / 1000));
  const bounds = recoveryBounds(load.phases.baseline);
  const fromMs = scheduler.lastRevertMs();
  const seconds = recoverySeconds(journal.series, fromMs, bounds);
  journal.recovery = { seconds: Number.isFinite(seconds) ? seconds : null, fromMs: fromMs ?? null, bounds };
  for (const phase of [undefined, 'baseline', 'fault', 'recovery'] as const) {
    const [from, to] = windowOf({ clock }, phase);
    const http = phase ? load.phases[phase] : load.total;
    if (!http) continue;
    const redis = Object.fromEntries(
      redisCounters.map((c) => [c, counterIncrease(redisPoints(samples, c), from, to) ?? 0]),
    ) as Record<(typeof redisCounters)[number], number>;
    journal.metrics[phase ?? 'run'] = {
      http,
      redis: { ...redis, used_memory: maxIn(redisPoints(samples, 'used_memory'), from, to) ?? 0 },
    };
  }
}
