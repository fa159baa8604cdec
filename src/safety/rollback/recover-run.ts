// `cachequake recover <run dir>`: undoes exactly what a run's rollback log says is still applied — the links set back,
// CONFIG SET of the values before, the backed-up keys restored with their TTL — and marks each undone. Idempotent.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { environmentError, isCachequakeError } from '../../errors/index.ts';
import { loadEnvironmentFile } from '../../experiment/load-environment-file.ts';
import { withoutDatabase } from '../../runtimes/redis-on-db.ts';
import { restoreConfig } from '../config-snapshot.ts';
import { restoreKeys } from '../key-backup.ts';
import { readBackupFile } from './backup-file.ts';
import { proxyPath, undoLink } from './link-state.ts';
import type { RollbackChange, RollbackEnvironment } from './rollback-entries.ts';
import { rollbackEnvironment } from './rollback-environment.ts';
import { RollbackLog } from './rollback-log.ts';
import { readRollbackLog, type ReadRollbackLog } from './rollback-read.ts';

export interface RecoveredChange {
  id: string;
  type: RollbackChange['type'];
  /** What was done, as a person reads it. */
  done: string;
  ok: boolean;
  details: Record<string, unknown>;
}

export interface RecoverReport {
  runDir: string;
  runId: string;
  runtime: string;
  environment?: string;
  /** Changes that were still applied when recover started. */
  open: number;
  changes: RecoveredChange[];
  notes: string[];
}

/** The admin URL with its password: from the environment file the run used, when it still names the same server. */
async function redisUrlOf(env: RollbackEnvironment): Promise<string> {
  if (!existsSync(env.file)) return env.redisUrl;
  const loaded = await loadEnvironmentFile(env.file).catch(() => undefined);
  if (!loaded || rollbackEnvironment(loaded).redis !== env.redis) return env.redisUrl;
  return loaded.environment.redis.adminUrl;
}

async function connectRedis(url: string, where: string): Promise<Redis> {
  const client = new Redis(withoutDatabase(url), {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    connectTimeout: 3000,
    retryStrategy: () => null,
    connectionName: 'cachequake-recover',
  });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.ping();
    return client;
  } catch (cause) {
    client.disconnect();
    throw environmentError(
      'CQ_RECOVER_UNREACHABLE',
      `recover: the Redis at ${where} does not answer (${(cause as Error).message}); nothing was undone.`,
      { cause, hint: `Start it (or make this machine reach it), then run \`cachequake recover\` again.` },
    );
  }
}

async function checkToxiproxy(url: string): Promise<void> {
  try {
    const response = await fetch(`${url}/version`, { signal: AbortSignal.timeout(3000) });
    await response.body?.cancel();
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
  } catch (cause) {
    throw environmentError(
      'CQ_RECOVER_UNREACHABLE',
      `recover: the Toxiproxy at ${url} does not answer (${(cause as Error).message}); nothing was undone.`,
      { cause, hint: 'Start it (or `cachequake proxy`) where the environment file says, then run recover again.' },
    );
  }
}

/** Links first, then the config (a lowered maxmemory would refuse the RESTOREs), then the keys. */
const order: Record<RollbackChange['type'], number> = { links: 0, config: 1, keys: 2 };

interface RecoverRedis {
  client: Redis;
  url: string;
}

