// The driver's bounds: maxInFlight drops (counted), timeouts, maxRequests, abort and stop, and nothing left running
// after.
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerResponse } from 'node:http';
import { startLoad } from '../../src/load/index.ts';
import type { TrafficRoute } from '../../src/load/index.ts';
import { startTestServer, waitFor } from './test-server.ts';
import type { TestServer } from './test-server.ts';

const get: TrafficRoute[] = [{ method: 'GET', path: '/', authenticated: false, weight: 1 }];
const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A server that never answers: every request hangs until the client gives up. */
async function hangingServer(): Promise<TestServer & { held: ServerResponse[] }> {
  const held: ServerResponse[] = [];
  const started = await startTestServer((_req, res) => void held.push(res));
  servers.push(started);
  return Object.assign(started, { held });
}

function countResources(kind: string): number {
  return process.getActiveResourcesInfo().filter((r) => r === kind).length;
}

describe('load driver: bounds', () => {
  it('sends at most maxInFlight at once and counts the rest as dropped errors', async () => {
    const target = await hangingServer();
    const load = startLoad({
      baseUrl: target.url,
      mix: get,
      rateRps: 100,
      maxInFlight: 10,
      timeoutMs: 1000,
      maxDurationMs: 500,
    });
    const result = await load.done;
    expect(target.received.length).toBe(10);
    expect(result.total.requests).toBeGreaterThanOrEqual(47);
    expect(result.total.requests).toBeLessThanOrEqual(53);
    expect(result.total.errorsByReason).toEqual({ timeout: 10, dropped: result.total.requests - 10 });
    expect(result.total.errorRate).toBe(1);
  });

  it('times a hanging request out at timeoutMs from its scheduled time and ends within the bound', async () => {
    const target = await hangingServer();
    const started = performance.now();
    const load = startLoad({ baseUrl: target.url, mix: get, rateRps: 50, timeoutMs: 200, maxDurationMs: 400 });
    const result = await load.done;
    const tookMs = performance.now() - started;
    expect(result.total.requests).toBe(20);
    expect(result.total.errorsByReason).toEqual({ timeout: 20 });
    expect(result.total.p50Ms).toBeGreaterThanOrEqual(200);
    expect(result.total.maxMs).toBeLessThan(240);
    // Scheduling 400 ms, then the last request's 200 ms: not much more.
    expect(tookMs).toBeGreaterThanOrEqual(580);
    expect(tookMs).toBeLessThan(800);
    // The timed-out exchanges were aborted: their connections are closed.
    expect(await waitFor(() => target.openConnections() === 0, 1000)).toBe(true);
  });

  it('stops after maxRequests', async () => {
    const target = await startTestServer();
    servers.push(target);
    const load = startLoad({ baseUrl: target.url, mix: get, rateRps: 500, maxRequests: 37, maxDurationMs: 10_000 });
    const result = await load.done;
    expect(result.endReason).toBe('max-requests');
    expect(result.total.requests).toBe(37);
    expect(target.received.length).toBe(37);
    expect(result.elapsedMs).toBeLessThan(500);
  });

  it('on abort cancels what is in flight at once, closes every connection and leaves no timer', async () => {
    const timersBefore = countResources('Timeout');
    const target = await hangingServer();
    const controller = new AbortController();
    const load = startLoad({
      baseUrl: target.url,
      mix: get,
      rateRps: 100,
      timeoutMs: 5000,
      maxDurationMs: 10_000,
      signal: controller.signal,
    });
    await new Promise((r) => setTimeout(r, 300));
    const abortedAt = performance.now();
    controller.abort();
    const result = await load.done;
    expect(performance.now() - abortedAt).toBeLessThan(150);
    expect(result.endReason).toBe('aborted');
    expect(result.cancelled).toBeGreaterThanOrEqual(25);
    expect(result.cancelled).toBeLessThanOrEqual(35);
    // Cancelled requests are not counted as requests or errors.
    expect(result.total.requests).toBe(0);
    expect(result.total.errors).toBe(0);
    const sentAtAbort = target.received.length;
    expect(await waitFor(() => target.openConnections() === 0, 1000)).toBe(true);
    await new Promise((r) => setTimeout(r, 100));
    expect(target.received.length).toBe(sentAtAbort);
    expect(countResources('Timeout')).toBeLessThanOrEqual(timersBefore);
  });

  it('does nothing with a signal that is already aborted', async () => {
    const target = await hangingServer();
    const load = startLoad({ baseUrl: target.url, mix: get, rateRps: 100, signal: AbortSignal.abort() });
    const result = await load.done;
    expect(result.endReason).toBe('aborted');
    expect(result.total.requests).toBe(0);
    await new Promise((r) => setTimeout(r, 50));
    expect(target.received.length).toBe(0);
  });

  it('stop() ends scheduling, lets in-flight requests finish, and is idempotent (also through await using)', async () => {
    const timers: Array<ReturnType<typeof setTimeout>> = [];
    const target = await startTestServer((_req, res) => void timers.push(setTimeout(() => res.end('late'), 100)));
    servers.push(target);
    const load = startLoad({ baseUrl: target.url, mix: get, rateRps: 50, timeoutMs: 2000, maxDurationMs: 10_000 });
    await new Promise((r) => setTimeout(r, 330));
    const stopped = load.stop();
    expect(load.stop()).toBe(stopped);
    const result = await stopped;
    expect(result.endReason).toBe('stopped');
    expect(result.total.requests).toBeGreaterThanOrEqual(16);
    expect(result.total.requests).toBeLessThanOrEqual(18);
    // The in-flight ones were answered, not cancelled.
    expect(result.total.errors).toBe(0);
    expect(result.cancelled).toBe(0);
    expect(result.total.durationMs).toBeLessThan(360);
    await load[Symbol.asyncDispose]();
    expect(load.result().total.requests).toBe(result.total.requests);
    timers.forEach(clearTimeout);
  });

  it('cancels the load and rejects done when a callback throws, leaving nothing running', async () => {
    const target = await hangingServer();
    let calls = 0;
    const load = startLoad({
      baseUrl: target.url,
      mix: [{ method: 'GET', path: '/me', authenticated: true, weight: 1 }],
      rateRps: 100,
      maxDurationMs: 5000,
      tokenSource: () => {
        if (++calls === 10) throw new Error('ledger broke');
        return 'token';
      },
    });
    await expect(load.done).rejects.toThrow('ledger broke');
    expect(load.result()).toMatchObject({ endReason: 'aborted', cancelled: 9 });
    expect(await waitFor(() => target.openConnections() === 0, 1000)).toBe(true);
    expect(target.received.length).toBeLessThanOrEqual(9);
  });
});
