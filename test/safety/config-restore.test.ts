// The config snapshot on the local runtime (a half-applied config-set set back), and the safety steps on a Redis where
// CONFIG is renamed or INFO not permitted, as on many managed ones.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaultScheduler } from '../../src/engine/fault-scheduler.ts';
import { PhaseClock } from '../../src/engine/phase-clock.ts';
import { runExperiment } from '../../src/engine/run-experiment.ts';
import type { LoadedEnvironmentFile } from '../../src/experiment/environment-file-schema.ts';
import { checkDestructiveGuard } from '../../src/safety/staging-preflight.ts';
import { validateExperiment } from '../../src/experiment/load-experiment.ts';
import type { FaultContext, RedisHandle } from '../../src/runtimes/fault-context.ts';
import type { DestructiveClearance } from '../../src/safety/destructive-clearance.ts';
import { RunSafety } from '../../src/safety/run-safety.ts';
import { spawnForeignRedis, type ForeignRedis } from './foreign-redis.ts';

let noConfig: ForeignRedis;
let noInfo: ForeignRedis;
let promoted: ForeignRedis;

beforeAll(async () => {
  // one after the other: a failed start leaves the ones before it for afterAll to stop
  noConfig = await spawnForeignRedis(['--rename-command', 'CONFIG', '']);
  noInfo = await spawnForeignRedis();
  promoted = await spawnForeignRedis();
  // a user that may do anything but INFO (the guard then cannot read run_id)
  await noInfo.admin.call('ACL', 'SETUSER', 'noinfo', 'on', '>secret', '~*', '&*', '+@all', '-info');
}, 30_000);

afterAll(async () => {
  await Promise.all([noConfig?.stop(), noInfo?.stop(), promoted?.stop()]);
});

function contextOf(redis: Pick<ForeignRedis, 'port' | 'url' | 'admin'>): FaultContext {
  const no = async (): Promise<never> => {
    throw new Error('not here');
  };
  const handle: RedisHandle = { host: '127.0.0.1', port: redis.port, url: redis.url, admin: redis.admin };
  return {
    redis: () => handle,
    postgres: () => undefined,
    link: () => {
      throw new Error('no links');
    },
    kill: no,
    startAgain: no,
    restart: no,
  };
}

async function schedule(faults: object[], ctx: FaultContext, clearance?: DestructiveClearance) {
  const experiment = validateExperiment({ name: 'x', phases: { baseline: '0s', fault: '1s', recovery: '0s' }, faults });
  const scheduler = new FaultScheduler(
    experiment.faults,
    ctx,
    new PhaseClock({ baseline: 0, fault: 1000, recovery: 0 }),
    () => {},
    { clearance },
  );
  scheduler.start();
  const deadline = Date.now() + 10_000;
  while (scheduler.records.some((r) => r.status === 'pending') && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 20));
  await scheduler.revertAll();
  return scheduler.records;
}