async function undo(log: ReadRollbackLog, change: RollbackChange, env: RollbackEnvironment, redis: () => RecoverRedis) {
  const label = change.type === 'config' ? 'config' : `faults[${change.fault}] (${change.kind})`;
  if (change.type === 'links') {
    const applied = log.applied.get(change.id);
    const results = [];
    for (const before of change.links) {
      const added = applied && (applied.added.find((a) => a.link === before.name) ?? { toxics: [], rules: [] });
      results.push(await undoLink(proxyPath(env.toxiproxyUrl, before.name), before, added));
    }
    const said = results.map(
      (r) =>
        `${r.link}: ${
          [
            r.toxicsRemoved.length ? `removed toxics ${r.toxicsRemoved.join(', ')}` : '',
            r.rulesRemoved.length ? `removed RESP rules ${r.rulesRemoved.join(', ')}` : '',
            r.enabledAgain ? 'enabled again' : '',
          ]
            .filter(Boolean)
            .join(', ') || 'already as before'
        }`,
    );
    return { done: `${label} links: ${said.join('; ')}`, ok: true, details: { links: results } };
  }
  if (change.type === 'config') {
    const result = await restoreConfig(redis().client, { values: change.values });
    const set = Object.entries(result.restored).map(([k, v]) => `${k} ${v.restoredTo} (was ${v.found})`);
    const refused = Object.entries(result.notRestored).map(([k, v]) => `${k}: ${v.reason}`);
    const ok = !result.unavailable && refused.length === 0;
    const done = result.unavailable
      ? `config on ${change.server}: ${result.unavailable}`
      : `config on ${change.server}: ${set.length ? `CONFIG SET ${set.join(', ')}` : 'already as before'}${refused.length ? `; NOT set back: ${refused.join('; ')}` : ''}`;
    return { done, ok, details: { ...result } };
  }
  const byDb = readBackupFile(log.dir, change.file, change.keys);
  const result = await restoreKeys({ url: redis().url }, byDb);
  const ok = result.failed === 0;
  const done = `${label} keys: restored ${result.restored} of ${change.keys} keys into db ${change.dbs.join(', ')} with their TTL${result.expiredMeanwhile ? ` (${result.expiredMeanwhile} had expired meanwhile and stay gone)` : ''}${ok ? '' : `; ${result.failed} FAILED: ${result.firstError}`}`;
  return { done, ok, details: { ...result } };
}

export async function recoverRun(runDir: string): Promise<RecoverReport> {
  const log = readRollbackLog(runDir);
  const { header } = log;
  const report: RecoverReport = {
    runDir: log.dir,
    runId: header.runId,
    runtime: header.runtime,
    ...(header.environment ? { environment: header.environment.name } : {}),
    open: log.open.length,
    changes: [],
    notes: [],
  };
  const env = header.environment;
  if (header.runtime !== 'staging' || !env) {
    report.notes.push(
      `the run used the ${header.runtime} runtime: its redis-server, fault proxy and target were the harness's own processes, which the watchdog stops when the harness dies; nothing outside the run is left to undo`,
    );
    return report;
  }
  if (log.open.length === 0) {
    report.notes.push(
      log.ended ? 'the run set back everything it changed itself' : 'every change of the run is already undone',
    );
    return report;
  }
  const needsRedis = log.open.some((c) => c.type !== 'links');
  if (log.open.some((c) => c.type === 'links')) await checkToxiproxy(env.toxiproxyUrl);
  const url = needsRedis ? await redisUrlOf(env) : undefined;
  const client = url ? await connectRedis(url, env.redis) : undefined;
  const redis = () => ({ client: client as Redis, url: url as string });
  const writer = RollbackLog.reopen(log.dir, log.wholeBytes);
  try {
    const pending = [...log.open].sort((a, b) => order[a.type] - order[b.type]);
    for (const change of pending) {
      try {
        const result = await undo(log, change, env, redis);
        report.changes.push({ id: change.id, type: change.type, ...result });
        if (result.ok) writer.undone(change.id, 'recover');
      } catch (error) {
        if (isCachequakeError(error)) throw error;
        report.changes.push({
          id: change.id,
          type: change.type,
          done: `${change.id}: FAILED: ${(error as Error).message}`,
          ok: false,
          details: {},
        });
      }
    }
  } finally {
    writer.close();
    client?.disconnect();
  }
  writeFileSync(
    join(log.dir, 'recover.json'),
    `${JSON.stringify({ at: new Date().toISOString(), ...report }, null, 2)}\n`,
  );
  return report;
}
