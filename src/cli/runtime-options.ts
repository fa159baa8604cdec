// `cachequake run` flags → where experiments run: --env loads and preflights a staging file, --runtime docker needs an
// engine.
import type { LoadedEnvironmentFile } from '../experiment/environment-file-schema.ts';
import type { LoadedExperiment } from '../experiment/load-experiment.ts';

export interface RuntimeFlags {
  env?: string;
  runtime?: string;
  allowDestructive?: string;
}

export interface RuntimeOptions {
  runtime?: 'local' | 'docker';
  environment?: LoadedEnvironmentFile;
  allowDestructive?: string;
}

/**
 * Validates everything a run needs from outside before anything starts: exit 2 for a bad file or refused fault, 3 for a
 * missing engine or k6.
 */
export async function runtimeOptions(
  flags: RuntimeFlags,
  experiments: readonly LoadedExperiment[],
  options: { dryRun?: boolean } = {},
): Promise<RuntimeOptions> {
  const runtime =
    flags.runtime === 'auto' && flags.env === undefined && !options.dryRun
      ? await (await import('./auto-runtime.ts')).autoRuntime()
      : (flags.runtime as RuntimeOptions['runtime']);
  const list = experiments.map((l) => l.experiment);
  let environment: LoadedEnvironmentFile | undefined;
  if (flags.env !== undefined) {
    const [{ loadEnvironmentFile }, { checkStagingFaults, stagingPreflight }] = await Promise.all([
      import('../experiment/load-environment-file.ts'),
      import('../safety/staging-preflight.ts'),
    ]);
    environment = await loadEnvironmentFile(flags.env);
    if (options.dryRun) checkStagingFaults(environment, list);
    else await stagingPreflight(environment, list, { allowDestructive: flags.allowDestructive });
  }
  if (list.some((e) => e.backup))
    (await import('../safety/backup-preflight.ts')).checkBackupNeedsStaging(list, environment);
  if (options.dryRun) return { runtime, environment, allowDestructive: flags.allowDestructive };
  const usesDocker =
    !environment && (runtime === 'docker' || (runtime === undefined && list.some((e) => e.runtime === 'docker')));
  if (usesDocker) {
    (await import('../faults/runtime-fault-support.ts')).checkDockerFaults(
      list.filter((e) => runtime === 'docker' || e.runtime === 'docker'),
    );
    await (await import('../runtimes/docker/docker-engine.ts')).requireDockerEngine();
  }
  if (list.some((e) => e.load.driver === 'k6')) await (await import('../load/k6/k6-binary.ts')).requireK6();
  return { runtime, environment, allowDestructive: flags.allowDestructive };
}
