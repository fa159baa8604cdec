// The method: at t = 0 the load, the probes (sampler, write probe) and the fault schedule start together; baseline,
// faults, revert, recovery on the phase clock (an abort cuts it short); then the load stopped and the writes read back.
import type { LoadResult } from '../load/index.ts';
import type { K6Threshold } from '../load/k6/k6-thresholds.ts';
import { FaultScheduler } from './fault-scheduler.ts';
import { startLiveSeries } from './live-series.ts';
import { startLoadDriver } from './load-driver.ts';
import { PhaseClock } from './phase-clock.ts';
import type { PreparedRun } from './prepare.ts';
import { startProgressWatch } from './progress-watch.ts';
import { deferFaultRevert } from './rollback.ts';
import type { RunContext } from './run-context.ts';
import { Sampler, type Sample } from './sampler.ts';
import { connectWriteProbe, type StartedWriteProbe } from './write-probe-step.ts';

export interface MethodResult {
  clock: PhaseClock;
  load: LoadResult;
  samples: Sample[];
  scheduler: FaultScheduler;
  /** k6's own thresholds (none for the built-in driver). */
  thresholds(): K6Threshold[];
}

export async function runMethod(ctx: RunContext, run: PreparedRun): Promise<MethodResult> {
  const { experiment, journal, steps, safety, log, abort, teardown } = ctx;
  const { env } = run;
  await steps.run(
    'snapshot the Redis config',
    () => safety.snapshot(env),
    (s) => s,
  );
  const clock = new PhaseClock(experiment.phases);
  journal.phases = clock.journalPhases();
  const writeProbe = await steps.run(
    'connect the write probe',
    () => connectWriteProbe(experiment, env, clock, ctx.runId, log),
    (p) => (p ? { ratePerSecond: p.ratePerSecond } : { skipped: true }),
  );
  const probeCleanup = writeProbe && teardown.defer('close the write probe', () => writeProbe.probe.close());
  const metricsPath = run.target.manifest.metrics?.path;
  const sampler = new Sampler({
    env,
    ledger: run.ledger,
    cache: run.cache && { ledger: run.cache, samplePerSecond: experiment.cache.samplePerSecond },
    clock,
    samplePerSecond: experiment.sessions.samplePerSecond,
    metricsUrl: env.metricsUrl ?? (metricsPath ? `${run.service.url}${metricsPath}` : undefined),
  });
  teardown.defer('stop the sampler', () => sampler.stop());
  await sampler.sampleNow(false);
  const driver = await startLoadDriver(ctx, run, clock, journal.phases);
  const loadCleanup = teardown.defer('stop the load', () => driver.load.stop());
  const scheduler = new FaultScheduler(
    experiment.faults,
    env,
    clock,
    log,
    safety.faultSafety((error) => abort.abort(error)),
    (fault, injectingSinceMs) =>
      ctx.options.onEvent?.({ type: 'fault', experiment: experiment.name, fault: { ...fault }, injectingSinceMs }),
  );
  deferFaultRevert(ctx, scheduler);
  journal.faults = scheduler.records;
  ctx.options.onEvent?.({
    type: 'experiment-started',
    experiment: experiment.name,
    t0EpochMs: clock.startedAtEpochMs,
    phases: journal.phases,
    faults: scheduler.records.map((f) => ({ ...f })),
  });
  writeProbe?.probe.start();
  scheduler.start();
  const progress = startProgressWatch(ctx, clock, driver.load, sampler);
  teardown.defer('stop the progress watch', progress.stop);
  const live = startLiveSeries(ctx, clock, driver.load, sampler, run.target.manifest.metrics?.breakerStateMetric);
  teardown.defer('stop the live series', live.stop);
  sampler.start();

  try {
    log(`baseline ${experiment.phases.baseline / 1000}s at ${experiment.load.rate} req/s`);
    if (await clock.sleepUntil(clock.window('fault').endMs, abort.signal)) {
      await scheduler.revertAll();
      log('faults reverted; recovery');
      await clock.sleepUntil(clock.endMs, abort.signal);
    }
  } finally {
    progress.stop();
    live.stop();
    await scheduler.revertAll();
    await sampler.stop();
  }
  const load = await driver.load.stop();
  loadCleanup.dismiss();
  await sampler.sampleNow(false);
  if (writeProbe) {
    probeCleanup?.dismiss(); // read back (and closed) below, whatever happens
    await readBackWrites(ctx, writeProbe);
  }
  return { clock, load, samples: sampler.samples, scheduler, thresholds: driver.thresholds };
}

async function readBackWrites(ctx: RunContext, { probe, ratePerSecond }: StartedWriteProbe): Promise<void> {
  const result = await ctx.steps.run(
    'read back the probe writes',
    () => probe.stop(),
    (r) => ({ acknowledged: r.acknowledged, lost: r.lost, failed: r.failed, refusedMs: r.refusedMs }),
  );
  ctx.journal.writes = { ...result, ratePerSecond };
  ctx.log(
    `write probe: ${result.acknowledged} of ${result.attempted} writes acknowledged, ${result.lost} lost, ${result.failed} failed; writes refused for ${result.refusedMs} ms at most`,
  );
}
