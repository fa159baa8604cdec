// Runs one experiment: start the world, log the ledger in, baseline → faults → recovery under load, verify, always tear
// down.
import { connectWriteProbe, type StartedWriteProbe } from './write-probe-step.ts';
import { topologyOf } from '../experiment/redis-topology.ts';
import { resolve } from 'node:path';
import { evaluateExpectation, parseExpectation } from '../expectations/index.ts';
import { CachequakeError, invalidInput, isCachequakeError } from '../errors/index.ts';
import type { StartedEnvironment } from '../runtimes/started-environment.ts';
import type { LoadedEnvironmentFile } from '../experiment/environment-file-schema.ts';
import { stagingPreflight } from '../safety/staging-preflight.ts';
import { runtimeOf, startEnvironment } from '../runtimes/start-environment.ts';
import { checkDockerFaults } from '../faults/runtime-fault-support.ts';
import { validateExperiment, type LoadedExperiment } from '../experiment/load-experiment.ts';
import type { Experiment } from '../experiment/experiment-schema.ts';
import { steadyStateProbes } from '../experiment/steady-state-probes.ts';
import type { ExperimentJournal } from '../journal/journal-types.ts';
import { emptyExperimentJournal } from './empty-journal.ts';
import { SessionLedger, type CheckSummary } from '../ledger/session-ledger.ts';
import { startLoad, type LoadResult, type RunningLoad } from '../load/index.ts';
import { authHeaders, resolveTarget, type LoadedTarget } from '../targets/index.ts';
import { AbortWatch } from './abort-watch.ts';
import { FaultScheduler } from './fault-scheduler.ts';
import { toJournalError } from './journal-error.ts';
import { metricLookup, redisCounters, redisPoints, windowOf } from './metric-lookup.ts';
import { counterIncrease, maxIn } from './counter-deltas.ts';
import { PhaseClock } from './phase-clock.ts';
import { recoveryBounds, recoverySeconds } from './recovery.ts';
import { Sampler, type Sample } from './sampler.ts';
import { buildSeries } from './series.ts';
import { checkSteadyState, SteadyStateDeviation } from './steady-state.ts';
import { StepRecorder } from './step-recorder.ts';
import { RunSafety } from '../safety/run-safety.ts';

export interface ProgressEvent {
  experiment: string;
  phase: string;
  elapsedMs: number;
  totalMs: number;
  rps: number;
  errors: number;
  p99Ms: number;
  sessionsLost: number;
}

export interface RunOptions {
  runId?: string;
  /** Aborts the run (SIGINT): faults reverted at once, everything stopped, status aborted. */
  signal?: AbortSignal;
  log?: (line: string) => void;
  onProgress?: (event: ProgressEvent) => void;
  /** Where services run; default: the experiment's `runtime` (local). */
  runtime?: 'local' | 'docker';
  /** A loaded staging environment file (--env): the staging runtime, only the faults it permits. */
  environment?: LoadedEnvironmentFile;
  /** The instance name typed with --allow-destructive (the staging guard). */
  allowDestructive?: string;
}

