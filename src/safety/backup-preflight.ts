// Before anything starts: `backup:` needs a staging environment file, and the keys each fault would touch must fit its
// bounds.
import { Redis } from 'ioredis';
import { environmentError, invalidInput } from '../errors/index.ts';
import type { LoadedEnvironmentFile } from '../experiment/environment-file-schema.ts';
import type { Experiment } from '../experiment/experiment-schema.ts';
import { displayPath } from '../schema/index.ts';
import { backupScope } from './backup-scope.ts';
import { checkBackupBound } from './key-backup.ts';

/** `backup:` restores keys on an instance the harness does not own; a local or docker Redis is thrown away anyway. */
export function checkBackupNeedsStaging(
  experiments: readonly Experiment[],
  environment: LoadedEnvironmentFile | undefined,
): void {
  if (environment) return;
  const withBackup = experiments.find((e) => e.backup);
  if (!withBackup) return;
  throw invalidInput(
    'CQ_BACKUP_NEEDS_STAGING',
    `experiment ${withBackup.name}: backup: applies only to a staging environment (--env <file>); this run starts its own Redis, which is thrown away after the run.`,
    {
      hint: 'Remove backup: from the experiment, or run it against a staging environment file with --env <file>.',
    },
  );
}

/**
 * Counts (DBSIZE, SCAN MATCH) the keys each fault with a backup would touch; over backup.maxKeys → exit 2 before
 * anything starts.
 */
export async function checkBackupBounds(
  loaded: LoadedEnvironmentFile,
  experiments: readonly Experiment[],
): Promise<void> {
  const { environment: env, file } = loaded;
  const admin = new Redis(env.redis.adminUrl, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    connectTimeout: 3000,
    retryStrategy: () => null,
  });
  admin.on('error', () => {});
  const url = new URL(env.redis.adminUrl);
  try {
    await admin.connect().catch((cause: unknown) => {
      throw environmentError(
        'CQ_STAGING_REDIS_UNREACHABLE',
        `cannot count the keys backup: would save through redis.adminUrl of ${displayPath(file)}: ${(cause as Error).message}.`,
        { cause, hint: 'Check redis.adminUrl (host, port, password) and that this machine reaches it.' },
      );
    });
    const handle = { host: url.hostname, port: Number(url.port || 6379), url: env.redis.adminUrl, admin };
    for (const experiment of experiments) {
      if (!experiment.backup) continue;
      for (const [index, fault] of experiment.faults.entries()) {
        const scope = backupScope(fault, admin.options.db ?? 0);
        if (scope)
          await checkBackupBound(
            handle,
            scope,
            experiment.backup,
            `experiment ${experiment.name}, faults[${index}] (${fault.kind})`,
          );
      }
    }
  } finally {
    admin.disconnect();
  }
}
