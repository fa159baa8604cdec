// A staging run SIGKILLed in its fault phase leaves a latency toxic, changed CONFIG values and a flushed keyspace on a
// Redis and a proxy this test runs as the staging environment; its rollback log lets `cachequake recover` set every one
// back, and the next run refuses to start until it did.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { Toxiproxy } from 'toxiproxy-node-client';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFaultProxy, type StartedFaultProxy } from '../../src/proxy/index.ts';
import { freePort, startPostgres, startTargetProcess } from '../../src/runtimes/local/index.ts';
import type { StartedPostgres, StartedTargetProcess } from '../../src/runtimes/local/types.ts';
import { renderTargetProcess, resolveTarget } from '../../src/targets/index.ts';
import type { Journal } from '../../src/journal/journal-types.ts';
import { cliPath, runCli } from '../fixtures/run-cli.ts';
import {
  configOf,
  expectKeysIntact,
  fillForeignRedis,
  snapshotKeys,
  spawnForeignRedis,
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
let reports: string;
let killedRunDir: string;
let keysBefore: KeysSnapshot;
let configBefore: Record<string, string>;
let dbs: number[];

const toxicsOf = async (name: string) =>
  ((await (await fetch(`${proxy.url}/proxies/${name}/toxics`)).json()) as { name: string }[]).map((t) => t.name);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cq-recover-'));
  reports = join(dir, 'reports');
  foreign = await spawnForeignRedis();
  postgres = await startPostgres();
  proxy = await startFaultProxy(); // the team's Toxiproxy: `cachequake proxy`, outside the harness under test
  await fillForeignRedis(foreign, 2000, 150);
  const db3 = new Redis(`${foreign.url}/3`, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await db3.connect();
  await db3.set('db3:with-ttl', 'kept', 'PX', 3_600_000);
  await db3.hset('db3:hash', { a: '1' });
  db3.disconnect();
  await foreign.admin.set(markerKey, instance);
  const toxiproxy = new Toxiproxy(proxy.url);
  const port = (listen: string) => Number(listen.slice(listen.lastIndexOf(':') + 1));
  const redisLink = await toxiproxy.createProxy({
    name: 'staging-redis',
    listen: '127.0.0.1:0',
    upstream: `127.0.0.1:${foreign.port}`,
  });
  const pgLink = await toxiproxy.createProxy({
    name: 'staging-postgres',
    listen: '127.0.0.1:0',
    upstream: `127.0.0.1:${postgres.port}`,
  });
  // a toxic the team had before the run: recover must leave it
  await redisLink.addToxic({
    name: 'team-jitter',
    type: 'latency',
    stream: 'upstream',
    toxicity: 1,
    attributes: { latency: 1, jitter: 0 },
  });
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
  envFile = join(dir, 'staging.env.yaml');
  await writeFile(
    envFile,
    stringify({
      name: 'staging',
      target: { url: target.url },
      toxiproxy: { url: proxy.url, proxies: { redis: 'staging-redis', postgres: 'staging-postgres' } },
      redis: { adminUrl: foreign.url, instance, markerKey },
      permit: ['flushall', 'config-set', 'latency'],
    }),
  );
  keysBefore = await snapshotKeys(foreign, [0, 1, 3]);
  configBefore = await configOf(foreign);
  dbs = [0, 1, 3];
}, 90_000);

