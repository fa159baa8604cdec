// The open model against a real server: the rate is held, a stall shows up as latency or timeouts, not as fewer
// requests.
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerResponse } from 'node:http';
import { startLoad } from '../../src/load/index.ts';
import type { TrafficRoute } from '../../src/load/index.ts';
import { startTestServer } from './test-server.ts';
import type { TestServer } from './test-server.ts';

const get: TrafficRoute[] = [{ method: 'GET', path: '/', authenticated: false, weight: 1 }];
const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function server(...args: Parameters<typeof startTestServer>): Promise<TestServer> {
  const started = await startTestServer(...args);
  servers.push(started);
  return started;
}

/** A server that holds every response arriving between `fromMs` and `toMs` after `t0()` until `toMs`. */
function stallBetween(t0: () => number, fromMs: number, toMs: number) {
  const held: ServerResponse[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  const respond = (_req: unknown, res: ServerResponse) => {
    const at = performance.now() - t0();
    if (at < fromMs || at >= toMs) return void res.end('ok');
    held.push(res);
    timer ??= setTimeout(() => held.splice(0).forEach((r) => r.end('late')), toMs - at);
  };
  return { respond, cleanup: () => clearTimeout(timer) };
}

describe('load driver: constant arrival rate', () => {
  it('holds 200 rps for 2 s: 400 ± 5% requests reach the server, all ok', async () => {
    const target = await server();
    const load = startLoad({ baseUrl: target.url, mix: get, rateRps: 200, maxDurationMs: 2000 });
    const result = await load.done;
    expect(result.endReason).toBe('max-duration');
    expect(result.total.requests).toBeGreaterThanOrEqual(380);
    expect(result.total.requests).toBeLessThanOrEqual(420);
    expect(target.received.length).toBe(result.total.requests);
    expect(result.total.errors).toBe(0);
    expect(result.total.rps).toBeGreaterThan(190);
    expect(result.total.rps).toBeLessThan(210);
    expect(result.series.map((p) => p.second)).toEqual([0, 1]);
    for (const point of result.series) expect(point.requests).toBeGreaterThanOrEqual(190);
    // Arrivals are spread over the run, not bunched: every 200 ms window got some.
    const first = target.received[0]?.atMs ?? 0;
    const windows = new Set(target.received.map((r) => Math.floor((r.atMs - first) / 200)));
    expect(windows.size).toBeGreaterThanOrEqual(10);
  });

  it('keeps sending at the scheduled rate while the server stalls for 1 s; the stall shows up as latency from the scheduled time', async () => {
    let t0 = 0;
    const stall = stallBetween(() => t0, 1000, 2000);
    const target = await server(stall.respond);
    t0 = performance.now();
    const load = startLoad({ baseUrl: target.url, mix: get, rateRps: 100, maxDurationMs: 3000, timeoutMs: 3000 });
    const result = await load.done;
    stall.cleanup();
    // Requests kept arriving during the stall at the scheduled rate.
    const duringStall = target.received.filter((r) => r.atMs - t0 >= 1050 && r.atMs - t0 < 1950).length;
    expect(duringStall).toBeGreaterThanOrEqual(80);
    expect(result.total.requests).toBeGreaterThanOrEqual(285);
    expect(result.total.requests).toBeLessThanOrEqual(315);
    expect(result.total.errors).toBe(0);
    const second1 = result.series.find((p) => p.second === 1);
    expect(second1?.requests).toBeGreaterThanOrEqual(95);
    expect(second1?.maxMs).toBeGreaterThanOrEqual(950);
    expect(second1?.p99Ms).toBeGreaterThanOrEqual(900);
    expect(second1?.p50Ms).toBeGreaterThanOrEqual(400);
    // The seconds around it stayed fast.
    expect(result.series.find((p) => p.second === 0)?.p50Ms).toBeLessThan(50);
    expect(result.series.find((p) => p.second === 2)?.p50Ms).toBeLessThan(50);
  });

  it('turns a stall longer than timeoutMs into timeout errors, still sending at the rate', async () => {
    let t0 = 0;
    const stall = stallBetween(() => t0, 1000, 2000);
    const target = await server(stall.respond);
    t0 = performance.now();
    const load = startLoad({ baseUrl: target.url, mix: get, rateRps: 100, maxDurationMs: 3000, timeoutMs: 300 });
    const result = await load.done;
    stall.cleanup();
    expect(result.total.requests).toBeGreaterThanOrEqual(285);
    const timeouts = result.total.errorsByReason.timeout ?? 0;
    // Requests held for more than 300 ms of the 1 s stall time out: about 70 of 100.
    expect(timeouts).toBeGreaterThanOrEqual(55);
    expect(timeouts).toBeLessThanOrEqual(85);
    expect(result.total.errors).toBe(timeouts);
    const second1 = result.series.find((p) => p.second === 1);
    expect(second1?.errorsByReason.timeout).toBe(timeouts);
    // A timeout is recorded at about timeoutMs from the scheduled time (checked every 5 ms tick; a busy machine delays
    // ticks).
    expect(second1?.maxMs).toBeGreaterThanOrEqual(300);
    expect(second1?.maxMs).toBeLessThan(400);
    expect(result.total.errorRate).toBeCloseTo(timeouts / result.total.requests, 6);
  });

  it('changes the rate live and pauses at rate 0', async () => {
    const target = await server();
    const load = startLoad({ baseUrl: target.url, mix: get, rateRps: 100, maxDurationMs: 1500 });
    await new Promise((r) => setTimeout(r, 500));
    load.setRate(300);
    await new Promise((r) => setTimeout(r, 500));
    load.setRate(0);
    const atPause = target.received.length;
    const result = await load.done;
    expect(atPause).toBeGreaterThanOrEqual(180);
    expect(atPause).toBeLessThanOrEqual(220);
    // At most the requests already due when the rate went to 0 and still on their way.
    expect(result.total.requests - atPause).toBeLessThanOrEqual(2);
    expect(load.snapshot().rateRps).toBe(0);
    expect(() => load.setRate(-1)).toThrow(/rateRps.*-1/);
  });

  it('sends exactly rate × duration requests on an injected clock, none at the end instant (no float drift)', async () => {
    const target = await server();
    // From this start, 5 ms added 400 times falls just short of start + 2000 ms.
    const startMs = 468.8281;
    let now = startMs;
    const load = startLoad({
      baseUrl: target.url,
      mix: get,
      rateRps: 200,
      maxDurationMs: 2000,
      maxInFlight: 500,
      timeoutMs: 60_000,
      clock: () => now,
    });
    now = startMs + 2000;
    const result = await load.done;
    expect(result.endReason).toBe('max-duration');
    expect(result.total.requests).toBe(400);
    expect(result.series.map((p) => [p.second, p.requests])).toEqual([
      [0, 200],
      [1, 200],
    ]);
  });
});
