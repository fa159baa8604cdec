// Requests/s of session validation (GET /session) on each bundled target with Redis healthy, against GET / on the same
// server.
import { Pool } from 'undici';
import {
  freePort,
  startPostgres,
  startRedis,
  startTargetProcess,
  type StartedTargetProcess,
} from '../src/runtimes/local/index.ts';
import {
  checkRequest,
  loginRequest,
  readSessionToken,
  renderTargetProcess,
  resolveTarget,
  type LoadedTarget,
  type RequestSpec,
} from '../src/targets/index.ts';
import { percentile, type BenchResult } from './bench-result.ts';

const concurrency = 32;
const durationMs = 5000;
const warmupMs = 1000;
const sliceMs = 1000;
const users = 200;
/** The load experiments drive by default (issue 5: `load: { rate: 200 }`); capacity should be well above it. */
const experimentRatePerSecond = 200;

interface LoadResult {
  requestsPerSecond: number;
  requests: number;
  non2xx: number;
  errors: number;
  p50Ms: number;
  p99Ms: number;
}

/** `concurrency` closed loops over one keep-alive pool for `ms`; `next(i)` gives the i-th request. */
async function drive(baseUrl: string, next: (i: number) => RequestSpec, ms: number): Promise<LoadResult> {
  const pool = new Pool(baseUrl, { connections: concurrency, pipelining: 1 });
  const latencies: number[] = [];
  let non2xx = 0;
  let errors = 0;
  let counter = 0;
  const started = performance.now();
  const deadline = started + ms;
  const loop = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const spec = next(counter++);
      const t0 = performance.now();
      try {
        const response = await pool.request({
          path: spec.path,
          method: spec.method,
          headers: spec.headers,
          body: spec.body,
        });
        await response.body.dump();
        if (response.statusCode < 200 || response.statusCode >= 300) non2xx++;
        latencies.push(performance.now() - t0);
      } catch {
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  const elapsedMs = performance.now() - started;
  await pool.close();
  return {
    requestsPerSecond: Math.round((latencies.length / elapsedMs) * 1000),
    requests: latencies.length,
    non2xx,
    errors,
    p50Ms: round(percentile(latencies, 50)),
    p99Ms: round(percentile(latencies, 99)),
  };
}

async function logInUsers(target: LoadedTarget, baseUrl: string): Promise<{ user: string; token: string }[]> {
  const pool = new Pool(baseUrl, { connections: 8 });
  const out: { user: string; token: string }[] = [];
  for (let i = 0; i < users; i++) {
    const user = `bench-${i}`;
    const spec = loginRequest(target, { user, password: 'pw', rememberMe: i % 2 === 0 });
    const response = await pool.request({
      path: spec.path,
      method: spec.method,
      headers: spec.headers,
      body: spec.body,
    });
    const token = readSessionToken(target, {
      status: response.statusCode,
      headers: response.headers,
      body: await response.body.text(),
    });
    if (!token.ok) throw new Error(`${target.name}: login failed: ${token.reason}`);
    out.push({ user, token: token.token });
  }
  await pool.close();
  return out;
}

/** Baseline and session checks in alternating 1 s slices, so both see the same background load on a shared machine. */
async function measureTarget(
  target: LoadedTarget,
  service: StartedTargetProcess,
): Promise<{ baseline: LoadResult; session: LoadResult }> {
  const sessions = await logInUsers(target, service.url);
  const check = (i: number): RequestSpec => {
    const s = sessions[i % sessions.length] as { user: string; token: string };
    return checkRequest(target, s.token, s.user);
  };
  const home = (): RequestSpec => ({ method: 'GET', path: '/', headers: {} });
  await drive(service.url, home, warmupMs);
  await drive(service.url, check, warmupMs);
  const baselines: LoadResult[] = [];
  const checks: LoadResult[] = [];
  for (let slice = 0; slice < durationMs / sliceMs; slice++) {
    baselines.push(await drive(service.url, home, sliceMs));
    checks.push(await drive(service.url, check, sliceMs));
  }
  return { baseline: combine(baselines), session: combine(checks) };
}

/** Slices of equal length: rates average, counts add up, percentiles are the worst slice's (an upper bound). */
function combine(results: LoadResult[]): LoadResult {
  const sum = (f: (r: LoadResult) => number) => results.reduce((a, r) => a + f(r), 0);
  return {
    requestsPerSecond: Math.round(sum((r) => r.requestsPerSecond) / results.length),
    requests: sum((r) => r.requests),
    non2xx: sum((r) => r.non2xx),
    errors: sum((r) => r.errors),
    p50Ms: Math.max(...results.map((r) => r.p50Ms)),
    p99Ms: Math.max(...results.map((r) => r.p99Ms)),
  };
}

export default async function bench(): Promise<BenchResult> {
  const redis = await startRedis();
  const postgres = await startPostgres();
  const measurements: Record<string, unknown> = {
    concurrency,
    durationMs,
    sliceMs,
    users,
    cores: (await import('node:os')).availableParallelism(),
  };
  const goals: BenchResult['goals'] = [];
  try {
    for (const name of ['session-service', 'naive-session-service']) {
      const target = await resolveTarget(name);
      const service = await startTargetProcess(
        renderTargetProcess(target, { redis, postgres, port: await freePort() }),
      );
      try {
        const { baseline, session } = await measureTarget(target, service);
        const ratio = round(session.requestsPerSecond / baseline.requestsPerSecond, 3);
        measurements[name] = { baselineHome: baseline, sessionCheck: session, ratioToBaseline: ratio };
        goals.push({
          name: `${name}: GET /session req/s, Redis healthy`,
          actual: session.requestsPerSecond,
          goal: `>= ${5 * experimentRatePerSecond} (5x the experiments' default load)`,
          met: session.requestsPerSecond >= 5 * experimentRatePerSecond && session.errors + session.non2xx === 0,
        });
        goals.push({
          name: `${name}: GET /session vs GET / on the same server`,
          actual: `${ratio}x`,
          goal: '>= 0.3',
          met: ratio >= 0.3,
        });
        if (name === 'session-service') {
          // The fallback path: Redis frozen, breaker open, every check served by PostgreSQL.
          redis.signal('SIGSTOP');
          try {
            const sessions = await logInUsers(target, service.url);
            const check = (i: number): RequestSpec => {
              const s = sessions[i % sessions.length] as { user: string; token: string };
              return checkRequest(target, s.token, s.user);
            };
            await drive(service.url, check, 2000);
            const fallback = await drive(service.url, check, durationMs);
            measurements['session-service-redis-frozen'] = {
              sessionCheck: fallback,
              ratioToHealthy: round(fallback.requestsPerSecond / session.requestsPerSecond, 3),
            };
            goals.push({
              name: 'session-service: GET /session req/s, Redis frozen (DB fallback)',
              actual: fallback.requestsPerSecond,
              goal: `>= ${experimentRatePerSecond}`,
              met: fallback.requestsPerSecond >= experimentRatePerSecond && fallback.errors + fallback.non2xx === 0,
            });
          } finally {
            redis.signal('SIGCONT');
          }
        }
      } finally {
        await service.stop();
      }
    }
  } finally {
    redis.signal('SIGCONT');
    await Promise.allSettled([redis.stop(), postgres.stop()]);
  }
  return { measurements, goals };
}

function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
