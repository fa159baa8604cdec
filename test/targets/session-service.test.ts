// session-service against real Redis and PostgreSQL: sessions survive FLUSHALL, a frozen and a dead Redis; the breaker
// opens and closes.
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  freePort,
  startPostgres,
  startRedis,
  startTargetProcess,
  type StartedPostgres,
  type StartedRedis,
  type StartedTargetProcess,
} from '../../src/runtimes/local/index.ts';
import { renderTargetProcess, resolveTarget, type LoadedTarget } from '../../src/targets/index.ts';
import { checkSession, eventually, health, logIn, metric, send, type LoggedIn } from './target-client.ts';

let redis: StartedRedis | undefined;
let postgres: StartedPostgres | undefined;
let service: StartedTargetProcess | undefined;
let target: LoadedTarget;
let url: string;
const sessions: LoggedIn[] = [];

beforeAll(async () => {
  target = await resolveTarget('session-service');
  redis = await startRedis();
  postgres = await startPostgres();
  const port = await freePort();
  service = await startTargetProcess(renderTargetProcess(target, { redis, postgres, port }));
  url = service.url;
  for (let i = 0; i < 20; i++) sessions.push(await logIn(target, url, `user-${i}`, i % 2 === 0));
});

afterAll(async () => {
  redis?.signal('SIGCONT');
  await service?.stop();
  await Promise.allSettled([redis?.stop(), postgres?.stop()]);
});

async function outcomes(): Promise<string[]> {
  return Promise.all(sessions.map(async (s) => (await checkSession(target, url, s)).outcome));
}

