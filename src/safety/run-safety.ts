// One run's safety: backup only with staging, the staging clearance, the config snapshot before the first fault and its
// restore after, the journal block.
import { Redis } from 'ioredis';
import type { CachequakeError } from '../errors/index.ts';
import type { LoadedEnvironmentFile } from '../experiment/environment-file-schema.ts';
import { isDestructive } from '../faults/fault-traits.ts';
import type { Experiment } from '../experiment/experiment-schema.ts';
import type { FaultContext } from '../runtimes/fault-context.ts';
import { within } from '../runtimes/within.ts';
import { checkBackupNeedsStaging } from './backup-preflight.ts';
import { restoreConfig, snapshotConfig, type ConfigRestoreResult, type ConfigSnapshot } from './config-snapshot.ts';
import type { DestructiveClearance } from './destructive-clearance.ts';
import type { FaultSafety } from './guarded-inject.ts';
import type { JournalSafety } from '../journal/journal-safety.ts';
import type { FaultRollback } from './rollback/fault-rollback.ts';

const restoreTimeoutMs = 10_000;

/** Keys saved per database over every backup of the run, ascending by database. */
function savedPerDb(backups: readonly { backup: { keysByDb?: { db: number; keys: number }[] } }[]) {
  const perDb = new Map<number, number>();
  for (const { backup } of backups)
    for (const { db, keys } of backup.keysByDb ?? []) perDb.set(db, (perDb.get(db) ?? 0) + keys);
  return [...perDb].sort(([a], [b]) => a - b).map(([db, keys]) => ({ db, keys }));
}

export class RunSafety {
  readonly #experiment: Experiment;
  readonly #environment: LoadedEnvironmentFile | undefined;
  /** Set from the staging preflight. */
  clearance: DestructiveClearance | undefined;
  /** The first fault the guard or a backup bound refused: the run ends with it (exit 2). */
  refusal: CachequakeError | undefined;
  #snapshot: ConfigSnapshot | undefined;
  /** The server the snapshot is of: restored there (a failover may make another server the primary). */
  #server: { url: string; where: string } | undefined;
  #restored: Promise<ConfigRestoreResult | undefined> | undefined;
  readonly #backups: NonNullable<FaultSafety['backups']> = [];
  /** The run's rollback log on staging: the config snapshot and every fault's changes are written there first. */
  readonly #rollback: FaultRollback | undefined;

  constructor(experiment: Experiment, environment?: LoadedEnvironmentFile, rollback?: FaultRollback) {
    this.#experiment = experiment;
    this.#environment = environment;
    this.#rollback = rollback?.log.recordsChanges ? rollback : undefined;
  }

  get #configId(): string {
    return `${this.#rollback?.experiment}-config`;
  }

  /** Throws exit 2 for `backup:` without a staging environment file. */
  check(): void {
    checkBackupNeedsStaging([this.#experiment], this.#environment);
  }

  /** Faults that may change Redis (data, config, clients, the process); only then is the config snapshotted. */
  get changesRedis(): boolean {
    return this.#experiment.faults.some((f) => isDestructive(f) && !('on' in f && f.on === 'postgres'));
  }

  /** CONFIG GET * before the first fault; harmless (recorded) when CONFIG is renamed or not permitted. */
  async snapshot(ctx: FaultContext): Promise<{ parameters: number } | { skipped: string }> {
    if (!this.changesRedis) return { skipped: 'no fault changes Redis' };
    const redis = ctx.redis();
    this.#server = { url: redis.url, where: `${redis.host}:${redis.port}` };
    this.#snapshot = await snapshotConfig(redis.admin);
    const values = this.#snapshot.values;
    if (values && this.#rollback) {
      const { log, experiment } = this.#rollback;
      log.change({ type: 'config', id: this.#configId, experiment, server: this.#server.where, values });
    }
    return this.#snapshot.values
      ? { parameters: Object.keys(this.#snapshot.values).length }
      : { skipped: this.#snapshot.unavailable ?? 'unavailable' };
  }

  faultSafety(onRefused: (error: CachequakeError) => void): FaultSafety {
    return {
      clearance: this.clearance,
      backup: this.#experiment.backup,
      backups: this.#backups,
      ...(this.#rollback ? { rollback: this.#rollback } : {}),
      onRefused: (error) => {
        this.refusal ??= error;
        onRefused(error);
      },
    };
  }

  /**
   * After the faults were reverted (also after a failure or an abort): CONFIG SET back what differs, on the server
   * snapshotted. Idempotent.
   */
  restore(): Promise<ConfigRestoreResult | undefined> {
    const snapshot = this.#snapshot;
    const server = this.#server;
    if (!snapshot || !server) return Promise.resolve(undefined);
    this.#restored ??= (async () => {
      // its own connection to the snapshotted address: the server restarted in place answers there, a new primary does
      // not
      const client = new Redis(server.url, {
        lazyConnect: true,
        maxRetriesPerRequest: 1,
        connectTimeout: 3000,
        retryStrategy: () => null,
        connectionName: 'cachequake-config-restore',
      });
      client.on('error', () => {});
      const failed = (why: string): ConfigRestoreResult => ({
        server: server.where,
        parameters: Object.keys(snapshot.values ?? {}).length,
        restored: {},
        notRestored: {},
        unavailable: why,
        tookMs: 0,
      });
      try {
        const connected = await within(
          client.connect().then(
            () => true,
            (e: Error) => e.message,
          ),
          restoreTimeoutMs,
        );
        if (connected !== true)
          return failed(`the Redis at ${server.where} does not answer (${connected ?? 'timeout'}): nothing restored`);
        const result = await within(restoreConfig(client, snapshot), restoreTimeoutMs);
        const complete = result && !result.unavailable && Object.keys(result.notRestored).length === 0;
        if (complete) this.#rollback?.log.undone(this.#configId);
        return result
          ? { server: server.where, ...result }
          : failed(`the Redis at ${server.where} did not answer within ${restoreTimeoutMs} ms`);
      } finally {
        client.disconnect();
      }
    })();
    return this.#restored;
  }

  async journal(): Promise<JournalSafety> {
    const config = await this.#restored;
    const guard: JournalSafety['guard'] = !this.changesRedis
      ? { basis: 'no destructive fault', detail: 'every fault acts on a proxy link or PostgreSQL' }
      : this.clearance
        ? {
            basis: 'clearance',
            detail: `staging instance ${this.clearance.instance} of ${this.clearance.environment}, cleared by ${this.clearance.detail}`,
          }
        : {
            basis: 'harness-started',
            detail:
              'destructive faults reach only a redis-server this harness started (checked by INFO server before each)',
          };
    return {
      guard,
      ...(config
        ? { config }
        : this.#snapshot?.unavailable
          ? {
              config: {
                parameters: 0,
                restored: {},
                notRestored: {},
                unavailable: this.#snapshot.unavailable,
                tookMs: 0,
              },
            }
          : {}),
      ...(this.#experiment.backup
        ? {
            backup: {
              keysBackedUp: this.#backups.reduce((n, b) => n + b.backup.keys, 0),
              keysRestored: this.#backups.reduce((n, b) => n + (b.restore?.restored ?? 0), 0),
              databases: savedPerDb(this.#backups),
              faults: this.#backups,
            },
          }
        : {}),
    };
  }
}
