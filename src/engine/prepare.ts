// The prepare phase: the target resolved, the run checked against its runtime (docker support, the staging preflight,
// a PostgreSQL fault without PostgreSQL, sessions.* or cache.* expectations the target cannot answer), the environment
// started, the ledger's users logged in (a target with a session) and the cache read at baseline (a target with a
// cache). Each thing started registers its cleanup with the teardown as it starts.
import { resolve } from 'node:path';
import { invalidInput } from '../errors/index.ts';
import { topologyOf } from '../experiment/redis-topology.ts';
import { checkDockerFaults } from '../faults/runtime-fault-support.ts';
import { CacheLedger } from '../ledger/cache-ledger.ts';
import { SessionLedger } from '../ledger/session-ledger.ts';
import { checkTargetFit } from '../experiment/target-fit.ts';
import { runtimeOf, startEnvironment, type RuntimePlan } from '../runtimes/start-environment.ts';
import type { EnvironmentTarget, StartedEnvironment } from '../runtimes/started-environment.ts';
import { stagingPreflight } from '../safety/staging-preflight.ts';
import { resolveTarget, type LoadedTarget } from '../targets/index.ts';
import { deferRestore } from './rollback.ts';
import type { RunContext } from './run-context.ts';
import type { Teardown } from './teardown.ts';

/** What the run reaches outside itself; tests swap one to reach a failure a real run rarely shows. */
export interface RunDependencies {
  startEnvironment: (plan: RuntimePlan) => Promise<StartedEnvironment>;
  /** Called once the environment started and registered its cleanup (a test seam: may register more). */
  onStarted?: (env: StartedEnvironment, teardown: Teardown) => void;
}

export const realDependencies: RunDependencies = { startEnvironment };

export interface PreparedRun {
  target: LoadedTarget;
  env: StartedEnvironment;
  /** The target's HTTP service. */
  service: EnvironmentTarget;
  /** The session ledger; none for a target without a session section. */
  ledger: SessionLedger | undefined;
  /** The cache ledger; none for a target without a cache section. */
  cache: CacheLedger | undefined;
}

export async function prepare(ctx: RunContext, deps: RunDependencies): Promise<PreparedRun> {
  const { experiment, journal, steps, options } = ctx;
  ctx.safety.check();
  const target = await steps.run(
    'resolve target',
    () => resolveTarget(experiment.target, { baseDir: ctx.loaded.dir }),
    (t) => ({ name: t.name, file: t.file }),
  );
  journal.target = { name: target.name, file: target.file };
  checkTargetFit(experiment, target);
  const needsPostgres = experiment.postgres ?? target.needsPostgres;
  const runtime = { runtime: options.runtime ?? experiment.runtime, staging: options.environment };
  journal.environment.runtime = runtimeOf(runtime);
  if (journal.environment.runtime === 'docker') checkDockerFaults([experiment]);
  const staging = options.environment;
  if (staging)
    ctx.safety.clearance = await steps.run(
      'staging preflight',
      () => stagingPreflight(staging, [experiment], { allowDestructive: options.allowDestructive }),
      () => ({ environment: staging.environment.name, permitted: staging.environment.permit }),
    );
  else checkPostgresFaults(ctx, target, needsPostgres);

  const env = await steps.run(
    'start environment',
    () =>
      deps.startEnvironment({
        ...runtime,
        runId: ctx.runId,
        target,
        postgres: needsPostgres,
        redis: {
          config: experiment.redis.config,
          configFile: experiment.redis.configFile ? resolve(ctx.loaded.dir, experiment.redis.configFile) : undefined,
          persistence: experiment.redis.persistence,
        },
        topology: topologyOf(experiment.redis),
        log: ctx.log,
      }),
    (e) => ({ runtime: e.runtime, startedInMs: e.startedInMs, target: e.target?.url, proxy: e.proxy.url }),
  );
  ctx.env = env;
  ctx.teardown.defer('stop the environment', () => env.stop());
  deps.onStarted?.(env, ctx.teardown);
  deferRestore(ctx);
  const service = env.target as EnvironmentTarget;
  await recordEnvironment(ctx, env, service);
  const ledger = target.manifest.session ? await logIn(ctx, target, service) : undefined;
  if (!ledger) ctx.steps.skipped('log in users', `target ${target.name} has no session section: no session ledger`);
  const cache = target.manifest.cache ? await readCacheBaseline(ctx, target, service) : undefined;
  return { target, env, service, ledger, cache };
}

