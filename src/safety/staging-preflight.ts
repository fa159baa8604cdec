// Before a staging run sends anything: only permitted faults, none that needs a process, and the guard for destructive
// ones.
import { Redis } from 'ioredis';
import { environmentError, invalidInput } from '../errors/index.ts';
import { isDestructive, processNeedOf } from '../faults/fault-traits.ts';
import type { Experiment } from '../experiment/experiment-schema.ts';
import { displayPath } from '../schema/index.ts';
import type { LoadedEnvironmentFile } from '../experiment/environment-file-schema.ts';
import { issueClearance, type DestructiveClearance } from './destructive-clearance.ts';
import { readRedisIdentity } from '../runtimes/redis-identity.ts';
import { describeKeyspace, keyspaceTotal, readKeyspace } from '../runtimes/redis-keyspace.ts';

export interface PreflightOptions {
  /** The instance name the user typed with --allow-destructive. */
  allowDestructive?: string;
}

/** Checks the file's rules without touching the network; throws exit 2 naming the experiment, the fault and the fix. */
export function checkStagingFaults(loaded: LoadedEnvironmentFile, experiments: readonly Experiment[]): void {
  const { environment: env, file } = loaded;
  const shown = displayPath(file);
  for (const experiment of experiments) {
    experiment.faults.forEach((fault, index) => {
      const where = `experiment ${experiment.name}, faults[${index}] (${fault.kind})`;
      if (!env.permit.includes(fault.kind)) {
        throw invalidInput(
          'CQ_FAULT_NOT_PERMITTED',
          `${where}: the environment ${env.name} does not permit ${fault.kind}; nothing was sent.`,
          {
            file,
            hint: `${shown} permits: ${env.permit.join(', ')}. Add ${fault.kind} to its permit list if this environment may take it, or remove the fault.`,
          },
        );
      }
      const need = processNeedOf(fault);
      if (need) {
        throw invalidInput(
          'CQ_FAULT_NEEDS_PROCESS',
          `${where}: ${need.what} needs the server process, which the staging runtime does not run; nothing was sent.`,
          {
            file,
            hint: need.instead
              ? `${need.instead}, which needs only a Redis connection.`
              : 'Run it on the local or docker runtime; on staging use outage (the link) or client-kill instead.',
          },
        );
      }
      if ('on' in fault && fault.on === 'postgres' && !env.toxiproxy.proxies.postgres) {
        throw invalidInput(
          'CQ_FAULT_NO_LINK',
          `${where}: acts on the postgres link, but ${shown} names no toxiproxy.proxies.postgres; nothing was sent.`,
          { file, hint: 'Name the Toxiproxy proxy in front of PostgreSQL under toxiproxy.proxies.postgres.' },
        );
      }
    });
  }
}

/**
 * The guard of destructive faults on a Redis the harness did not start: the file declares the instance, the user
 * typed its name, and the instance carries the marker key (value = the name) or holds fewer keys than redis.maxKeys.
 * The key bound counts every database (INFO keyspace): FLUSHALL, eviction and config changes reach them all, whatever
 * database redis.adminUrl names. Reads only (GET, INFO keyspace, INFO server); throws exit 2 with the reason. Passing, it returns the clearance the fault
 * scheduler's late guard asks for (bound to the server's run_id); undefined when no fault is destructive.
 */