describe('config snapshot and restore', () => {
  it('local runtime: a config-set that fails half-applied is set back after the run and the journal says what was restored', async () => {
    const journal = await runExperiment({
      name: 'half-applied-local',
      sessions: { users: 10 },
      load: { rate: 10 },
      phases: { baseline: '500ms', fault: '1s', recovery: '500ms' },
      faults: [
        { kind: 'config-set', parameters: { 'maxmemory-policy': 'allkeys-lru', 'no-such-parameter': 1 } },
        { kind: 'flushall', at: '200ms' },
      ],
    });
    expect(journal.faults.map((f) => f.status)).toEqual(['failed', 'reverted']);
    expect(journal.faults[1]?.evidence?.guard).toMatch(
      /^a redis-server this harness started \(local, pid \d+, port \d+, run_id [0-9a-f]{8}…\)$/,
    );
    expect(journal.safety?.guard.basis).toBe('harness-started');
    expect(journal.safety?.config?.restored).toEqual({
      'maxmemory-policy': { found: 'allkeys-lru', restoredTo: 'noeviction' },
    });
    expect(journal.safety?.config?.parameters).toBeGreaterThan(100);
    expect(journal.steps.find((s) => s.name === 'snapshot the Redis config')?.status).toBe('succeeded');
  }, 60_000);

  it('after a failover the snapshot is restored on the server it was taken of, never on the new primary, and addresses are left alone', async () => {
    const original = noInfo; // the primary when the snapshot is taken; `promoted` is the one a failover makes primary
    const safety = new RunSafety(
      validateExperiment({ name: 'x', faults: [{ kind: 'config-set', parameters: { hz: 50 } }] }),
    );
    await safety.snapshot(contextOf(original));
    const hzBefore = ((await original.admin.config('GET', 'hz')) as string[])[1];
    await original.admin.config('SET', 'hz', '50');
    await original.admin.config('SET', 'replica-announce-port', '1234');
    const promotedConfig = await promoted.admin.config('GET', '*');
    const result = await safety.restore();
    expect(result?.server).toBe(`127.0.0.1:${original.port}`);
    expect(result?.restored).toEqual({ hz: { found: '50', restoredTo: hzBefore } });
    expect(result?.leftAlone?.sort()).toEqual(['replica-announce-port', 'slave-announce-port']); // the alias too
    expect(((await original.admin.config('GET', 'replica-announce-port')) as string[])[1]).toBe('1234');
    expect(await promoted.admin.config('GET', '*')).toEqual(promotedConfig);
    await original.admin.config('SET', 'replica-announce-port', '0');
  });

  it('CONFIG renamed: the snapshot and the restore are recorded as unavailable, nothing fails', async () => {
    const safety = new RunSafety(validateExperiment({ name: 'x', faults: [{ kind: 'flushall' }] }));
    const ctx = contextOf(noConfig);
    expect(await safety.snapshot(ctx)).toEqual({ skipped: expect.stringContaining('CONFIG GET * failed') });
    expect(await safety.restore()).toMatchObject({
      server: `127.0.0.1:${noConfig.port}`,
      parameters: 0,
      restored: {},
      notRestored: {},
      unavailable: expect.stringContaining('CONFIG GET * failed'),
    });
    const journal = await safety.journal();
    expect(journal.config?.unavailable).toMatch(/CONFIG GET \* failed: ERR unknown command .config./);
    expect(await noConfig.admin.ping()).toBe('PONG');
  });

  it('INFO not permitted (ACL): the staging clearance has no identity and holds only for the address it checked', async () => {
    await noInfo.admin.set('cachequake:game-day', 'no-info');
    const url = `redis://noinfo:secret@127.0.0.1:${noInfo.port}`;
    const env = {
      file: '/hand/no-info.env.yaml',
      environment: {
        name: 'no-info',
        target: { url: 'http://127.0.0.1:9' },
        toxiproxy: { url: 'http://127.0.0.1:9', proxies: { redis: 'r' } },
        redis: { adminUrl: url, instance: 'no-info', markerKey: 'cachequake:game-day' },
        permit: ['flushall'],
      },
    } as LoadedEnvironmentFile;
    const clearance = await checkDestructiveGuard(
      env,
      [validateExperiment({ name: 'x', faults: [{ kind: 'flushall' }] })],
      { allowDestructive: 'no-info' },
    );
    expect(clearance?.identity).toBeUndefined();
    const elsewhere = await schedule([{ kind: 'flushall' }], contextOf(noConfig), clearance);
    expect(elsewhere[0]?.error?.message).toContain(
      `the staging guard cleared 127.0.0.1:${noInfo.port}, not this address`,
    );
    const admin = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
    admin.on('error', () => {});
    try {
      await admin.connect();
      expect(await admin.info('server').catch((e: Error) => e.message)).toContain('NOPERM');
      const here = await schedule([{ kind: 'flushall' }], contextOf({ port: noInfo.port, url, admin }), clearance);
      expect(here[0]?.status).toBe('reverted');
      expect(here[0]?.evidence?.guard).toContain('staging instance no-info of no-info, cleared by the marker key');
      expect(await noInfo.admin.dbsize()).toBe(0);
    } finally {
      admin.disconnect();
    }
  });
});
