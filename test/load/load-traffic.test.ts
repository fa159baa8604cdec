// What the driver sends and how it counts answers: classification, phase tagging, the weighted mix, tokens and bodies.
import { afterEach, describe, expect, it } from 'vitest';
import { startLoad } from '../../src/load/index.ts';
import type { TrafficRoute } from '../../src/load/index.ts';
import { closedPort, startTestServer } from './test-server.ts';
import type { Respond, TestServer } from './test-server.ts';

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function server(respond?: Respond): Promise<TestServer> {
  const started = await startTestServer(respond);
  servers.push(started);
  return started;
}

const statusByPath: Record<string, number> = {
  '/ok': 200,
  '/redirect': 302,
  '/auth-401': 401,
  '/public-401': 401,
  '/down': 503,
  '/missing': 404,
};
const byStatus: Respond = (req, res) => {
  res.statusCode = statusByPath[req.path.split('?')[0] ?? ''] ?? 500;
  if (res.statusCode === 302) res.setHeader('location', '/ok');
  res.end();
};

describe('load driver: classification', () => {
  it('counts 2xx/3xx ok, 401 on an authenticated request as unauthorized, every other 4xx/5xx as status:<code>', async () => {
    const target = await server(byStatus);
    const mix: TrafficRoute[] = [
      { method: 'GET', path: '/ok', authenticated: true, weight: 1 },
      { method: 'GET', path: '/redirect', authenticated: false, weight: 1 },
      { method: 'GET', path: '/auth-401', authenticated: true, weight: 1 },
      { method: 'GET', path: '/public-401', authenticated: false, weight: 1 },
      { method: 'GET', path: '/down', authenticated: false, weight: 1 },
      { method: 'GET', path: '/missing', authenticated: false, weight: 1 },
    ];
    const load = startLoad({ baseUrl: target.url, mix, rateRps: 200, maxRequests: 60, tokenSource: () => 'token-1' });
    const { total } = await load.done;
    expect(total.requests).toBe(60);
    expect(total.errorsByReason).toEqual({ unauthorized: 10, 'status:401': 10, 'status:503': 10, 'status:404': 10 });
    expect(total.unauthorized).toBe(10);
    expect(total.errors).toBe(40);
    expect(total.errorRate).toBeCloseTo(40 / 60, 9);
  });

  it('names connection errors by their code: ECONNREFUSED', async () => {
    const port = await closedPort();
    const load = startLoad({
      baseUrl: `http://127.0.0.1:${port}`,
      mix: [{ method: 'GET', path: '/', authenticated: false, weight: 1 }],
      rateRps: 100,
      maxRequests: 10,
    });
    const { total } = await load.done;
    expect(total.errorsByReason).toEqual({ ECONNREFUSED: 10 });
  });

  it('counts a connection the server drops mid-request as an error with the transport code, not a timeout', async () => {
    const target = await server((_req, res) => res.socket?.destroy());
    const load = startLoad({
      baseUrl: target.url,
      mix: [{ method: 'GET', path: '/', authenticated: false, weight: 1 }],
      rateRps: 100,
      maxRequests: 10,
    });
    const { total } = await load.done;
    expect(total.errors).toBe(10);
    const reasons = Object.keys(total.errorsByReason);
    expect(reasons.length).toBeGreaterThan(0);
    expect(reasons).not.toContain('timeout');
    for (const reason of reasons) expect(reason).toMatch(/^(UND_ERR_SOCKET|ECONNRESET|EPIPE)$/);
  });

  it('counts an authenticated request without a token as a no-token error and does not send it', async () => {
    const target = await server();
    const mix: TrafficRoute[] = [
      { method: 'GET', path: '/me', authenticated: true, weight: 1 },
      { method: 'GET', path: '/public', authenticated: false, weight: 1 },
    ];
    const { total } = await startLoad({
      baseUrl: target.url,
      mix,
      rateRps: 200,
      maxRequests: 20,
      tokenSource: () => undefined,
    }).done;
    expect(total.requests).toBe(20);
    expect(total.errorsByReason).toEqual({ 'no-token': 10 });
    expect(target.received.map((r) => r.path)).toEqual(Array(10).fill('/public'));
  });
});