export async function checkDestructiveGuard(
  loaded: LoadedEnvironmentFile,
  experiments: readonly Experiment[],
  options: PreflightOptions,
): Promise<DestructiveClearance | undefined> {
  const destructive = experiments.flatMap((e) => e.faults.filter(isDestructive).map((f) => `${e.name}: ${f.kind}`));
  if (destructive.length === 0) return undefined;
  const { environment: env, file } = loaded;
  const shown = displayPath(file);
  const refuse = (reason: string, hint: string) =>
    invalidInput(
      'CQ_DESTRUCTIVE_REFUSED',
      `refused destructive faults (${destructive.join(', ')}) on ${env.name}: ${reason}; nothing was sent.`,
      { file, hint },
    );
  const instance = env.redis.instance;
  if (!instance)
    throw refuse(
      `${shown} declares no redis.instance`,
      'Declare the instance as allowed (redis.instance: <name>) in the environment file, then pass --allow-destructive <name>.',
    );
  if (options.allowDestructive !== instance) {
    throw refuse(
      options.allowDestructive === undefined
        ? 'no --allow-destructive was given'
        : `--allow-destructive names "${options.allowDestructive}", not this instance`,
      `Type the instance's name as declared in ${shown} (redis.instance): --allow-destructive <name>.`,
    );
  }
  const admin = new Redis(env.redis.adminUrl, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    connectTimeout: 3000,
    retryStrategy: () => null,
  });
  admin.on('error', () => {});
  try {
    await admin.connect();
    const [marker, identity] = await Promise.all([admin.get(env.redis.markerKey), readRedisIdentity(admin)]);
    const url = new URL(env.redis.adminUrl);
    const clear = (basis: DestructiveClearance['basis'], detail: string) =>
      issueClearance({
        environment: env.name,
        file,
        instance,
        host: url.hostname,
        port: Number(url.port || 6379),
        identity,
        basis,
        detail,
      });
    if (marker === instance) return clear('marker', `the marker key ${env.redis.markerKey} = "${instance}"`);
    // no marker: the key bound, over every database (FLUSHALL and eviction do not stop at adminUrl's database)
    const keyspace = await readKeyspace(admin).catch(() => undefined);
    if (!keyspace)
      throw refuse(
        `the instance carries no marker key ${env.redis.markerKey} = "${instance}", and INFO keyspace is not permitted, so the keys of every database cannot be counted`,
        `Mark the instance instead: cachequake prepare --env ${shown} --allow-destructive ${instance} (it sets ${env.redis.markerKey} = ${instance}).`,
      );
    const keys = keyspaceTotal(keyspace);
    const counted = `${keys} keys over every database (${describeKeyspace(keyspace)})`;
    if (env.redis.maxKeys !== undefined && keys < env.redis.maxKeys)
      return clear('key-bound', `${counted}, fewer than redis.maxKeys (${env.redis.maxKeys})`);
    throw refuse(
      `the instance carries no marker key ${env.redis.markerKey} = "${instance}"${env.redis.maxKeys !== undefined ? ` and holds ${counted}, not fewer than redis.maxKeys (${env.redis.maxKeys})` : ` (it holds ${counted}, and the file sets no redis.maxKeys bound)`}`,
      `When preparing the game day, mark the instance: cachequake prepare --env ${shown} --allow-destructive ${instance} (it sets ${env.redis.markerKey} = ${instance}). That proves this is the Redis the file means.`,
    );
  } catch (error) {
    if ((error as { code?: string }).code === 'CQ_DESTRUCTIVE_REFUSED') throw error;
    throw environmentError(
      'CQ_STAGING_REDIS_UNREACHABLE',
      `cannot read the guard's marker from redis.adminUrl of ${shown}: ${(error as Error).message}.`,
      { cause: error, hint: 'Check redis.adminUrl (host, port, password) and that this machine reaches it.' },
    );
  } finally {
    admin.disconnect();
  }
}

/**
 * The checks, in order: the file's rules first (no network), then the guard and the backup bounds (reads only). Returns
 * the guard's clearance.
 */
export async function stagingPreflight(
  loaded: LoadedEnvironmentFile,
  experiments: readonly Experiment[],
  options: PreflightOptions = {},
): Promise<DestructiveClearance | undefined> {
  checkStagingFaults(loaded, experiments);
  const clearance = await checkDestructiveGuard(loaded, experiments, options);
  if (experiments.some((e) => e.backup))
    await (await import('./backup-preflight.ts')).checkBackupBounds(loaded, experiments);
  return clearance;
}
