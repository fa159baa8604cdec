// The guard against a Redis this test started itself (not the harness): every way of aiming destructive faults at it
// without the right confirmations is refused, exit 2, and every key, the config and the process survive.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exitCodeOf } from '../../src/cli/commands/run.ts';
import { runExperiment } from '../../src/engine/run-experiment.ts';
import { FaultScheduler } from '../../src/engine/fault-scheduler.ts';
import { PhaseClock } from '../../src/engine/phase-clock.ts';
import type { LoadedEnvironmentFile } from '../../src/experiment/environment-file-schema.ts';
import { checkDestructiveGuard } from '../../src/safety/staging-preflight.ts';
import type { CachequakeError } from '../../src/errors/index.ts';
import { validateExperiment } from '../../src/experiment/load-experiment.ts';
import type { FaultContext, RedisHandle } from '../../src/runtimes/fault-context.ts';
import { startRedis } from '../../src/runtimes/local/index.ts';
import type { DestructiveClearance } from '../../src/safety/destructive-clearance.ts';
import { runCli } from '../fixtures/run-cli.ts';
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

const instance = 'foreign-staging';
const destructiveFaults = [
  { kind: 'flushall' },
  { kind: 'flushdb', db: 1 },
  { kind: 'expire', pattern: 'app:*' },
  { kind: 'fill-memory', to: '8mb' },
  { kind: 'config-set', parameters: { 'maxmemory-policy': 'allkeys-lru', hz: 50 } },
  { kind: 'maxmemory', to: '1mb', policy: 'allkeys-random' },
  { kind: 'client-kill' },
  { kind: 'client-pause', mode: 'all' },
  { kind: 'maxclients', to: 1 },
  { kind: 'freeze', method: 'debug-sleep' },
];

let foreign: ForeignRedis;
let other: ForeignRedis;
let dir: string;
let declaredEnv: string;
let undeclaredEnv: string;
let before: KeysSnapshot;
let configBefore: Record<string, string>;
let callsBefore: Record<string, number>;

function envFile(redisUrl: string, redis: Record<string, unknown> = {}) {
  return {
    name: 'foreign',
    // never reached: the guard refuses before anything else is contacted
    target: { url: 'http://127.0.0.1:9' },
    toxiproxy: { url: 'http://127.0.0.1:9', proxies: { redis: 'redis' } },
    redis: { adminUrl: redisUrl, ...redis },
    permit: [...new Set(destructiveFaults.map((f) => f.kind)), 'latency'],
  };
}

async function experimentFile(name: string, faults: object[], extra: object = {}): Promise<string> {
  const file = join(dir, `${name}.yaml`);
  await writeFile(
    file,
    stringify({
      name,
      target: 'session-service',
      sessions: { users: 10 },
      load: { rate: 10 },
      phases: { baseline: '1s', fault: '2s', recovery: '1s' },
      faults,
      ...extra,
    }),
  );
  return file;
}

const handleOf = (redis: ForeignRedis): RedisHandle => ({
  host: '127.0.0.1',
  port: redis.port,
  url: redis.url,
  admin: redis.admin,
});

/** A FaultContext made by hand around one Redis (what a caller of the TypeScript API could build). */
function handMadeContext(redis: RedisHandle): FaultContext {
  const no = async (): Promise<never> => {
    throw new Error('not in this context');
  };
  return {
    redis: () => redis,
    postgres: () => undefined,
    link: () => {
      throw new Error('no links');
    },
    kill: no,
    startAgain: no,
    restart: no,
  };
}

/** Runs faults through the fault scheduler (the path every run takes) and returns the records once none is pending. */
async function schedule(faults: object[], ctx: FaultContext, clearance?: DestructiveClearance) {
  const specs = validateExperiment({
    name: 'api',
    phases: { baseline: '0s', fault: '2s', recovery: '0s' },
    faults,
  }).faults;
  const refused: CachequakeError[] = [];
  const scheduler = new FaultScheduler(
    specs,
    ctx,
    new PhaseClock({ baseline: 0, fault: 2000, recovery: 0 }),
    () => {},
    { clearance, onRefused: (e) => refused.push(e) },
  );
  scheduler.start();
  const deadline = Date.now() + 10_000;
  while (scheduler.records.some((r) => r.status === 'pending') && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 20));
  await scheduler.revertAll();
  return { records: scheduler.records, refused };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cq-guard-'));
  foreign = await spawnForeignRedis(); // one after the other: a failed start leaves the first for afterAll to stop
  other = await spawnForeignRedis();
  await fillForeignRedis(foreign, 5000);
  declaredEnv = join(dir, 'declared.env.yaml');
  undeclaredEnv = join(dir, 'undeclared.env.yaml');
  await writeFile(declaredEnv, stringify(envFile(foreign.url, { instance, maxKeys: 100 })));
  await writeFile(undeclaredEnv, stringify(envFile(foreign.url)));
  before = await snapshotKeys(foreign);
  configBefore = await configOf(foreign);
  callsBefore = await writeCommandCalls(foreign);
}, 30_000);