describe('load driver: phases', () => {
  it('tags each request with the phase at its scheduled time, per second and per phase', async () => {
    let t0 = 0;
    const phaseAt = (ms: number) => (ms < 600 ? 'baseline' : ms < 1200 ? 'fault' : 'recovery');
    // The service fails during the fault phase only.
    const target = await server((_req, res) => {
      res.statusCode = phaseAt(performance.now() - t0) === 'fault' ? 503 : 200;
      res.end();
    });
    t0 = performance.now();
    const load = startLoad({
      baseUrl: target.url,
      mix: [{ method: 'GET', path: '/', authenticated: false, weight: 1 }],
      rateRps: 100,
      maxDurationMs: 1800,
      phaseSource: () => phaseAt(performance.now() - t0),
    });
    const result = await load.done;
    const { baseline, fault, recovery } = result.phases;
    for (const phase of [baseline, fault, recovery]) {
      expect(phase?.requests).toBeGreaterThanOrEqual(56);
      expect(phase?.requests).toBeLessThanOrEqual(64);
      expect(phase?.durationMs).toBeGreaterThanOrEqual(580);
      expect(phase?.durationMs).toBeLessThanOrEqual(620);
      expect(phase?.rps).toBeGreaterThan(90);
      expect(phase?.rps).toBeLessThan(110);
    }
    expect((baseline?.requests ?? 0) + (fault?.requests ?? 0) + (recovery?.requests ?? 0)).toBe(result.total.requests);
    // Phase changes and the server's clock may disagree by a tick: allow a request or two at each edge.
    expect(baseline?.errors).toBeLessThanOrEqual(2);
    expect(fault?.errors).toBeGreaterThanOrEqual((fault?.requests ?? 0) - 2);
    expect(recovery?.errors).toBeLessThanOrEqual(2);
    // Second 0 is baseline then fault (from 600 ms); second 1 is fault then recovery (from 1200 ms).
    expect(result.series.map((p) => `${p.second}:${p.phase}`)).toEqual([
      '0:baseline',
      '0:fault',
      '1:fault',
      '1:recovery',
    ]);
    const point = result.series.find((p) => p.second === 0 && p.phase === 'fault');
    expect(point?.requests).toBeGreaterThanOrEqual(38);
    expect(point?.requests).toBeLessThanOrEqual(42);
    expect(point?.rps).toBeGreaterThan(90);
    expect(point?.startMs).toBe(result.startedAtMs);
    expect(result.series.find((p) => p.second === 1)?.startMs).toBe(result.startedAtMs + 1000);
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });

  it('reports live progress: rps and errors of the last complete second', async () => {
    const target = await server((req, res) => {
      res.statusCode = req.path === '/down' ? 503 : 200;
      res.end();
    });
    const mix: TrafficRoute[] = [
      { method: 'GET', path: '/', authenticated: false, weight: 3 },
      { method: 'GET', path: '/down', authenticated: false, weight: 1 },
    ];
    const load = startLoad({
      baseUrl: target.url,
      mix,
      rateRps: 200,
      maxDurationMs: 1300,
      phaseSource: () => 'baseline',
    });
    await new Promise((r) => setTimeout(r, 1150));
    const snapshot = load.snapshot();
    await load.done;
    expect(snapshot.phase).toBe('baseline');
    expect(snapshot.elapsedMs).toBeGreaterThanOrEqual(1100);
    expect(snapshot.rpsLastSecond).toBe(200);
    expect(snapshot.errorsLastSecond).toBe(50);
    expect(snapshot.p99MsLastSecond).toBeGreaterThan(0);
    expect(snapshot.requests).toBeGreaterThanOrEqual(225);
    expect(snapshot.inFlight).toBeLessThan(10);
  });
});

