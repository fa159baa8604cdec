// The local runtime against real redis-server and PostgreSQL: start, use, stop, and nothing left behind.
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { CachequakeError } from '../../../src/errors/index.ts';
import { freePort, startPostgres, startRedis, startTargetProcess } from '../../../src/runtimes/local/index.ts';
import { isAlive, waitGone } from '../../fixtures/process-alive.ts';
import { requirePostgresBinDir } from '../../../src/runtimes/local/binaries.ts';
import { templateDir } from '../../../src/runtimes/local/postgres-template.ts';

const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/${name}`, import.meta.url));

describe('local runtime', () => {
  it('starts Redis and PostgreSQL in parallel, writes and reads through both, and stops them', async () => {
    const [redis, postgres] = await Promise.all([startRedis(), startPostgres()]);
    try {
      expect(redis.url).toBe(`redis://127.0.0.1:${redis.port}`);
      await redis.admin.set('session:1', 'alice');
      expect(await redis.admin.get('session:1')).toBe('alice');
      const client = new pg.Client(postgres.url);
      await client.connect();
      await client.query('CREATE TABLE t (v text)');
      await client.query("INSERT INTO t VALUES ('bob')");
      expect((await client.query('SELECT v FROM t')).rows).toEqual([{ v: 'bob' }]);
      expect((await client.query('SHOW server_version')).rows[0].server_version).toMatch(/^15\./);
      await client.end();
    } finally {
      await Promise.all([redis.stop(), postgres.stop()]);
    }
    expect(await waitGone([redis.pid, postgres.pid], 1000)).toEqual([]);
    expect(existsSync(redis.dir)).toBe(false);
    expect(existsSync(postgres.dir)).toBe(false);
    await redis.stop(); // idempotent
    await postgres.stop();
  });

  it('stops everything started in a scope that throws (await using)', async () => {
    const pids: number[] = [];
    await expect(
      (async () => {
        await using redis = await startRedis();
        await using postgres = await startPostgres();
        pids.push(redis.pid, postgres.pid);
        throw new Error('experiment blew up');
      })(),
    ).rejects.toThrow('experiment blew up');
    expect(pids).toHaveLength(2);
    expect(await waitGone(pids, 1000)).toEqual([]);
  });

  it('applies config directives from an object and a file, with persistence off by default', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cq-test-conf-'));
    const file = join(dir, 'candidate.conf');
    await writeFile(file, 'maxmemory 20mb\nmaxmemory-policy volatile-lru\nbind 0.0.0.0\n');
    await using redis = await startRedis({ configFile: file, config: { 'maxmemory-policy': 'allkeys-lru' } });
    const get = async (k: string) => ((await redis.admin.config('GET', k)) as string[])[1];
    expect(await get('maxmemory')).toBe(String(20 * 1024 * 1024));
    expect(await get('maxmemory-policy')).toBe('allkeys-lru');
    expect(await get('bind')).toBe('127.0.0.1'); // the harness keeps servers on loopback
    expect(await get('enable-debug-command')).toBe('local');
    await using plain = await startRedis();
    expect(((await plain.admin.config('GET', 'save')) as string[])[1]).toBe('');
    expect(((await plain.admin.config('GET', 'appendonly')) as string[])[1]).toBe('no');
    await rm(dir, { recursive: true });
  });

  it('keeps data across a restart in the same dir when persistence is on, and loses it when off', async () => {
    for (const aof of [true, false]) {
      const first = await startRedis({ persistence: { aof } });
      await first.admin.set('k', 'v');
      if (aof) await first.admin.call('BGREWRITEAOF').catch(() => undefined);
      await new Promise((r) => setTimeout(r, 300));
      await first.stop({ keepDir: true });
      const second = await startRedis({ persistence: { aof }, port: first.port, dir: first.dir });
      expect(await second.admin.get('k')).toBe(aof ? 'v' : null);
      await second.stop();
      await rm(first.dir, { recursive: true, force: true });
    }
  });

  it('rejects an invalid directive with a message naming it, and leaves no process', async () => {
    const error = await startRedis({ config: { 'maxmemory-policy': 'evict-sessions-please' } }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CachequakeError);
    expect((error as CachequakeError).code).toBe('CQ_REDIS_CONFIG_INVALID');
    expect((error as CachequakeError).message).toContain("'maxmemory-policy evict-sessions-please'");
    expect((error as CachequakeError).message).toContain('allkeys-lru');
    expect((error as CachequakeError).exitCode).toBe(2);
  });

  it('rebuilds a PostgreSQL template that an interrupted removal left without data', async () => {
    const template = templateDir(requirePostgresBinDir());
    await rm(template, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
    await mkdir(join(template, 'spares'), { recursive: true }); // what a killed `rm -rf` can leave
    await using postgres = await startPostgres();
    expect(existsSync(join(template, 'data', 'PG_VERSION'))).toBe(true);
    const client = new pg.Client(postgres.url);
    await client.connect();
    expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    await client.end();
  });

  it('reports a port clash on a fixed port as an environment error', async () => {
    const blocker = createServer();
    const port = await freePort();
    await new Promise<void>((r) => blocker.listen(port, '127.0.0.1', r));
    try {
      const error = (await startRedis({ port }).catch((e: unknown) => e)) as CachequakeError;
      expect(error.code).toBe('CQ_REDIS_PORT_IN_USE');
      expect(error.exitCode).toBe(3);
    } finally {
      blocker.close();
    }
  });

  it('explains how to install redis-server when it is missing', async () => {
    const saved = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      const error = (await startRedis().catch((e: unknown) => e)) as CachequakeError;
      expect(error.code).toBe('CQ_REDIS_NOT_INSTALLED');
      expect(error.hint).toContain('apt-get install -y redis-server');
      expect(error.hint).toContain('brew install redis');
    } finally {
      process.env.PATH = saved;
    }
  });

  it('starts a target process, waits for its health path, and stops it', async () => {
    const port = await freePort();
    const target = await startTargetProcess({
      command: 'node',
      args: [fixture('http-echo-target.mjs')],
      env: { PORT: String(port) },
      port,
      healthPath: '/health',
    });
    const body = (await (await fetch(`${target.url}/health`)).json()) as { pid: number };
    expect(body.pid).toBe(target.pid);
    await target.stop();
    expect(isAlive(target.pid)).toBe(false);
  });

  it('reports a target that dies at start-up with the last lines of its output', async () => {
    const port = await freePort();
    const error = (await startTargetProcess({
      command: 'node',
      args: ['-e', 'console.error("cannot reach DATABASE_URL"); process.exit(7)'],
      port,
      healthPath: '/health',
    }).catch((e: unknown) => e)) as CachequakeError;
    expect(error.code).toBe('CQ_TARGET_START_FAILED');
    expect(error.message).toContain('exited with code 7');
    expect(error.hint).toContain('cannot reach DATABASE_URL');
  });

  it('leaves no process or temp dir behind when the harness itself is SIGKILLed', async () => {
    const harness = spawn(process.execPath, [fixture('harness-that-gets-killed.ts')], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const line = await new Promise<string>((resolve, reject) => {
      let out = '';
      harness.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        if (out.includes('\n')) resolve(out.split('\n')[0] as string);
      });
      harness.on('exit', (code) => reject(new Error(`harness exited early with ${code}`)));
    });
    const started = JSON.parse(line) as {
      redis: number;
      postgres: number;
      target: number;
      watchdog: number;
      dirs: string[];
    };
    const pids = [started.redis, started.postgres, started.target];
    expect(pids.every(isAlive)).toBe(true);
    harness.kill('SIGKILL');
    const killedAt = Date.now();
    const left = await waitGone([...pids, started.watchdog], 5000);
    expect(left).toEqual([]);
    expect(Date.now() - killedAt).toBeLessThan(5000);
    // postgres backends too: nothing of that cluster may remain
    const ps = await new Promise<string>((r) => execFile('ps', ['-eo', 'args='], (_e, out) => r(out)));
    expect(ps).not.toContain(started.dirs[1]);
    for (const dir of started.dirs) expect(existsSync(dir)).toBe(false);
  });
});