afterAll(async () => {
  await Promise.all([foreign?.stop(), other?.stop()]);
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('destructive faults at a Redis the harness did not start', () => {
  it('fills the Redis the test started: 5,000 keys in db 0 (strings and hashes, half with a TTL), 100 in db 1', () => {
    expect(before.keys.size).toBe(5100);
    expect([...before.keys.values()].filter((k) => k.pttl > 0).length).toBe(2500);
  });

  it('cachequake run --env without --allow-destructive: each destructive kind is refused, exit 2, naming the reason', async () => {
    const files = await Promise.all(destructiveFaults.map((f) => experimentFile(`no-name-${f.kind}`, [f])));
    const results = await Promise.all(
      files.map((file) => runCli(['run', file, '--env', declaredEnv, '--reports', join(dir, 'reports')])),
    );
    results.forEach((result, i) => {
      expect({ kind: destructiveFaults[i]?.kind, code: result.code }).toEqual({
        kind: destructiveFaults[i]?.kind,
        code: 2,
      });
      expect(result.stderr).toContain('CQ_DESTRUCTIVE_REFUSED');
      expect(result.stderr).toContain('no --allow-destructive was given');
      expect(result.stderr).toContain('nothing was sent');
      expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    });
    expect(await writeCommandCalls(foreign)).toEqual(callsBefore);
  }, 120_000);

  it('with the wrong name, with the right name but no marker and 5,000 keys over redis.maxKeys, and with a file that declares no instance: refused, exit 2', async () => {
    const all = await experimentFile('all-kinds', destructiveFaults);
    const [wrongName, noMarker, undeclared] = await Promise.all([
      runCli(['run', all, '--env', declaredEnv, '--allow-destructive', 'production']),
      runCli(['run', all, '--env', declaredEnv, '--allow-destructive', instance]),
      runCli(['run', all, '--env', undeclaredEnv, '--allow-destructive', instance]),
    ]);
    for (const result of [wrongName, noMarker, undeclared]) {
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('CQ_DESTRUCTIVE_REFUSED');
    }
    expect(wrongName.stderr).toContain('--allow-destructive names "production", not this instance');
    expect(noMarker.stderr).toContain(
      'carries no marker key cachequake:game-day = "foreign-staging" and holds 5100 keys over every database (db0: 5000, db1: 100), not fewer than redis.maxKeys (100)',
    );
    expect(noMarker.stderr).toContain('cachequake prepare --env');
    expect(undeclared.stderr).toContain('declares no redis.instance');
    expect(await writeCommandCalls(foreign)).toEqual(callsBefore);
  }, 60_000);

  it("--dry-run prints the guard decision, the config snapshot/restore and each fault's guard step, and opens no connection", async () => {
    const statsBefore = /total_connections_received:(\d+)/.exec(await foreign.admin.info('stats'))?.[1];
    const all = await experimentFile('all-kinds-dry', destructiveFaults);
    const [allowed, wrong] = await Promise.all([
      runCli(['run', all, '--env', declaredEnv, '--allow-destructive', instance, '--dry-run']),
      runCli(['run', all, '--env', declaredEnv, '--allow-destructive', 'production', '--dry-run']),
    ]);
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toContain(
      'guard: destructive faults (flushall, flushdb, expire, fill-memory, config-set, maxmemory, client-kill, client-pause, maxclients, freeze) on staging instance foreign-staging',
    );
    expect(allowed.stdout).toContain('marker key = "foreign-staging" or it holds fewer than 100 keys');
    expect(allowed.stdout).toContain('before the first fault: redis: CONFIG GET * (snapshot)');
    expect(allowed.stdout).toContain('CONFIG SET <parameter> <value before> for every parameter that differs');
    expect(allowed.stdout.split('guard: redis: INFO server').length - 1).toBe(destructiveFaults.length);
    // the guard step comes before the fault's own command
    expect(allowed.stdout.indexOf('guard: redis: INFO server')).toBeLessThan(
      allowed.stdout.indexOf('redis: FLUSHALL SYNC'),
    );
    expect(wrong.stdout).toContain(
      'would be REFUSED (exit 2, nothing sent): --allow-destructive names "production", not foreign-staging',
    );
    expect(/total_connections_received:(\d+)/.exec(await foreign.admin.info('stats'))?.[1]).toBe(statsBefore);
  }, 60_000);

  it('backup: without a staging environment file is refused, exit 2, also for --dry-run', async () => {
    const file = await experimentFile('backup-local', [{ kind: 'flushall' }], { backup: { maxKeys: 100 } });
    for (const result of await Promise.all([runCli(['run', file]), runCli(['run', file, '--dry-run'])])) {
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('CQ_BACKUP_NEEDS_STAGING');
      expect(result.stderr).toContain('backup: applies only to a staging environment (--env <file>)');
    }
  }, 60_000);

  it('through the TypeScript API with a hand-made environment file object: refused before anything starts (the journal says why, exit 2)', async () => {
    const handMade = {
      file: join(dir, 'hand-made.env.yaml'),
      environment: {
        ...envFile(foreign.url, { instance }),
        name: 'hand-made',
        redis: { adminUrl: foreign.url, instance, markerKey: 'cachequake:game-day' },
      },
    } as LoadedEnvironmentFile;
    const journal = await runExperiment(
      { name: 'api-flush', faults: [{ kind: 'flushall' }] },
      { environment: handMade, allowDestructive: instance },
    );
    expect(journal.status).toBe('error');
    expect(journal.error?.code).toBe('CQ_DESTRUCTIVE_REFUSED');
    expect(journal.error?.message).toContain('carries no marker key');
    expect(journal.faults).toEqual([]);
    expect(exitCodeOf([{ status: journal.status, code: journal.error?.code }])).toBe(2);
  }, 30_000);

  it('through the fault scheduler with a hand-made FaultContext aimed at it: the late guard refuses every destructive kind (nothing sent) and stops the run', async () => {
    const { records, refused } = await schedule(destructiveFaults, handMadeContext(handleOf(foreign)));
    expect(records.map((r) => r.status)).toEqual(destructiveFaults.map(() => 'failed'));
    for (const r of records) {
      expect(r.error?.code).toBe('CQ_DESTRUCTIVE_REFUSED');
      expect(r.error?.message).toContain(`this harness did not start it (pid ${foreign.pid}`);
    }
    expect(refused).toHaveLength(destructiveFaults.length);
    expect(await writeCommandCalls(foreign)).toEqual(callsBefore);
  });

  it('a hand-made clearance does not count, and a real one issued for another server does not reach this one', async () => {
    const forged = {
      environment: 'foreign',
      file: declaredEnv,
      instance,
      host: '127.0.0.1',
      port: foreign.port,
      basis: 'marker',
      detail: 'forged',
    } as DestructiveClearance;
    const withForged = await schedule([{ kind: 'flushall' }], handMadeContext(handleOf(foreign)), forged);
    expect(withForged.records[0]?.error?.message).toContain('not issued by the staging guard');

    // the other Redis is prepared and cleared by the staging guard …
    await other.admin.set('cachequake:game-day', instance);
    const otherEnv = {
      file: join(dir, 'other.env.yaml'),
      environment: {
        ...envFile(other.url),
        redis: { adminUrl: other.url, instance, markerKey: 'cachequake:game-day' },
      },
    } as LoadedEnvironmentFile;
    const clearance = await checkDestructiveGuard(
      otherEnv,
      [validateExperiment({ name: 'x', faults: [{ kind: 'flushall' }] })],
      { allowDestructive: instance },
    );
    expect(clearance?.basis).toBe('marker');
    // … but its clearance, aimed at the foreign Redis, is refused
    const misaimed = await schedule([{ kind: 'flushall' }], handMadeContext(handleOf(foreign)), clearance);
    expect(misaimed.records[0]?.status).toBe('failed');
    expect(misaimed.records[0]?.error?.message).toContain(
      'it is not the server the staging guard checked for foreign-staging',
    );
    // aimed where it was issued, it lets the FLUSHALL through (the guard can pass)
    const aimed = await schedule([{ kind: 'flushall' }], handMadeContext(handleOf(other)), clearance);
    expect(aimed.records[0]?.status).toBe('reverted');
    expect(aimed.records[0]?.evidence?.guard).toContain(
      'staging instance foreign-staging of foreign, cleared by the marker key',
    );
    expect(await other.admin.dbsize()).toBe(0);
  });

  it('a redis-server the harness started passes the guard without any clearance', async () => {
    const ours = await startRedis();
    try {
      await ours.admin.set('k', 'v');
      const { records } = await schedule([{ kind: 'flushall' }], handMadeContext(ours));
      expect(records[0]?.status).toBe('reverted');
      expect(records[0]?.evidence?.guard).toContain(
        `a redis-server this harness started (local, pid ${ours.pid}, port ${ours.port}`,
      );
      expect(await ours.admin.dbsize()).toBe(0);
    } finally {
      await ours.stop();
    }
  });

  it('afterwards every key is intact (count, DUMP payloads, TTLs), the config unchanged, and the process alive', async () => {
    await expectKeysIntact(foreign, before);
    expect(await configOf(foreign)).toEqual(configBefore);
    expect(await writeCommandCalls(foreign)).toEqual(callsBefore);
    expect(foreign.alive()).toBe(true);
    expect(await foreign.admin.ping()).toBe('PONG');
  });
});
