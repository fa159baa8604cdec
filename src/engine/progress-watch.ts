// Once a second during the method: the progress event for the caller, and the experiment's abort conditions checked
// on the last second of load and samples (one that holds aborts the run, recorded in the journal).
import { CachequakeError } from '../errors/index.ts';
import type { RunningLoad } from '../load/index.ts';
import { AbortWatch } from './abort-watch.ts';
import type { PhaseClock } from './phase-clock.ts';
import type { RunContext } from './run-context.ts';
import type { Sampler } from './sampler.ts';

/** Starts the once-a-second watch (a first progress event at once); returns what stops it. */
export function startProgressWatch(ctx: RunContext, clock: PhaseClock, load: RunningLoad, sampler: Sampler) {
  const { experiment, options, journal, abort } = ctx;
  const watch = new AbortWatch(experiment.abort);
  let lostSoFar = { lost: 0, checked: 0 };
  options.onProgress?.({
    experiment: experiment.name,
    phase: clock.current(),
    elapsedMs: 0,
    totalMs: clock.endMs,
    rps: 0,
    errors: 0,
    errorsPerSecond: 0,
    p99Ms: 0,
    sessionsLost: 0,
    sessionsSampled: 0,
  });
  const timer = setInterval(() => {
    const snap = load.snapshot();
    const lastSample = sampler.samples.at(-1);
    const phase = clock.current();
    const tripped = watch.observe({ load: snap, sample: lastSample }, phase);
    if (tripped && !abort.signal.aborted) {
      journal.abort = { reason: `abort condition held: ${tripped}`, atMs: Math.round(clock.elapsedMs()) };
      abort.abort(new CachequakeError(journal.abort.reason, { code: 'CQ_ABORT_CONDITION' }));
    }
    options.onProgress?.({
      experiment: experiment.name,
      phase,
      elapsedMs: clock.elapsedMs(),
      totalMs: clock.endMs,
      rps: snap.rpsLastSecond,
      errors: snap.errors,
      errorsPerSecond: snap.errorsLastSecond,
      p99Ms: snap.p99MsLastSecond,
      sessionsLost: (lostSoFar = worstSample(lostSoFar, lastSample?.sessions)).lost,
      sessionsSampled: lostSoFar.checked,
      cacheStale: staleReads(sampler),
      hasSessions: sampler.hasLedger,
    });
  }, 1000);
  return { stop: () => clearInterval(timer) };
}

/** Cache reads that answered differently from the baseline so far; undefined without a cache check. */
function staleReads(sampler: Sampler): number | undefined {
  let stale: number | undefined;
  for (const s of sampler.samples) if (s.cache) stale = (stale ?? 0) + s.cache.stale;
  return stale;
}

/** The sample that lost the most sessions so far (the latest one until any is lost), with how many it checked. */
function worstSample(
  worst: { lost: number; checked: number },
  sessions: { lost: number; checked: number } | undefined,
): { lost: number; checked: number } {
  if (!sessions) return worst;
  return sessions.lost > worst.lost || worst.lost === 0 ? { lost: sessions.lost, checked: sessions.checked } : worst;
}