/** Runs an experiment given as a loaded file, or as an object (typed with defineExperiment). */
export async function runExperiment(
  input: LoadedExperiment | Experiment | Record<string, unknown>,
  options: RunOptions = {},
): Promise<ExperimentJournal> {
  const loaded: LoadedExperiment =
    'experiment' in input && 'dir' in input
      ? (input as LoadedExperiment)
      : { file: undefined, dir: process.cwd(), experiment: validateExperiment(input) };
  const { experiment } = loaded;
  const log = options.log ?? (() => {});
  const runId = options.runId ?? Math.random().toString(36).slice(2, 8);
  const steps = new StepRecorder();
  const startedAt = new Date();
  const journal: ExperimentJournal = {
    ...emptyExperimentJournal(experiment, loaded.file, startedAt),
    steps: steps.steps,
  };

  let env: StartedEnvironment | undefined;
  let ledger: SessionLedger | undefined;
  let load: RunningLoad | undefined;
  let sampler: Sampler | undefined;
  let scheduler: FaultScheduler | undefined;
  let writeProbe: StartedWriteProbe | undefined;
  const safety = new RunSafety(experiment, options.environment);
  const abort = new AbortController();
  const onOuterAbort = () =>
    abort.abort(new CachequakeError('interrupted (SIGINT/SIGTERM)', { code: 'CQ_INTERRUPTED' }));
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  if (options.signal?.aborted) onOuterAbort();

  try {
    safety.check();
    const target: LoadedTarget = await steps.run(
      'resolve target',
      () => resolveTarget(experiment.target, { baseDir: loaded.dir }),
      (t) => ({ name: t.name, file: t.file }),
    );
    journal.target = { name: target.name, file: target.file };
    const needsPostgres = experiment.postgres ?? target.needsPostgres;
    const runtime = { runtime: options.runtime ?? experiment.runtime, staging: options.environment };
    journal.environment.runtime = runtimeOf(runtime);
    if (journal.environment.runtime === 'docker') checkDockerFaults([experiment]);
    if (options.environment) {
      const staging = options.environment;
      safety.clearance = await steps.run(
        'staging preflight',
        () => stagingPreflight(staging, [experiment], { allowDestructive: options.allowDestructive }),
        () => ({ environment: staging.environment.name, permitted: staging.environment.permit }),
      );
    } else {
      for (const fault of experiment.faults) {
        if ('on' in fault && fault.on === 'postgres' && !needsPostgres)
          throw invalidInput(
            'CQ_FAULT_NEEDS_POSTGRES',
            `experiment ${experiment.name}: fault ${fault.kind} acts on postgres, but this experiment starts no PostgreSQL (target ${target.name} does not need one); nothing was started.`,
            { file: loaded.file, hint: 'Set postgres: true in the experiment, or aim the fault at on: redis.' },
          );
      }
    }

    env = await steps.run(
      'start environment',
      () =>
        startEnvironment({
          ...runtime,
          runId,
          target,
          postgres: needsPostgres,
          redis: {
            config: experiment.redis.config,
            configFile: experiment.redis.configFile ? resolve(loaded.dir, experiment.redis.configFile) : undefined,
            persistence: experiment.redis.persistence,
          },
          topology: topologyOf(experiment.redis),
          log,
        }),
      (e) => ({ runtime: e.runtime, startedInMs: e.startedInMs, target: e.target?.url, proxy: e.proxy.url }),
    );
    const started = env;
    const service = started.target as NonNullable<StartedEnvironment['target']>;
    const redisPid = started.redis().pid;
    if (redisPid !== undefined && service.pid !== undefined)
      journal.environment.processes = {
        redis: redisPid,
        postgres: started.postgres()?.pid ?? null,
        target: service.pid,
      };
    journal.environment.startedInMs = started.startedInMs;
    journal.environment.proxy = started.proxy.embedded
      ? `embedded at ${started.proxy.url}`
      : `toxiproxy at ${started.proxy.url}`;
    journal.environment.versions = await started.versions();
    journal.environment.redisConfig = await started.effectiveRedisConfig();

    const activeLedger = new SessionLedger(target, service.url, experiment.load.timeout);
    ledger = activeLedger;
    await steps.run(
      `log in ${experiment.sessions.users} users`,
      () => activeLedger.loginAll({ ...experiment.sessions, userPrefix: `cq-${runId}-user-` }),
      () => ({ created: activeLedger.entries.length, failures: activeLedger.loginFailures }),
    );
    journal.sessions.created = activeLedger.entries.length;
    journal.sessions.loginFailures = activeLedger.loginFailures;
    log(`${activeLedger.entries.length} sessions in the ledger`);

    journal.steadyState.before = await steps.run('steady state before', () =>
      checkSteadyState(service.url, steadyStateProbes(experiment, target)),
    );
    if (journal.steadyState.before.some((r) => !r.passed)) {
      journal.steadyState.deviated = true;
      throw new SteadyStateDeviation(journal.steadyState.before);
    }

    await steps.run(
      'snapshot the Redis config',
      () => safety.snapshot(started),
      (s) => s,
    );
    // t = 0: load, probes and the fault schedule start together.
    const clock = new PhaseClock(experiment.phases);
    journal.phases = clock.journalPhases();
    writeProbe = await steps.run(
      'connect the write probe',
      () => connectWriteProbe(experiment, started, clock, runId, log),
      (p) => (p ? { ratePerSecond: p.ratePerSecond } : { skipped: true }),
    );
    const metricsPath = target.manifest.metrics?.path;
    const metricsUrl = started.metricsUrl ?? (metricsPath ? `${service.url}${metricsPath}` : undefined);
    const activeSampler = new Sampler({
      env: started,
      ledger: activeLedger,
      clock,
      samplePerSecond: experiment.sessions.samplePerSecond,
      metricsUrl,
    });
    sampler = activeSampler;
    await activeSampler.sampleNow(false);
    const carrier = target.manifest.session.token;
    const k6 =
      experiment.load.driver === 'k6'
        ? await (
            await import('../load/k6/k6-driver.ts')
          ).startK6Load({
            script: resolve(loaded.dir, experiment.load.script as string),
            baseUrl: service.url,
            rateRps: experiment.load.rate,
            durationMs: clock.endMs,
            timeoutMs: experiment.load.timeout,
            phases: journal.phases,
            tokens: activeLedger.entries.map((e) => e.token),
            startedAtMs: clock.startedAtEpochMs,
          })
        : undefined;
    const activeLoad =
      k6 ??
      startLoad({
        baseUrl: service.url,
        mix: target.manifest.traffic.map((t) => ({
          method: t.method,
          path: t.path.replace(/\{\{\s*user\s*\}\}/g, 'cachequake'),
          authenticated: t.auth,
          weight: t.weight,
          body: t.body as Record<string, unknown> | undefined,
        })),
        rateRps: experiment.load.rate,
        timeoutMs: experiment.load.timeout,
        maxInFlight: experiment.load.maxInFlight,
        maxDurationMs: clock.endMs,
        tokenSource: () => activeLedger.randomSession()?.token,
        attachToken: (headers, token) => Object.assign(headers, authHeaders(carrier, token)),
        phaseSource: () => clock.current(),
      });
    load = activeLoad;
    const activeScheduler = new FaultScheduler(
      experiment.faults,
      started,
      clock,
      log,
      safety.faultSafety((error) => abort.abort(error)),
    );
    scheduler = activeScheduler;
    journal.faults = activeScheduler.records;
    writeProbe?.probe.start();
    activeScheduler.start();

    const watch = new AbortWatch(experiment.abort);
    let lostSoFar = 0;
    let lastSample: Sample | undefined;
    options.onProgress?.({
      experiment: experiment.name,
      phase: clock.current(),
      elapsedMs: 0,
      totalMs: clock.endMs,
      rps: 0,
      errors: 0,
      p99Ms: 0,
      sessionsLost: 0,
    });
    const progress = setInterval(() => {
      const snap = activeLoad.snapshot();
      lastSample = activeSampler.samples.at(-1);
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
        p99Ms: snap.p99MsLastSecond,
        sessionsLost: (lostSoFar = Math.max(lostSoFar, lastSample?.sessions?.lost ?? 0)),
      });
    }, 1000);
    activeSampler.start();

    try {
      log(`baseline ${experiment.phases.baseline / 1000}s at ${experiment.load.rate} req/s`);
      const faultEnd = clock.window('fault').endMs;
      if (await clock.sleepUntil(faultEnd, abort.signal)) {
        await activeScheduler.revertAll();
        log('faults reverted; recovery');
        await clock.sleepUntil(clock.endMs, abort.signal);
      }
    } finally {
      clearInterval(progress);
      await activeScheduler.revertAll();
      await activeSampler.stop();
    }
    const loadResult = await activeLoad.stop();
    load = undefined;
    await activeSampler.sampleNow(false);
    if (writeProbe) {
      const { probe, ratePerSecond } = writeProbe;
      writeProbe = undefined;
      const result = await steps.run(
        'read back the probe writes',
        () => probe.stop(),
        (r) => ({ acknowledged: r.acknowledged, lost: r.lost, failed: r.failed, refusedMs: r.refusedMs }),
      );
      journal.writes = { ...result, ratePerSecond };
      log(
        `write probe: ${result.acknowledged} of ${result.attempted} writes acknowledged, ${result.lost} lost, ${result.failed} failed; writes refused for ${result.refusedMs} ms at most`,
      );
    }

    if (abort.signal.aborted) {
      journal.abort ??= {
        reason: String((abort.signal.reason as Error)?.message ?? 'aborted'),
        atMs: Math.round(clock.elapsedMs()),
      };
      steps.skipped('validate every session', 'the run was aborted');
    } else {
      journal.steadyState.after = await steps.run('steady state after', () =>
        checkSteadyState(service.url, steadyStateProbes(experiment, target)),
      );
      journal.steadyState.deviated = journal.steadyState.after.some((r) => !r.passed);
      const final: CheckSummary = await steps.run(
        'validate every session',
        () => activeLedger.checkAll(experiment.sessions.concurrency),
        (s) => ({ checked: s.checked, valid: s.valid, lost: s.lost, errors: s.errors }),
      );
      // lost = answered 401 at the end, or to any check during the run (a client drops its session on a 401)
      const lost = activeLedger.loggedOutCount();
      journal.sessions = {
        ...journal.sessions,
        valid: final.valid,
        lost,
        lostAtEnd: final.lost,
        loggedOutDuringRun: lost - final.lost,
        errors: final.errors,
        lostRate: final.checked ? lost / final.checked : 0,
        lostUsers: final.lostUsers,
        errorReasons: final.errorReasons,
      };
    }

    summarise(
      journal,
      loadResult,
      activeSampler.samples,
      clock,
      activeScheduler,
      target.manifest.metrics?.breakerStateMetric,
    );
    if (!abort.signal.aborted) {
      const lookup = metricLookup({
        load: loadResult,
        samples: activeSampler.samples,
        clock,
        sessions: journal.sessions,
        recoverySeconds: journal.recovery.seconds ?? Infinity,
        writes: journal.writes,
      });
      journal.expectations = experiment.expect.map((text) => evaluateExpectation(parseExpectation(text), lookup));
      // k6's own thresholds count like expectations (k6 itself would exit 99)
      for (const t of k6?.thresholds() ?? [])
        journal.expectations.push({
          expression: `k6 threshold ${t.metric}: ${t.expression}`,
          actual: null,
          actualText: t.passed ? 'held' : 'crossed',
          passed: t.passed,
        });
    }
    journal.status = abort.signal.aborted
      ? 'aborted'
      : journal.expectations.every((e) => e.passed) && !journal.steadyState.deviated
        ? 'passed'
        : 'failed';
  } catch (error) {
    // the system under test deviated: a verdict (failed, exit 1), not an error of the run
    if (error instanceof SteadyStateDeviation) journal.status = 'failed';
    else journal.status = abort.signal.aborted ? 'aborted' : 'error';
    journal.error = toJournalError(error);
    if (!isCachequakeError(error)) log(`error: ${(error as Error).message}`);
  } finally {
    options.signal?.removeEventListener('abort', onOuterAbort);
    const targetLog = env?.target?.logTail(40); // empty on staging: the target's output is not ours to see
    if (targetLog) journal.environment.targetLog = targetLog.split('\n');
    await steps
      .run('teardown', async () => {
        await scheduler?.revertAll().catch(() => undefined);
        await safety.restore().catch(() => undefined);
        writeProbe?.probe.close();
        await sampler?.stop().catch(() => undefined);
        await load?.stop().catch(() => undefined);
        await ledger?.close();
        await env?.stop();
      })
      .catch(() => undefined);
    journal.safety = await safety.journal();
    if (safety.refusal) {
      journal.status = 'error';
      journal.error = toJournalError(safety.refusal);
    }
    const endedAt = new Date();
    journal.endedAt = endedAt.toISOString();
    journal.durationMs = endedAt.getTime() - startedAt.getTime();
  }
  return journal;
}

function summarise(
  journal: ExperimentJournal,
  load: LoadResult,
  samples: Sample[],
  clock: PhaseClock,
  scheduler: FaultScheduler,
  breakerMetric: string | undefined,
): void {
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
