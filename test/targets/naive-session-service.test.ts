// naive-session-service against real Redis: the incident's defects show — no TTL on remember-me, sessions lost on
// FLUSHALL, errors while Redis is down.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  freePort,
  startRedis,
  startTargetProcess,
  type StartedRedis,
  type StartedTargetProcess,
} from '../../src/runtimes/local/index.ts';
import { renderTargetProcess, resolveTarget, type LoadedTarget } from '../../src/targets/index.ts';
import { checkSession, eventually, health, logIn, type LoggedIn } from './target-client.ts';

let redis: StartedRedis | undefined;
let service: StartedTargetProcess | undefined;
let target: LoadedTarget;
let url: string;
let sessions: LoggedIn[] = [];

beforeAll(async () => {
  target = await resolveTarget('naive-session-service');
  redis = await startRedis();
  service = await startTargetProcess(renderTargetProcess(target, { redis, port: await freePort() }));
  url = service.url;
});

afterAll(async () => {
  redis?.signal('SIGCONT');
  await service?.stop();
  await redis?.stop();
});

async function logInUsers(count: number): Promise<LoggedIn[]> {
  const out: LoggedIn[] = [];
  for (let i = 0; i < count; i++) out.push(await logIn(target, url, `naive-${i}`, i % 2 === 0));
  return out;
}

describe('naive-session-service', () => {
  it('stores remember-me sessions with no TTL and the others with one', async () => {
    sessions = await logInUsers(10);
    for (const s of sessions) {
      expect((await checkSession(target, url, s)).outcome).toBe('valid');
      const ttl = await redis!.admin.ttl(`session:${s.token}`);
      if (s.rememberMe) expect(ttl, s.user).toBe(-1);
      else expect(ttl, s.user).toBeGreaterThan(0);
    }
  });

  it('loses every session on FLUSHALL (401: the users must log in again)', async () => {
    await redis!.admin.flushall();
    const checks = await Promise.all(sessions.map((s) => checkSession(target, url, s)));
    expect(checks.map((c) => c.outcome)).toEqual(sessions.map(() => 'lost'));
  });

  it('fails session checks while Redis is frozen (no command timeout: requests hang)', async () => {
    sessions = await logInUsers(4);
    redis!.signal('SIGSTOP');
    try {
      const checks = await Promise.all(sessions.map((s) => checkSession(target, url, s, 1500)));
      expect(checks.map((c) => c.outcome)).toEqual(sessions.map(() => 'error'));
      expect(checks.every((c) => c.status === 0 && c.latencyMs >= 1400)).toBe(true);
    } finally {
      redis!.signal('SIGCONT');
    }
    // The queued commands complete once Redis runs again: nothing was lost, only stalled.
    expect((await checkSession(target, url, sessions[0]!)).outcome).toBe('valid');
  });

  it('fails session checks while Redis is dead, and loses them when it comes back empty', async () => {
    const port = redis!.port;
    await redis!.stop();
    const checks = await Promise.all(sessions.map((s) => checkSession(target, url, s, 2000)));
    expect(checks.map((c) => c.outcome)).toEqual(sessions.map(() => 'error'));
    expect((await health(url)).status).not.toBe(200);

    redis = await startRedis({ port });
    expect(await eventually(async () => (await health(url)).status === 200, 10_000)).toBe(true);
    const after = await Promise.all(sessions.map((s) => checkSession(target, url, s)));
    expect(after.map((c) => c.outcome)).toEqual(sessions.map(() => 'lost'));
  });
});
