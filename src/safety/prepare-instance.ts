// `cachequake prepare`: after checking the typed name, sets (or with --clear removes) the marker key on the declared
// staging instance.
import { Redis } from 'ioredis';
import { environmentError, invalidInput } from '../errors/index.ts';
import type { LoadedEnvironmentFile } from '../experiment/environment-file-schema.ts';
import { displayPath } from '../schema/index.ts';
import { readRedisIdentity } from '../runtimes/redis-identity.ts';
import { keyspaceTotal, readKeyspace } from '../runtimes/redis-keyspace.ts';

export interface PrepareOptions {
  /** The name typed with --allow-destructive. */
  allowDestructive: string | undefined;
  /** Remove the marker instead of setting it. */
  clear?: boolean;
}

/**
 * Returns the lines to print. Exit 2 for a missing or wrong name or a marker of another instance, 3 when Redis does not
 * answer.
 */
export async function prepareInstance(loaded: LoadedEnvironmentFile, options: PrepareOptions): Promise<string[]> {
  const { environment: env, file } = loaded;
  const shown = displayPath(file);
  const instance = env.redis.instance;
  if (!instance) {
    throw invalidInput(
      'CQ_PREPARE_NO_INSTANCE',
      `${shown} declares no redis.instance, so there is no instance to mark; nothing was sent.`,
      {
        file,
        hint: 'Declare the allowed instance in the environment file (redis.instance: <name>), then run prepare again with --allow-destructive <name>.',
      },
    );
  }
  if (options.allowDestructive !== instance) {
    throw invalidInput(
      'CQ_PREPARE_WRONG_NAME',
      `${options.allowDestructive === undefined ? 'no --allow-destructive was given' : `--allow-destructive names "${options.allowDestructive}", not the instance ${shown} declares`}; nothing was sent.`,
      {
        file,
        hint: `Type the instance's name as declared in ${shown} (redis.instance): --allow-destructive <name>.`,
      },
    );
  }
  const url = new URL(env.redis.adminUrl);
  const where = `${url.hostname}:${url.port || 6379}`;
  const admin = new Redis(env.redis.adminUrl, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    connectTimeout: 3000,
    retryStrategy: () => null,
    connectionName: 'cachequake-prepare',
  });
  admin.on('error', () => {});
  try {
    await admin.connect().catch((cause: unknown) => {
      throw environmentError(
        'CQ_STAGING_REDIS_UNREACHABLE',
        `Redis at ${where} (redis.adminUrl of ${shown}) does not answer: ${(cause as Error).message}.`,
        { cause, hint: `Check redis.adminUrl in ${shown} and that this machine reaches it.` },
      );
    });
    const key = env.redis.markerKey;
    const [current, keyspace, identity] = await Promise.all([
      admin.get(key),
      readKeyspace(admin).catch(() => undefined), // INFO may not be permitted: the count is only said
      readRedisIdentity(admin),
    ]);
    const about = `${where}${identity ? ` (pid ${identity.processId}, run_id ${identity.runId.slice(0, 8)}…)` : ''}, ${keyspace ? `${keyspaceTotal(keyspace)} keys over ${keyspace.size} database(s)` : 'keys not counted (INFO not permitted)'}`;
    if (current !== null && current !== instance) {
      throw invalidInput(
        'CQ_PREPARE_MARKER_MISMATCH',
        `the Redis at ${where} carries the marker ${key} = "${current}", not "${instance}": it was prepared for another instance; nothing was sent.`,
        {
          file,
          hint: `Check that redis.adminUrl in ${shown} points at the Redis you mean. If it does, remove the old marker by hand (DEL ${key}) and prepare again.`,
        },
      );
    }
    if (options.clear) {
      if (current === null) return [`${env.name}: ${about}: no marker ${key} to remove; nothing was sent.`];
      await admin.del(key);
      return [
        `${env.name}: removed the marker: DEL ${key} on ${about}.`,
        'Destructive faults are refused there again unless it holds fewer keys than redis.maxKeys.',
      ];
    }
    if (current === instance)
      return [`${env.name}: ${about} already carries ${key} = "${instance}"; nothing was sent.`];
    await admin.set(key, instance);
    return [
      `${env.name}: marked the instance: SET ${key} "${instance}" on ${about}.`,
      `Destructive faults may run there with: cachequake run <experiments> --env ${shown} --allow-destructive ${instance}`,
      `Remove the marker after the game day: cachequake prepare --env ${shown} --allow-destructive ${instance} --clear`,
    ];
  } finally {
    admin.disconnect();
  }
}
