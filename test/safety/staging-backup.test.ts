// The allowed path on a Redis this test started itself: `cachequake prepare` marks it, FLUSHALL runs with backup: and
// every key comes back; the config is restored after a failed and after an aborted run.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Toxiproxy } from 'toxiproxy-node-client';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFaultProxy, type StartedFaultProxy } from '../../src/proxy/index.ts';
import { FaultScheduler } from '../../src/engine/fault-scheduler.ts';
import { PhaseClock } from '../../src/engine/phase-clock.ts';
import { loadEnvironmentFile } from '../../src/experiment/load-environment-file.ts';
import { checkDestructiveGuard } from '../../src/safety/staging-preflight.ts';
import type { CachequakeError } from '../../src/errors/index.ts';
import { validateExperiment } from '../../src/experiment/load-experiment.ts';
import type { FaultContext } from '../../src/runtimes/fault-context.ts';
import type { BackupBounds } from '../../src/experiment/backup-schema.ts';
import type { FaultSafety } from '../../src/safety/guarded-inject.ts';
import { parseSizeBytes } from '../../src/schema/quantities.ts';
import { freePort, startPostgres, startTargetProcess } from '../../src/runtimes/local/index.ts';
import type { StartedPostgres, StartedTargetProcess } from '../../src/runtimes/local/types.ts';
import { renderTargetProcess, resolveTarget } from '../../src/targets/index.ts';
import { readRunJournal } from '../fixtures/read-run-journal.ts';
import { cliPath, runCli } from '../fixtures/run-cli.ts';
import {
  configOf,
  expectKeysIntact,
  fillForeignRedis,
  snapshotKeys,
  spawnForeignRedis,
  writeCommandCalls,
  type ForeignRedis,
  type KeysSnapshot,
} from './foreign-redis.ts';

const instance = 'game-day-redis';
const markerKey = 'cachequake:game-day';

let foreign: ForeignRedis;
let postgres: StartedPostgres;
let proxy: StartedFaultProxy;
let target: StartedTargetProcess;
let dir: string;
let envFile: string;
let before: KeysSnapshot;
let configBefore: Record<string, string>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cq-backup-'));
  // one after the other: a failed start leaves the ones before it for afterAll to stop
  foreign = await spawnForeignRedis();
  postgres = await startPostgres();
  proxy = await startFaultProxy();
  await fillForeignRedis(foreign, 5000);
  const toxiproxy = new Toxiproxy(proxy.url);
  const redisLink = await toxiproxy.createProxy({
    name: 'game-day-redis',
    listen: '127.0.0.1:0',
    upstream: `127.0.0.1:${foreign.port}`,
  });
  const pgLink = await toxiproxy.createProxy({
    name: 'game-day-postgres',
    listen: '127.0.0.1:0',
    upstream: `127.0.0.1:${postgres.port}`,
  });
  const port = (listen: string) => Number(listen.slice(listen.lastIndexOf(':') + 1));
  target = await startTargetProcess(
    renderTargetProcess(await resolveTarget('session-service'), {
      port: await freePort(),
      redis: { host: '127.0.0.1', port: port(redisLink.listen), url: `redis://127.0.0.1:${port(redisLink.listen)}` },
      postgres: {
        host: '127.0.0.1',
        port: port(pgLink.listen),
        url: `postgres://postgres:${postgres.password}@127.0.0.1:${port(pgLink.listen)}/postgres`,
      },
    }),
  );
  envFile = join(dir, 'game-day.env.yaml');
  await writeFile(
    envFile,
    stringify({
      name: 'game-day',
      target: { url: target.url },
      toxiproxy: { url: proxy.url, proxies: { redis: 'game-day-redis', postgres: 'game-day-postgres' } },
      redis: { adminUrl: foreign.url, instance, markerKey },
      permit: ['flushall', 'config-set', 'maxmemory', 'latency'],
    }),
  );
}, 90_000);