afterAll(async () => {
  await target?.stop();
  await proxy?.stop();
  await Promise.all([foreign?.stop(), postgres?.stop()]);
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function experimentFile(name: string, faults: object[], phases: object, extra: object = {}): Promise<string> {
  const file = join(dir, `${name}.yaml`);
  await writeFile(
    file,
    stringify({
      name,
      target: 'session-service',
      sessions: { users: 20 },
      load: { rate: 20 },
      phases,
      faults,
      ...extra,
    }),
  );
  return file;
}

interface LogLine {
  type: string;
  id?: string;
  kind?: string;
}

async function logLines(runDir: string): Promise<LogLine[]> {
  const text = await readFile(join(runDir, 'rollback.jsonl'), 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as LogLine);
}

describe('SIGKILL of the harness mid-fault on staging, then cachequake recover', () => {
  it('the killed run leaves its faults applied, a rollback log and a partial journal with status killed', async () => {
    const file = await experimentFile(
      'killed-mid-fault',
      [
        { kind: 'latency', on: 'redis', latencyMs: 150 },
        { kind: 'config-set', parameters: { hz: 50, 'maxmemory-policy': 'allkeys-lru' } },
        { kind: 'flushall', at: '300ms' },
      ],
      { baseline: '1s', fault: '120s', recovery: '1s' },
      { backup: {} },
    );
    const child = spawn(
      process.execPath,
      [cliPath, 'run', file, '--env', envFile, '--allow-destructive', instance, '--reports', reports],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const exited = once(child, 'exit');
    try {
      // the run dir appears at the start; wait until every fault was sent (its `applied` or keys line is on disk)
      const deadline = Date.now() + 60_000;
      for (;;) {
        const [name] = existsSync(reports) ? await readdir(reports) : [];
        if (name) {
          killedRunDir = join(reports, name);
          const lines = await logLines(killedRunDir);
          const sent = lines.some((l) => l.type === 'applied') && lines.some((l) => l.type === 'keys');
          if (sent && (await foreign.admin.dbsize()) < 50 && (await configOf(foreign)).hz === '50') break;
        }
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`the faults never applied:\n${output}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
    expect(child.signalCode).toBe('SIGKILL');

    // nothing reverted itself: the toxic, the config and the flush are all still there
    const left = await toxicsOf('staging-redis');
    expect(left).toContain('team-jitter');
    expect(left.some((n) => n.startsWith('cachequake-latency-'))).toBe(true);
    const config = await configOf(foreign);
    expect({ hz: config.hz, policy: config['maxmemory-policy'] }).toEqual({ hz: '50', policy: 'allkeys-lru' });
    expect(await foreign.admin.get(markerKey)).toBeNull();

    const lines = await logLines(killedRunDir);
    expect(lines[0]).toMatchObject({ type: 'run', runtime: 'staging' });
    const undone = new Set(lines.filter((l) => l.type === 'undone').map((l) => l.id));
    const open = lines.filter((l) => ['config', 'links', 'keys'].includes(l.type) && !undone.has(l.id));
    expect(open.map((l) => `${l.kind ?? ''} ${l.type}`).sort()).toEqual(
      expect.arrayContaining([' config', 'config-set keys', 'flushall keys', 'latency links']),
    );
    const backupFiles = (await readdir(killedRunDir)).filter((n) => n.startsWith('backup-'));
    expect(backupFiles).toHaveLength(2); // config-set with a policy change may evict: it is backed up too

    const journal = JSON.parse(await readFile(join(killedRunDir, 'journal.json'), 'utf8')) as Journal;
    expect(journal.status).toBe('killed');
    expect(journal.experiments[0]?.name).toBe('killed-mid-fault');
    expect(journal.experiments[0]?.faults.map((f) => f.kind)).toEqual(['latency', 'config-set', 'flushall']);
  }, 120_000);

  it('the next run against the same environment refuses to start (exit 3) and names the run dir and recover', async () => {
    const file = await experimentFile('after-kill', [{ kind: 'latency', on: 'redis', latencyMs: 10 }], {
      baseline: '1s',
      fault: '1s',
      recovery: '1s',
    });
    const refused = await runCli(['run', file, '--env', envFile, '--reports', reports]);
    expect(refused.code, refused.stderr).toBe(3);
    expect(refused.stderr).toContain('CQ_ROLLBACK_PENDING');
    expect(refused.stderr).toContain(killedRunDir.slice(killedRunDir.lastIndexOf('/') + 1));
    expect(refused.stderr).toContain('cachequake recover');
    expect(refused.stderr).toContain('faults[0] latency links');
    expect(await readdir(reports)).toHaveLength(1); // nothing started, no run dir
  }, 60_000);

  it('recover sets back the toxics, CONFIG GET * and every key with its TTL in every database; a second recover is a no-op', async () => {
    const result = await runCli(['recover', killedRunDir]);
    expect(result.code, result.stderr + result.stdout).toBe(0);
    expect(result.stdout).toMatch(
      /undone: faults\[0\] \(latency\) links: staging-redis: removed toxics cachequake-latency-/,
    );
    expect(result.stdout).toMatch(/undone: config on 127\.0\.0\.1:\d+: CONFIG SET .*hz 10 \(was 50\)/);
    expect(result.stdout).toMatch(/undone: faults\[2\] \(flushall\) keys: restored \d+ of \d+ keys into db 0, 1, 3/);

    expect(await toxicsOf('staging-redis')).toEqual(['team-jitter']);
    expect(await toxicsOf('staging-postgres')).toEqual([]);
    expect(await configOf(foreign)).toEqual(configBefore);
    // sessions the service wrote during the run are there too; every key from before is back, with its TTL
    await expectKeysIntact(foreign, keysBefore, { allowExtra: true, dbs });
    const recorded = JSON.parse(await readFile(join(killedRunDir, 'recover.json'), 'utf8')) as { changes: unknown[] };
    expect(recorded.changes.length).toBeGreaterThanOrEqual(4);

    const again = await runCli(['recover', killedRunDir]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('nothing left to undo');
    expect(await configOf(foreign)).toEqual(configBefore);
  }, 60_000);

  it('after recover the next run starts again', async () => {
    const file = await experimentFile('after-recover', [{ kind: 'latency', on: 'redis', latencyMs: 10 }], {
      baseline: '1s',
      fault: '1s',
      recovery: '1s',
    });
    const result = await runCli(['run', file, '--env', envFile, '--reports', reports]);
    expect(result.stderr).not.toContain('CQ_ROLLBACK_PENDING');
    expect([0, 1]).toContain(result.code);
    const runDirs = await readdir(reports);
    expect(runDirs).toHaveLength(2);
    const fresh = runDirs.map((n) => join(reports, n)).find((d) => d !== killedRunDir) as string;
    const lines = await logLines(fresh);
    const changed = lines.filter((l) => l.type === 'links').map((l) => l.id);
    expect(changed.length).toBe(1);
    expect(lines.filter((l) => l.type === 'undone').map((l) => l.id)).toEqual(changed);
    expect(lines.at(-1)?.type).toBe('end');
    expect(await toxicsOf('staging-redis')).toEqual(['team-jitter']);
  }, 90_000);
});
