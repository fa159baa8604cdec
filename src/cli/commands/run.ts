// `cachequake run <file|dir>...`: runs experiments and exits 0 passed, 1 failed, 2 invalid input, 3 environment, 4
// aborted, 70 internal; an error's exit class is the one its journal record stores (docs/errors.md).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { ExitCode, exitClassOf, exitCodeOfClass, invalidInput, type ExitClass } from '../../errors/index.ts';
import type { ExperimentJournal } from '../../journal/journal-types.ts';
import { parseSetOption, type Override } from '../../experiment/overrides.ts';
import { parseParallel } from '../../engine/parallel-plan.ts';
import type { LiveFlags } from '../run-with-console.ts';

interface RunFlags {
  target?: string;
  redisConfig?: string;
  set: string[];
  reports: string;
  dryRun?: boolean;
  parallel: string;
  env?: string;
  runtime?: string;
  allowDestructive?: string;
  live?: boolean;
  livePort?: string;
  liveHost?: string;
  shard?: string;
  durations?: string;
  force?: boolean;
}

export function overridesFrom(flags: Pick<RunFlags, 'target' | 'redisConfig' | 'set'>): Override[] {
  const overrides = flags.set.map(parseSetOption);
  if (flags.target) {
    const looksLikePath = flags.target.includes('/') || flags.target.endsWith('.yaml');
    const value = looksLikePath ? resolve(flags.target) : flags.target;
    overrides.push({ path: ['target'], value, origin: `--target ${flags.target}` });
  }
  if (flags.redisConfig) {
    const file = resolve(flags.redisConfig);
    if (!existsSync(file))
      throw invalidInput('CQ_FILE_NOT_FOUND', `--redis-config: no file at ${flags.redisConfig}`, {
        hint: 'Give the path of the candidate redis.conf.',
      });
    const origin = `--redis-config ${flags.redisConfig}`;
    overrides.push({ path: ['redis', 'configFile'], value: file, origin }, { path: ['redis', 'config'], value: {} });
  }
  return overrides;
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('run experiments (files or directories) and check their expectations')
    .argument('<paths...>', 'experiment files (*.yaml, *.experiment.ts) or directories of them')
    .option('--target <name|path>', "run against this target instead of the experiments' own")
    .option(
      '--redis-config <file>',
      "replace each experiment's Redis config with this redis.conf (verify a candidate config)",
    )
    .option(
      '--set <key=value>',
      'override a field, e.g. --set load.rate=50 (repeatable)',
      (v: string, all: string[]) => [...all, v],
      [],
    )
    .option('--reports <dir>', 'where run directories are written', 'reports')
    .option('--dry-run', 'print the plan (environment, schedule, exact commands and toxics) and start nothing')
    .option(
      '--parallel <n|auto>',
      "experiments run at the same time, each with its own ports; auto: from the cores and each one's declared load",
      '1',
    )
    .option(
      '--runtime <local|docker|auto>',
      "where services run (default: each experiment's runtime, local; auto: local when redis-server and PostgreSQL are installed, else docker)",
    )
    .option(
      '--env <file>',
      'a staging environment file: run against the services it declares, only the faults it permits',
    )
    .option(
      '--allow-destructive <instance>',
      "type the staging Redis instance's name to allow destructive faults on it",
    )
    .option('--live', 'serve a live view of the run (charts, faults, notes, a halt button) on 127.0.0.1')
    .option('--live-port <n>', "the live view's port (default: a free one; implies --live)")
    .option(
      '--live-host <host>',
      'listen on this host instead of 127.0.0.1; the URL then carries a random token (implies --live)',
    )
    .option('--shard <i/n>', 'run only shard i of n of the selected experiments (or CACHEQUAKE_SHARD=i/n)')
    .option(
      '--durations <journal|dir>',
      "balance --shard by earlier runs' measured durations: a journal.json, a run directory or a folder of them (or CACHEQUAKE_DURATIONS)",
    )
    .option('--force', 'start even though an earlier killed run left changes on the same staging environment')
    .action(async (paths: string[], flags: RunFlags) => {
      const parallel = parseParallel(flags.parallel);
      if (parallel === undefined) {
        throw invalidInput(
          'CQ_OPTION_INVALID',
          `Expected --parallel to be an integer from 1 to 16 or auto, got ${JSON.stringify(flags.parallel)}`,
          {
            hint: 'auto picks a level from the cores and each experiment’s declared load (docs/ci.md, section 4: --parallel).',
          },
        );
      }
      if (flags.runtime !== undefined && !['local', 'docker', 'auto'].includes(flags.runtime)) {
        throw invalidInput(
          'CQ_OPTION_INVALID',
          `Expected --runtime to be local, docker or auto, got ${JSON.stringify(flags.runtime)}`,
          { hint: 'For a staging environment pass --env <file> instead.' },
        );
      }
      const live = liveFlagsOf(flags);
      // the engine is loaded only when a command runs, so --help and --version stay fast
      const [{ loadExperiments }, { dryRunPlan }] = await Promise.all([
        import('../../experiment/load-experiment.ts'),
        import('../../engine/dry-run-plan.ts'),
      ]);
      const { shardSpecFrom, selectShard, shardTitle } = await import('../shard-selection.ts');
      const spec = shardSpecFrom(flags.shard, process.env);
      const loaded = await loadExperiments(paths, overridesFrom(flags));
      const selection = await selectShard(loaded, spec, flags.durations, process.env);
      const { experiments, shard } = selection;
      if (flags.env !== undefined && !flags.force && !flags.dryRun) await refuseWhileRollbackPending(flags);
      const runtime = await (
        await import('../runtime-options.ts')
      ).runtimeOptions(flags, experiments, { dryRun: flags.dryRun });
      if (flags.dryRun) {
        const env = runtime.environment?.environment;
        const staging = env && {
          name: env.name,
          target: env.target.url,
          toxiproxy: env.toxiproxy.url,
          redis: env.redis.adminUrl,
          instance: env.redis.instance,
          markerKey: env.redis.markerKey,
          maxKeys: env.redis.maxKeys,
        };
        for (const loaded of experiments)
          process.stdout.write(
            `${(await dryRunPlan(loaded, { runtime: runtime.runtime, staging, allowDestructive: flags.allowDestructive })).join('\n')}\n\n`,
          );
        if (shard) process.stdout.write(`${shardTitle(shard).trim()}\n`);
        process.stdout.write('dry run: nothing was started or sent.\n');
        return;
      }
      await (await import('../../journal/write-journal.ts')).ensureReportsDir(resolve(flags.reports));
      const { journal } = await (
        await import('../run-with-console.ts')
      ).runWithConsole(
        experiments,
        { reportsDir: resolve(flags.reports), parallel, ...runtime, ...(shard && { shard }) },
        shard ? shardTitle(shard) : '',
        live,
      );
      printInternalErrors(journal.experiments);
      process.exitCode = exitCodeOf(journal.experiments.map(exitInputOf));
    });
}