afterAll(async () => {
  await target?.stop();
  await proxy?.stop();
  await Promise.all([foreign?.stop(), postgres?.stop()]);
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function experimentFile(name: string, faults: object[], extra: object = {}): Promise<string> {
  const file = join(dir, `${name}.yaml`);
  await writeFile(
    file,
    stringify({
      name,
      target: 'session-service',
      sessions: { users: 30 },
      load: { rate: 30 },
      phases: { baseline: '1s', fault: '2s', recovery: '1s' },
      faults,
      ...extra,
    }),
  );
  return file;
}

/** Faults through the fault scheduler with the staging guard's real clearance, as a run sends them (with `backup`). */
async function scheduleWithClearance(faults: object[], backup: BackupBounds, faultMs = 1500) {
  const experiment = validateExperiment({
    name: 'late',
    phases: { baseline: '0s', fault: `${faultMs}ms`, recovery: '0s' },
    faults,
  });
  const clearance = await checkDestructiveGuard(await loadEnvironmentFile(envFile), [experiment], {
    allowDestructive: instance,
  });
  const no = async (): Promise<never> => {
    throw new Error('not here');
  };
  const ctx: FaultContext = {
    redis: () => ({ host: '127.0.0.1', port: foreign.port, url: foreign.url, admin: foreign.admin }),
    postgres: () => undefined,
    link: () => {
      throw new Error('no links');
    },
    kill: no,
    startAgain: no,
    restart: no,
  };
  const refused: CachequakeError[] = [];
  const backups: NonNullable<FaultSafety['backups']> = [];
  const scheduler = new FaultScheduler(
    experiment.faults,
    ctx,
    new PhaseClock({ baseline: 0, fault: faultMs, recovery: 0 }),
    () => {},
    { clearance, backup, backups, onRefused: (e) => refused.push(e) },
  );
  scheduler.start();
  const deadline = Date.now() + 20_000;
  while (scheduler.records.some((r) => r.status === 'pending' || r.status === 'applied') && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 20));
  await scheduler.revertAll();
  return { records: scheduler.records, refused, backups };
}

describe('a prepared staging Redis the harness did not start', () => {
  it('cachequake prepare checks the typed name, sets the marker key, says so, and refuses a Redis marked for another instance', async () => {
    const noName = await runCli(['prepare', '--env', envFile]);
    const wrongName = await runCli(['prepare', '--env', envFile, '--allow-destructive', 'production']);
    for (const result of [noName, wrongName]) {
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('CQ_PREPARE_WRONG_NAME');
    }
    expect(noName.stderr).toContain('no --allow-destructive was given; nothing was sent');
    expect(wrongName.stderr).toContain('--allow-destructive names "production"');
    expect(await foreign.admin.exists(markerKey)).toBe(0);

    const marked = await runCli(['prepare', '--env', envFile, '--allow-destructive', instance]);
    expect(marked.code).toBe(0);
    expect(marked.stdout).toContain(
      `marked the instance: SET ${markerKey} "${instance}" on 127.0.0.1:${foreign.port} (pid ${foreign.pid}`,
    );
    expect(await foreign.admin.get(markerKey)).toBe(instance);
    expect((await runCli(['prepare', '--env', envFile, '--allow-destructive', instance])).stdout).toContain(
      'already carries',
    );

    const otherEnv = join(dir, 'other.env.yaml');
    await writeFile(
      otherEnv,
      stringify({
        name: 'other',
        target: { url: target.url },
        toxiproxy: { url: proxy.url, proxies: { redis: 'game-day-redis' } },
        redis: { adminUrl: foreign.url, instance: 'other-instance' },
        permit: ['flushall'],
      }),
    );
    const mismatch = await runCli(['prepare', '--env', otherEnv, '--allow-destructive', 'other-instance']);
    expect(mismatch.code).toBe(2);
    expect(mismatch.stderr).toContain(`carries the marker ${markerKey} = "${instance}", not "other-instance"`);
    expect(await foreign.admin.get(markerKey)).toBe(instance);

    before = await snapshotKeys(foreign);
    configBefore = await configOf(foreign);
    expect(before.keys.size).toBe(5101);
  }, 60_000);

  it('refuses a backup over backup.maxKeys before anything is sent (exit 2, says how many keys there are)', async () => {
    const calls = await writeCommandCalls(foreign);
    const file = await experimentFile('flush-too-many', [{ kind: 'flushall' }], { backup: { maxKeys: 1000 } });
    const result = await runCli([
      'run',
      file,
      '--env',
      envFile,
      '--allow-destructive',
      instance,
      '--reports',
      join(dir, 'reports-too-many'),
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('CQ_BACKUP_TOO_LARGE');
    expect(result.stderr).toMatch(
      /faults\[0\] \(flushall\): backup refused, every database holds 510\d keys, more than backup\.maxKeys \(1000\); nothing was sent/,
    );
    expect(await writeCommandCalls(foreign)).toEqual(calls);
    await expectKeysIntact(foreign, before);
  }, 60_000);

  it('--dry-run shows the backup before the FLUSHALL and the RESTORE after it', async () => {
    const file = await experimentFile('flush-dry', [{ kind: 'flushall', at: '500ms', for: '1s' }], { backup: {} });
    const result = await runCli(['run', file, '--env', envFile, '--allow-destructive', instance, '--dry-run']);
    expect(result.code).toBe(0);
    const out = result.stdout;
    const order = [
      'guard: redis: INFO server',
      'backup (FLUSHALL deletes every key of every database): redis: INFO keyspace',
      'DUMP <key> + PTTL <key>',
      'over 10000 keys or 67108864 bytes',
      'redis: FLUSHALL SYNC',
      'at revert: redis: RESTORE <key> <remaining PTTL',
    ].map((s) => out.indexOf(s));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  }, 30_000);

  it('late refusal: keys written during the run push the backup over maxKeys at the fault, the FLUSHALL is not sent and the run ends with exit 2', async () => {
    const flushesBefore = (await writeCommandCalls(foreign)).flushall ?? 0;
    const keysNow = await foreign.admin.dbsize(); // db 0; db 1 holds 100 more
    const reports = join(dir, 'reports-late');
    const file = await experimentFile('flush-late-refusal', [{ kind: 'flushall', at: '500ms' }], {
      sessions: { users: 60 },
      load: { rate: 60 },
      backup: { maxKeys: keysNow + 100 + 2 },
    });
    const result = await runCli(['run', file, '--env', envFile, '--allow-destructive', instance, '--reports', reports]);
    expect(result.code, result.stderr + result.stdout).toBe(2);
    const [experiment] = (await readRunJournal(reports)).experiments;
    expect(experiment?.status).toBe('error');
    expect(experiment?.error?.code).toBe('CQ_BACKUP_TOO_LARGE');
    expect(experiment?.faults[0]?.status).toBe('failed');
    expect(experiment?.steps.find((s) => s.name === 'staging preflight')?.status).toBe('succeeded'); // the early check passed
    expect((await writeCommandCalls(foreign)).flushall ?? 0).toBe(flushesBefore);
    await expectKeysIntact(foreign, before, { allowExtra: true });
  }, 90_000);

  it('with the marker and backup:, FLUSHALL really runs and every key is back after the run (values, TTLs, both databases)', async () => {
    const reports = join(dir, 'reports-flush');
    const file = await experimentFile('flush-with-backup', [{ kind: 'flushall', at: '500ms', for: '1s' }], {
      backup: {},
    });
    const result = await runCli(['run', file, '--env', envFile, '--allow-destructive', instance, '--reports', reports]);
    expect(result.code, result.stderr + result.stdout).toBe(0);
    const [experiment] = (await readRunJournal(reports)).experiments;
    const fault = experiment?.faults[0];
    expect(fault?.status).toBe('reverted');
    const evidence = fault?.evidence as {
      keysBefore: number;
      keysAfter: number;
      guard: string;
      backup: { keys: number; bytes: number; tookMs: number; dbs: number[] };
    };
    expect(evidence.keysAfter).toBe(0); // the FLUSHALL happened
    expect(evidence.keysBefore).toBeGreaterThanOrEqual(5001);
    expect(evidence.guard).toContain(`staging instance ${instance} of game-day, cleared by the marker key`);
    expect(evidence.backup.keys).toBeGreaterThanOrEqual(5101);
    expect(evidence.backup.dbs).toEqual([0, 1]);
    const restore = (
      fault?.revertEvidence as {
        restore: { restored: number; failed: number; expiredMeanwhile: number; tookMs: number };
      }
    ).restore;
    expect(restore.failed).toBe(0);
    expect(restore.restored + restore.expiredMeanwhile).toBe(evidence.backup.keys);
    expect(experiment?.safety?.guard.basis).toBe('clearance');
    expect(experiment?.safety?.backup).toMatchObject({
      keysBackedUp: evidence.backup.keys,
      keysRestored: restore.restored,
    });
    expect(experiment?.safety?.config?.restored).toEqual({});
    console.log(
      `backup of ${evidence.backup.keys} keys (${evidence.backup.bytes} bytes) in ${evidence.backup.tookMs} ms, restore in ${restore.tookMs} ms`,
    );
    await expectKeysIntact(foreign, before, { allowExtra: true }); // the service cached its sessions meanwhile
    expect(await configOf(foreign)).toEqual(configBefore);
    expect(foreign.alive()).toBe(true);
  }, 90_000);

  it('a config-set fault that fails half-applied leaves CONFIG GET * as before: the snapshot restores what the fault could not', async () => {
    const reports = join(dir, 'reports-half');
    const file = await experimentFile('config-half-applied', [
      { kind: 'config-set', parameters: { 'maxmemory-policy': 'allkeys-lru', 'no-such-parameter': 1 } },
    ]);
    await runCli(['run', file, '--env', envFile, '--allow-destructive', instance, '--reports', reports]);
    const [experiment] = (await readRunJournal(reports)).experiments;
    expect(experiment?.faults[0]?.status).toBe('failed');
    expect(experiment?.safety?.config?.restored).toEqual({
      'maxmemory-policy': { found: 'allkeys-lru', restoredTo: configBefore['maxmemory-policy'] },
    });
    expect(experiment?.safety?.config?.notRestored).toEqual({});
    expect(await configOf(foreign)).toEqual(configBefore);
    await expectKeysIntact(foreign, before, { allowExtra: true });
  }, 90_000);

  it('a maxmemory fault in a run aborted by SIGINT: exit 4, and CONFIG GET * is as before', async () => {
    const reports = join(dir, 'reports-abort');
    const file = await experimentFile('maxmemory-abort', [{ kind: 'maxmemory', to: '1gb', policy: 'volatile-lru' }], {
      phases: { baseline: '1s', fault: '20s', recovery: '1s' },
    });
    const child = spawn(
      process.execPath,
      [cliPath, 'run', file, '--env', envFile, '--allow-destructive', instance, '--reports', reports],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the fault was not injected: ${output}`)), 30_000);
        const watch = (c: Buffer) => {
          output += c.toString();
          if (output.includes('fault 1 maxmemory: inject')) {
            clearTimeout(timer);
            resolve();
          }
        };
        child.stdout.on('data', watch);
        child.stderr.on('data', watch);
      });
      await new Promise((r) => setTimeout(r, 500));
      expect((await configOf(foreign))['maxmemory-policy']).toBe('volatile-lru'); // the fault is on
      child.kill('SIGINT');
      expect(await exited).toBe(4);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    const [experiment] = (await readRunJournal(reports)).experiments;
    expect(experiment?.status).toBe('aborted');
    expect(experiment?.safety?.config?.parameters).toBeGreaterThan(100);
    expect(await configOf(foreign)).toEqual(configBefore);
    expect(await foreign.admin.get(markerKey)).toBe(instance);
    await expectKeysIntact(foreign, before, { allowExtra: true });
  }, 90_000);

  it('at the fault itself, a backup over maxKeys or maxBytes is refused: nothing sent, the run told to stop', async () => {
    const calls = await writeCommandCalls(foreign);
    const overKeys = await scheduleWithClearance([{ kind: 'flushall' }], { maxKeys: 100, maxBytes: 64 * 1024 * 1024 });
    const overBytes = await scheduleWithClearance([{ kind: 'flushdb', db: 0 }], { maxKeys: 100_000, maxBytes: 10_000 });
    for (const run of [overKeys, overBytes]) {
      expect(run.records[0]?.status).toBe('failed');
      expect(run.records[0]?.error?.code).toBe('CQ_BACKUP_TOO_LARGE');
      expect(run.refused).toHaveLength(1);
    }
    expect(overKeys.records[0]?.error?.message).toMatch(
      /every database holds at least 5\d\d\d keys, more than backup\.maxKeys \(100\)/,
    );
    expect(overBytes.records[0]?.error?.message).toContain('takes more than backup.maxBytes (10000 bytes)');
    expect(await writeCommandCalls(foreign)).toEqual(calls);
    await expectKeysIntact(foreign, before, { allowExtra: true });
  }, 60_000);

  it('expire (UNLINK of app:user:*) and a maxmemory that really evicts: both backed up, and every key is back after the revert', async () => {
    const evictedBefore = Number(/evicted_keys:(\d+)/.exec(await foreign.admin.info('stats'))?.[1]);
    const expire = await scheduleWithClearance([{ kind: 'expire', pattern: 'app:user:*' }], {
      maxKeys: 10_000,
      maxBytes: parseSizeBytes('64mb') as number,
    });
    expect(expire.records[0]?.status).toBe('reverted');
    expect((expire.records[0]?.evidence as { keysMatched: number }).keysMatched).toBe(2500);
    expect(expire.backups[0]?.backup.keys).toBe(2500);
    expect(expire.backups[0]?.restore?.restored).toBe(2500);
    await expectKeysIntact(foreign, before, { allowExtra: true });

    const evict = await scheduleWithClearance([{ kind: 'maxmemory', to: '1mb', policy: 'allkeys-random' }], {
      maxKeys: 20_000,
      maxBytes: parseSizeBytes('64mb') as number,
    });
    expect(evict.records[0]?.status).toBe('reverted');
    // eviction really happened
    expect((evict.records[0]?.evidence as { evictedKeys: number }).evictedKeys).toBeGreaterThan(100);
    expect(Number(/evicted_keys:(\d+)/.exec(await foreign.admin.info('stats'))?.[1]) - evictedBefore).toBeGreaterThan(
      100,
    );
    const restored = evict.backups[0]?.restore;
    expect(restored?.failed).toBe(0);
    // the service's short-lived keys may expire meanwhile
    expect((restored?.restored ?? 0) + (restored?.expiredMeanwhile ?? 0)).toBe(evict.backups[0]?.backup.keys);
    await expectKeysIntact(foreign, before, { allowExtra: true });
    expect(await configOf(foreign)).toEqual(configBefore);
  }, 60_000);
});