describe('session-service', () => {
  it('logs users in through the manifest contract, and caches every key with a TTL', async () => {
    expect(sessions).toHaveLength(20);
    expect(await outcomes()).toEqual(sessions.map(() => 'valid'));
    await send(url, { method: 'GET', path: '/profile', headers: { authorization: `Bearer ${sessions[0]?.token}` } });
    const keys = await redis!.admin.keys('*');
    expect(keys.filter((k) => k.startsWith('session:'))).toHaveLength(20);
    expect(keys).toContain('profile:user-0');
    for (const key of keys) expect(await redis!.admin.ttl(key), key).toBeGreaterThan(0);
    expect((await health(url)).body.status).toBe('ok');
  });

  it('answers 401 for an unknown token and after logout', async () => {
    expect((await checkSession(target, url, { user: 'x', token: 'not-a-token', rememberMe: false })).status).toBe(401);
    const extra = await logIn(target, url, 'leaving', false);
    expect((await checkSession(target, url, extra)).outcome).toBe('valid');
    const out = await send(url, {
      method: 'POST',
      path: '/logout',
      headers: { authorization: `Bearer ${extra.token}` },
    });
    expect(out.status).toBe(200);
    expect((await checkSession(target, url, extra)).outcome).toBe('lost');
  });

  it('keeps every session after FLUSHALL: served from PostgreSQL, then cached again', async () => {
    const missesBefore = await metric(url, 'cache_misses_total', { kind: 'session' });
    await redis!.admin.flushall();
    expect(await redis!.admin.dbsize()).toBe(0);
    expect(await outcomes()).toEqual(sessions.map(() => 'valid'));
    expect(await metric(url, 'cache_misses_total', { kind: 'session' })).toBe(missesBefore + 20);
    expect(await eventually(async () => (await redis!.admin.keys('session:*')).length === 20, 2000)).toBe(true);
    const hitsBefore = await metric(url, 'cache_hits_total', { kind: 'session' });
    expect(await outcomes()).toEqual(sessions.map(() => 'valid'));
    expect(await metric(url, 'cache_hits_total', { kind: 'session' })).toBe(hitsBefore + 20);
  });

  it('keeps sessions valid while Redis is frozen (SIGSTOP): the breaker opens, then closes after SIGCONT', async () => {
    redis!.signal('SIGSTOP');
    try {
      const opened = await eventually(async () => {
        expect(await outcomes()).toEqual(sessions.map(() => 'valid'));
        return (await metric(url, 'redis_breaker_state')) === 2;
      }, 10_000);
      expect(opened).toBe(true);
      expect(await metric(url, 'redis_breaker_transitions_total', { to: 'open' })).toBeGreaterThanOrEqual(1);
      expect(await metric(url, 'cache_fallbacks_total', { reason: 'timeout' })).toBeGreaterThan(0);
      // Open: Redis is skipped, so a check no longer waits for the command timeout.
      const whileOpen = await checkSession(target, url, sessions[1]!);
      expect(whileOpen.outcome).toBe('valid');
      expect(whileOpen.latencyMs).toBeLessThan(150);
      expect(await health(url)).toEqual({ status: 200, body: expect.objectContaining({ status: 'degraded' }) });
    } finally {
      redis!.signal('SIGCONT');
    }
    const closed = await eventually(async () => {
      await outcomes();
      return (await metric(url, 'redis_breaker_state')) === 0;
    }, 15_000);
    expect(closed).toBe(true);
    expect(await metric(url, 'redis_breaker_transitions_total', { to: 'half-open' })).toBeGreaterThanOrEqual(1);
    expect(await metric(url, 'redis_breaker_transitions_total', { to: 'closed' })).toBeGreaterThanOrEqual(1);
    expect((await health(url)).body.status).toBe('ok');
  });

  it('keeps sessions valid while Redis is dead, and goes back to Redis when it returns on the same port', async () => {
    const port = redis!.port;
    await redis!.stop();
    const opened = await eventually(async () => {
      expect(await outcomes()).toEqual(sessions.map(() => 'valid'));
      return (await metric(url, 'redis_breaker_state')) === 2;
    }, 10_000);
    expect(opened).toBe(true);
    expect(await health(url)).toEqual({
      status: 200,
      body: expect.objectContaining({ status: 'degraded', redis: 'down' }),
    });
    // A login still works: PostgreSQL first, the cache write is skipped.
    const during = await logIn(target, url, 'during-outage', true);
    expect((await checkSession(target, url, during)).outcome).toBe('valid');

    redis = await startRedis({ port });
    const closed = await eventually(async () => {
      await outcomes();
      return (await metric(url, 'redis_breaker_state')) === 0;
    }, 15_000);
    expect(closed).toBe(true);
    expect((await health(url)).body.status).toBe('ok');
    // Reads rebuild the cache in the new, empty Redis.
    const recached = await eventually(async () => {
      expect(await outcomes()).toEqual(sessions.map(() => 'valid'));
      return (await redis!.admin.keys('session:*')).length >= 20;
    }, 5000);
    expect(recached).toBe(true);
  });

  it('reports down (503) when PostgreSQL fails, and answers 503, not 401, for sessions it cannot check', async () => {
    await postgres!.stop();
    expect(await eventually(async () => (await health(url)).status === 503, 5000)).toBe(true);
    expect((await health(url)).body.status).toBe('down');
    await redis!.admin.flushall();
    const check = await checkSession(target, url, sessions[0]!);
    expect(check.status).toBe(503);
    expect(check.outcome).toBe('error');
  });
});

describe('session-service on its own', () => {
  it('exits 2 and names the variable on a bad setting; --help lists every variable', () => {
    const server = `${target.dir}/server.js`;
    const bad = spawnSync(process.execPath, [server], {
      env: { ...process.env, BREAKER_RESET_MS: 'soon' },
      encoding: 'utf8',
      timeout: 10_000,
    });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('BREAKER_RESET_MS="soon" is not a non-negative integer');
    const help = spawnSync(process.execPath, [server, '--help'], { encoding: 'utf8', timeout: 10_000 });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/REDIS_COMMAND_TIMEOUT_MS\s+.*\(default 100\)/);
  });
});