/** --live, --live-port and --live-host checked; undefined without any of them. */
export function liveFlagsOf(flags: Pick<RunFlags, 'live' | 'livePort' | 'liveHost'>): LiveFlags | undefined {
  if (!flags.live && flags.livePort === undefined && flags.liveHost === undefined) return undefined;
  const port = flags.livePort === undefined ? 0 : Number(flags.livePort);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw invalidInput(
      'CQ_OPTION_INVALID',
      `Expected --live-port to be a port number from 0 to 65535, got ${JSON.stringify(flags.livePort)}`,
      { hint: 'Leave --live-port out for a free port; the URL is printed when the run starts.' },
    );
  if (flags.liveHost !== undefined && !flags.liveHost.trim())
    throw invalidInput('CQ_OPTION_INVALID', 'Expected --live-host to name a host or address, got an empty string', {
      hint: 'Leave --live-host out to serve on 127.0.0.1 only.',
    });
  return { port, host: flags.liveHost };
}

/** Before the staging preflight reads anything: an earlier killed run's changes must be undone first (exit 3). */
async function refuseWhileRollbackPending(flags: RunFlags): Promise<void> {
  const [{ loadEnvironmentFile }, pending] = await Promise.all([
    import('../../experiment/load-environment-file.ts'),
    import('../../safety/rollback/pending-rollback.ts'),
  ]);
  pending.refuseWhileRollbackPending(resolve(flags.reports), await loadEnvironmentFile(flags.env as string));
}

/** What exitCodeOf needs of an experiment's journal entry: its status and its error's code and stored class. */
export function exitInputOf(e: Pick<ExperimentJournal, 'status' | 'error'>): ExitInput {
  return { status: e.status, code: e.error?.code, exitClass: e.error?.exitClass };
}

/** A bug inside a run prints its stack, as the top-level handler does for one outside a run. */
export function printInternalErrors(experiments: readonly Pick<ExperimentJournal, 'name' | 'error'>[]): void {
  for (const e of experiments)
    if (e.error && exitClassOf(e.error) === 'internal')
      process.stderr.write(
        `cachequake: internal error in experiment ${e.name} (a bug; please report it with this output)\n${e.error.stack ?? `${e.error.code}: ${e.error.message}`}\n`,
      );
}

export interface ExitInput {
  status: string;
  code?: string;
  /** The exit class the journal stored; absent in older journals, where the code's catalogue class counts. */
  exitClass?: ExitClass;
}

/** Which error class wins when experiments of one run ended differently: a bug first, then input, then environment. */
const errorPrecedence: readonly ExitClass[] = ['aborted', 'internal', 'invalid-input', 'environment', 'deviated'];

/**
 * aborted → 4; an error → its exit class's code (internal 70, invalid input 2, environment 3); failed → 1; passed →
 * 0.
 */
export function exitCodeOf(results: readonly ExitInput[]): number {
  if (results.some((r) => r.status === 'aborted')) return ExitCode.aborted;
  const classes = new Set(results.filter((r) => r.status === 'error').map((r) => exitClassOf(r)));
  const worst = errorPrecedence.find((c) => classes.has(c));
  if (worst) return exitCodeOfClass[worst];
  if (results.some((r) => r.status === 'failed')) return ExitCode.failed;
  return ExitCode.ok;
}
