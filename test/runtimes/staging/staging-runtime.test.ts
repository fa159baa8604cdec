// The staging runtime against services this test started by hand: Redis, PostgreSQL, `cachequake proxy` and
// session-service.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Toxiproxy } from 'toxiproxy-node-client';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Journal } from '../../../src/journal/journal-types.ts';
import { freePort, startPostgres, startRedis, startTargetProcess } from '../../../src/runtimes/local/index.ts';
import type { StartedPostgres, StartedRedis, StartedTargetProcess } from '../../../src/runtimes/local/types.ts';
import { renderTargetProcess, resolveTarget } from '../../../src/targets/index.ts';
import { cliPath, runCli } from '../../fixtures/run-cli.ts';
import { checkDestructiveGuard } from '../../../src/safety/staging-preflight.ts';
import { validateExperiment } from '../../../src/experiment/load-experiment.ts';
import { loadEnvironmentFile } from '../../../src/experiment/load-environment-file.ts';

let redis: StartedRedis;
let postgres: StartedPostgres;
let proxyServer: ChildProcess;
let toxiproxy: Toxiproxy;
let target: StartedTargetProcess;
let dir: string;
let envFile: string;

const instance = 'staging-test-redis';
const markerKey = 'cachequake:game-day';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cq-staging-'));
  [redis, postgres] = await Promise.all([startRedis(), startPostgres()]);
  const apiPort = await freePort();
  proxyServer = spawn(process.execPath, [cliPath, 'proxy', '--port', String(apiPort)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let printed = '';
  proxyServer.stdout?.on('data', (c: Buffer) => (printed += c.toString()));
  const deadline = Date.now() + 15_000;
  while (!printed.includes('API on') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  expect(printed).toContain('API on');
  toxiproxy = new Toxiproxy(`http://127.0.0.1:${apiPort}`);
  const redisLink = await toxiproxy.createProxy({
    name: 'staging-redis',
    listen: '127.0.0.1:0',
    upstream: `127.0.0.1:${redis.port}`,
  });
  const pgLink = await toxiproxy.createProxy({
    name: 'staging-postgres',
    listen: '127.0.0.1:0',
    upstream: `127.0.0.1:${postgres.port}`,
  });
  const port = (listen: string) => Number(listen.slice(listen.lastIndexOf(':') + 1));
  const service = await resolveTarget('session-service');
  target = await startTargetProcess(
    renderTargetProcess(service, {
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
      name: 'hand-started',
      target: { url: target.url },
      toxiproxy: {
        url: `http://127.0.0.1:${apiPort}`,
        proxies: { redis: 'staging-redis', postgres: 'staging-postgres' },
      },
      redis: { adminUrl: redis.url, instance, markerKey },
      metrics: { url: `${target.url}/metrics` },
      permit: ['latency', 'flushall', 'kill'],
    }),
  );
}, 90_000);

afterAll(async () => {
  await target?.stop();
  if (proxyServer && proxyServer.exitCode === null) {
    proxyServer.kill('SIGTERM');
    await once(proxyServer, 'exit');
  }
  await Promise.all([redis?.stop(), postgres?.stop()]);
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function experimentFile(name: string, faults: object[]): Promise<string> {
  const file = join(dir, `${name}.yaml`);
  await writeFile(
    file,
    stringify({
      name,
      target: 'session-service',
      sessions: { users: 100 },
      load: { rate: 50 },
      phases: { baseline: '2s', fault: '3s', recovery: '3s' },
      faults,
      expect: ['sessions.lost == 0', 'http.error_rate{phase=fault} < 5%'],
    }),
  );
  return file;
}

/**
 * What Redis has executed so far, without the read-only probes (this test's and the guard's GET/DBSIZE) and connection
 * handshakes.
 */
async function commandStats(): Promise<string> {
  const info = await redis.admin.info('commandstats');
  return info
    .split('\n')
    .filter((l) => l.startsWith('cmdstat_') && !/^cmdstat_(info|ping|dbsize|get|select|client|hello)\b/.test(l))
    .map((l) => l.replace(/,usec=.*$/, ''))
    .join('\n');
}

async function toxicsOn(name: string): Promise<unknown[]> {
  return (await fetch(`${toxiproxy.host}/proxies/${name}/toxics`).then((r) => r.json())) as unknown[];
}

describe('cachequake run --env (staging runtime)', () => {
  it('runs a latency + FLUSHALL experiment against the declared services and passes (guard satisfied: name typed, marker key set)', async () => {
    await redis.admin.set(markerKey, instance);
    const reports = join(dir, 'reports-pass');
    const file = await experimentFile('staging-latency-flush', [
      { kind: 'latency', on: 'redis', latencyMs: 30, for: '2s' },
      { kind: 'flushall', at: '2500ms' },
    ]);
    const result = await runCli(['run', file, '--env', envFile, '--allow-destructive', instance, '--reports', reports]);
    expect(result.stderr + result.stdout).toContain('PASS');
    expect(result.code).toBe(0);
    const [runDir] = await readdir(reports);
    const journal = JSON.parse(await readFile(join(reports, runDir as string, 'journal.json'), 'utf8')) as Journal;
    const [experiment] = journal.experiments;
    expect(experiment?.environment.runtime).toBe('staging');
    expect(experiment?.environment.processes).toBeUndefined();
    expect(experiment?.sessions).toMatchObject({ created: 100, lost: 0 });
    expect(experiment?.faults.map((f) => f.status)).toEqual(['reverted', 'reverted']);
    const latency = experiment?.faults[0]?.evidence as {
      proxy: string;
      linkProbe: { after: { ok: boolean; ms: number } };
    };
    expect(latency.proxy).toBe('staging-redis');
    expect(latency.linkProbe.after.ms).toBeGreaterThanOrEqual(30);
    expect((experiment?.faults[1]?.evidence as { keysAfter: number }).keysAfter).toBe(0);
    expect(experiment?.series.some((p) => p.breakerState !== null)).toBe(true); // metrics scraped from the declared URL
    expect(await toxicsOn('staging-redis')).toEqual([]);
    expect(target.exited).toBe(false); // staging services are never stopped
    expect((await fetch(`${target.url}/health`)).status).toBe(200);
  });

  it('refuses a fault the file does not permit: exit 2, and nothing reached Redis, the proxy or the target', async () => {
    const before = await commandStats();
    const reports = join(dir, 'reports-refused');
    const file = await experimentFile('staging-outage', [{ kind: 'outage', on: 'redis' }]);
    const result = await runCli(['run', file, '--env', envFile, '--reports', reports]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('CQ_FAULT_NOT_PERMITTED');
    expect(result.stderr).toContain('does not permit outage');
    expect(result.stderr).toContain('permits: latency, flushall, kill');
    expect(await commandStats()).toBe(before);
    expect(await toxicsOn('staging-redis')).toEqual([]);
    expect((await toxiproxy.get('staging-redis')).enabled).toBe(true);
    expect(await readdir(reports).catch(() => [])).toEqual([]);
  });

  it('enforces the guard: FLUSHALL without the typed name, with a wrong one, or without the marker key is refused and every key survives', async () => {
    await redis.admin.del(markerKey);
    await redis.admin.mset({ 'guard:a': '1', 'guard:b': '2' });
    const keys = await redis.admin.dbsize();
    const before = await commandStats();
    const file = await experimentFile('staging-flush', [{ kind: 'flushall' }]);
    const noName = await runCli(['run', file, '--env', envFile]);
    const wrongName = await runCli(['run', file, '--env', envFile, '--allow-destructive', 'production']);
    const noMarker = await runCli(['run', file, '--env', envFile, '--allow-destructive', instance]);
    for (const result of [noName, wrongName, noMarker]) {
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('CQ_DESTRUCTIVE_REFUSED');
    }
    expect(noName.stderr).toContain('no --allow-destructive was given');
    expect(wrongName.stderr).toContain('names "production", not this instance');
    expect(noMarker.stderr).toContain(`no marker key ${markerKey}`);
    expect(await redis.admin.dbsize()).toBe(keys);
    expect(await commandStats()).toBe(before);
  });

  it('without a marker, the guard lets destructive faults through only below redis.maxKeys, and says how many keys it found', async () => {
    await redis.admin.del(markerKey);
    await redis.admin.mset({ 'bound:a': '1', 'bound:b': '2' });
    const keys = await redis.admin.dbsize();
    const loaded = await loadEnvironmentFile(envFile);
    const flush = [validateExperiment({ name: 'bounded', faults: [{ kind: 'flushall' }] })];
    const withBound = (maxKeys: number) => ({
      ...loaded,
      environment: { ...loaded.environment, redis: { ...loaded.environment.redis, maxKeys } },
    });
    await expect(
      checkDestructiveGuard(withBound(keys + 1), flush, { allowDestructive: instance }),
    ).resolves.toMatchObject({
      basis: 'key-bound',
      instance,
      detail: `${keys} keys over every database (db0: ${keys}), fewer than redis.maxKeys (${keys + 1})`,
    });
    await expect(checkDestructiveGuard(withBound(keys), flush, { allowDestructive: instance })).rejects.toThrow(
      `holds ${keys} keys over every database (db0: ${keys}), not fewer than redis.maxKeys (${keys})`,
    );
    // network faults alone never need the guard
    await expect(
      checkDestructiveGuard(
        withBound(1),
        [validateExperiment({ name: 'net', faults: [{ kind: 'latency', latencyMs: 5 }] })],
        {},
      ),
    ).resolves.toBeUndefined();
    expect(await redis.admin.dbsize()).toBe(keys);
  });

  it('refuses a fault that needs the server process (kill) even when permitted: exit 2', async () => {
    const file = await experimentFile('staging-kill', [{ kind: 'kill', on: 'redis' }]);
    const result = await runCli(['run', file, '--env', envFile]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('CQ_FAULT_NEEDS_PROCESS');
    expect(redis.exited).toBe(false);
  });

  it('reports a bad environment file with file:line:column, exit 2', async () => {
    const bad = join(dir, 'bad.env.yaml');
    await writeFile(
      bad,
      'name: bad\ntarget: { url: http://127.0.0.1:1 }\ntoxiproxy: { url: http://127.0.0.1:2, proxies: { redis: r } }\nredis: { adminUrl: redis://127.0.0.1:3 }\npermit: [latencyy]\n',
    );
    const file = await experimentFile('staging-any', []);
    const result = await runCli(['run', file, '--env', bad]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/bad\.env\.yaml:5:\d+: permit\[0\]: received "latencyy"/);
  });
});