describe('load driver: traffic mix', () => {
  it('respects the weights, sends tokens through attachToken, bodies as JSON', async () => {
    const target = await server();
    let n = 0;
    const mix: TrafficRoute[] = [
      { method: 'GET', path: '/me', authenticated: true, weight: 3 },
      {
        method: 'POST',
        path: '/cart',
        authenticated: false,
        weight: 1,
        body: { item: 42 },
        headers: { 'x-test': 'yes' },
      },
      { method: 'DELETE', path: '/never', authenticated: false, weight: 0 },
    ];
    const load = startLoad({
      baseUrl: `${target.url}/ignored/path`,
      mix,
      rateRps: 400,
      maxRequests: 200,
      tokenSource: () => `t${n++ % 5}`,
      attachToken: (headers, token) => {
        headers.cookie = `sid=${token}`;
      },
    });
    await load.done;
    const me = target.received.filter((r) => r.path === '/me');
    const cart = target.received.filter((r) => r.path === '/cart');
    expect(me.length).toBe(150);
    expect(cart.length).toBe(50);
    expect(new Set(me.map((r) => r.headers.cookie))).toEqual(
      new Set(['sid=t0', 'sid=t1', 'sid=t2', 'sid=t3', 'sid=t4']),
    );
    expect(me.every((r) => r.headers.authorization === undefined)).toBe(true);
    expect(
      cart.every(
        (r) =>
          r.method === 'POST' &&
          r.body === '{"item":42}' &&
          r.headers['content-type'] === 'application/json' &&
          r.headers['x-test'] === 'yes',
      ),
    ).toBe(true);
    expect(cart.every((r) => r.headers.cookie === undefined)).toBe(true);
  });

  it('sends Authorization: Bearer <token> by default', async () => {
    const target = await server();
    await startLoad({
      baseUrl: target.url,
      mix: [{ method: 'GET', path: '/me', authenticated: true, weight: 1 }],
      rateRps: 100,
      maxRequests: 3,
      tokenSource: () => 'abc',
    }).done;
    expect(target.received.map((r) => r.headers.authorization)).toEqual(['Bearer abc', 'Bearer abc', 'Bearer abc']);
  });

  it('rejects wrong options with the field, the value and what is expected', () => {
    const mix: TrafficRoute[] = [{ method: 'GET', path: '/', authenticated: false, weight: 1 }];
    const cases: Array<[Parameters<typeof startLoad>[0], RegExp]> = [
      [{ baseUrl: 'nope', mix, rateRps: 1 }, /`baseUrl`.*http URL.*`nope`/],
      [{ baseUrl: 'ftp://127.0.0.1', mix, rateRps: 1 }, /`baseUrl`.*http: or https:/],
      [{ baseUrl: 'http://127.0.0.1:1', mix: [], rateRps: 1 }, /`mix`.*non-empty/],
      [{ baseUrl: 'http://127.0.0.1:1', mix: [{ ...mix[0], weight: 0 } as TrafficRoute], rateRps: 1 }, /weight > 0/],
      [
        { baseUrl: 'http://127.0.0.1:1', mix: [{ ...mix[0], path: 'x' } as TrafficRoute], rateRps: 1 },
        /`mix\[0\].path`.*starting with \/.*`x`/,
      ],
      [
        { baseUrl: 'http://127.0.0.1:1', mix: [{ ...mix[0], method: 'FETCH' } as TrafficRoute], rateRps: 1 },
        /`mix\[0\].method`.*GET.*`FETCH`/,
      ],
      [{ baseUrl: 'http://127.0.0.1:1', mix, rateRps: -5 }, /`rateRps`.*>= 0.*`-5` \(number\)/],
      [{ baseUrl: 'http://127.0.0.1:1', mix, rateRps: 1, maxInFlight: 0 }, /`maxInFlight`.*integer >= 1/],
      [{ baseUrl: 'http://127.0.0.1:1', mix, rateRps: 1, maxDurationMs: Infinity }, /`maxDurationMs`/],
      [{ baseUrl: 'http://127.0.0.1:1', mix, rateRps: 1, timeoutMs: 0 }, /`timeoutMs`/],
    ];
    for (const [options, message] of cases) {
      expect(() => startLoad(options)).toThrow(message);
      try {
        startLoad(options);
      } catch (error) {
        expect(error).toMatchObject({ code: 'CQ_LOAD_INVALID', kind: 'invalid-input' });
      }
    }
  });
});