/** Off staging: a fault on PostgreSQL needs the PostgreSQL this run would start (exit 2 before anything starts). */
function checkPostgresFaults(ctx: RunContext, target: LoadedTarget, needsPostgres: boolean): void {
  const { experiment } = ctx;
  for (const fault of experiment.faults)
    if ('on' in fault && fault.on === 'postgres' && !needsPostgres)
      throw invalidInput(
        'CQ_FAULT_NEEDS_POSTGRES',
        `experiment ${experiment.name}: fault ${fault.kind} acts on postgres, but this experiment starts no PostgreSQL (target ${target.name} does not need one); nothing was started.`,
        { file: ctx.loaded.file, hint: 'Set postgres: true in the experiment, or aim the fault at on: redis.' },
      );
}

async function recordEnvironment(ctx: RunContext, env: StartedEnvironment, service: EnvironmentTarget) {
  const { environment } = ctx.journal;
  const redisPid = env.redis().pid;
  if (redisPid !== undefined && service.pid !== undefined)
    environment.processes = { redis: redisPid, postgres: env.postgres()?.pid ?? null, target: service.pid };
  environment.startedInMs = env.startedInMs;
  environment.proxy = env.proxy.embedded ? `embedded at ${env.proxy.url}` : `toxiproxy at ${env.proxy.url}`;
  environment.versions = await env.versions();
  environment.redisConfig = await env.effectiveRedisConfig();
}

async function logIn(ctx: RunContext, target: LoadedTarget, service: EnvironmentTarget): Promise<SessionLedger> {
  const { experiment, journal } = ctx;
  const ledger = new SessionLedger(target, service.url, experiment.load.timeout);
  ctx.teardown.defer('close the ledger', () => ledger.close());
  await ctx.steps.run(
    `log in ${experiment.sessions.users} users`,
    () => ledger.loginAll({ ...experiment.sessions, userPrefix: `cq-${ctx.runId}-user-` }),
    () => ({ created: ledger.entries.length, failures: ledger.loginFailures }),
  );
  journal.sessions.created = ledger.entries.length;
  journal.sessions.loginFailures = ledger.loginFailures;
  ctx.log(`${ledger.entries.length} sessions in the ledger`);
  return ledger;
}

async function readCacheBaseline(ctx: RunContext, target: LoadedTarget, service: EnvironmentTarget) {
  const section = target.manifest.cache;
  if (!section) return undefined;
  const cache = new CacheLedger(section, service.url, ctx.experiment.load.timeout);
  ctx.teardown.defer('close the cache ledger', () => cache.close());
  await ctx.steps.run(
    `read ${section.read.path} for ids ${section.ids.from}..${section.ids.to}`,
    () => cache.readBaseline(target, ctx.experiment.cache.concurrency),
    () => ({ ids: cache.entries.length, failures: cache.baselineFailures }),
  );
  ctx.journal.cache = {
    path: `${section.read.method} ${section.read.path}`,
    ids: cache.entries.length,
    baselineFailures: cache.baselineFailures,
    reads: 0,
    stale: 0,
    staleAtEnd: 0,
    errors: 0,
    staleIds: [],
    staleExamples: [],
    errorReasons: {},
  };
  ctx.log(`${cache.entries.length} cached ids read at baseline`);
  return cache;
}
