// Timing toxics measured on real bytes through an echo server: latency, jitter, pipelining, toxicity, bandwidth,
// slicer.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEchoServer, type TestServer } from './fixtures/tcp-servers.ts';
import { connectRecording, sleep, type RecordingSocket } from './fixtures/socket-reader.ts';
import { startProxyTo, type ProxyUnderTest } from './fixtures/proxy-under-test.ts';

let echo: TestServer;
let under: ProxyUnderTest;
const clients: RecordingSocket[] = [];

beforeEach(async () => {
  echo = await startEchoServer();
  under = await startProxyTo(echo.port);
});
afterEach(async () => {
  for (const client of clients.splice(0)) client.socket.destroy();
  await under.stop();
  await echo.close();
});

async function client(): Promise<RecordingSocket> {
  const c = await connectRecording(under.port);
  clients.push(c);
  return c;
}

/** Round trip of `bytes` bytes through proxy and echo, in ms. */
async function roundTripMs(c: RecordingSocket, bytes = 4): Promise<number> {
  const expected = c.received().length + bytes;
  const started = performance.now();
  c.socket.write(Buffer.alloc(bytes, 97));
  await c.waitForBytes(expected);
  return performance.now() - started;
}

const addToxic = (body: object) => under.proxy.addToxic(body as never);

describe('latency', () => {
  it('adds its delay to each direction, composes in chain order, and is gone once removed', async () => {
    const c = await client();
    expect(await roundTripMs(c)).toBeLessThan(60);
    const down = await addToxic({ type: 'latency', attributes: { latency: 200 } });
    const withDown = await roundTripMs(c);
    expect(withDown).toBeGreaterThanOrEqual(195);
    expect(withDown).toBeLessThan(260);
    await addToxic({ type: 'latency', stream: 'upstream', attributes: { latency: 100 } });
    await addToxic({ type: 'latency', name: 'second', attributes: { latency: 100 } });
    const composed = await roundTripMs(c);
    expect(composed).toBeGreaterThanOrEqual(395);
    expect(composed).toBeLessThan(460);
    await down.remove();
    await under.client.reset();
    expect(await roundTripMs(c)).toBeLessThan(60);
  });

  it('draws jitter per chunk within [latency - jitter, latency + jitter)', async () => {
    await addToxic({ type: 'latency', attributes: { latency: 100, jitter: 50 } });
    const c = await client();
    const samples: number[] = [];
    for (let i = 0; i < 16; i++) samples.push(await roundTripMs(c));
    expect(Math.min(...samples)).toBeGreaterThanOrEqual(49);
    expect(Math.max(...samples)).toBeLessThan(150 + 60);
    expect(Math.max(...samples) - Math.min(...samples)).toBeGreaterThan(20);
  });

  it('is pipelined: chunks written 60 ms apart are each shifted by the latency, not delayed cumulatively', async () => {
    await addToxic({ type: 'latency', attributes: { latency: 300 } });
    const c = await client();
    const started = performance.now();
    for (let i = 0; i < 5; i++) {
      c.socket.write('x');
      await sleep(60);
    }
    await c.waitForBytes(5);
    const lastMs = performance.now() - started;
    expect(lastMs).toBeGreaterThan(300 + 4 * 60 - 20);
    expect(lastMs).toBeLessThan(300 + 4 * 60 + 150);
    expect(c.arrivals.length).toBeGreaterThanOrEqual(4);
  });

  it('has no effect at toxicity 0', async () => {
    await addToxic({ type: 'latency', toxicity: 0, attributes: { latency: 1000 } });
    await addToxic({ type: 'timeout', toxicity: 0, stream: 'upstream', attributes: { timeout: 0 } });
    const c = await client();
    expect(await roundTripMs(c)).toBeLessThan(100);
  });
});

describe('toxicity', () => {
  it('is drawn per link: at 0.5 some connections get the toxic and others do not', async () => {
    await addToxic({ type: 'latency', toxicity: 0.5, attributes: { latency: 300 } });
    const connections = await Promise.all(Array.from({ length: 30 }, () => client()));
    const times = await Promise.all(connections.map((c) => roundTripMs(c)));
    const delayed = times.filter((ms) => ms >= 290).length;
    const fast = times.filter((ms) => ms < 150).length;
    expect(delayed + fast).toBe(30);
    // Binomial(30, 0.5): outside 4..26 has probability below 1e-5.
    expect(delayed).toBeGreaterThanOrEqual(4);
    expect(delayed).toBeLessThanOrEqual(26);
  });
});

describe('bandwidth', () => {
  it('caps the rate at `rate` KB/s (1 KB = 1000 bytes)', async () => {
    await addToxic({ type: 'bandwidth', attributes: { rate: 100 } });
    const c = await client();
    const started = performance.now();
    c.socket.write(Buffer.alloc(50_000, 1));
    await c.waitForBytes(50_000);
    const elapsedMs = performance.now() - started;
    // 50 000 bytes at 100 000 B/s = 500 ms.
    expect(elapsedMs).toBeGreaterThan(440);
    expect(elapsedMs).toBeLessThan(500 + 150);
    // Pieces of at most 100 ms worth (10 000 bytes) arrive spread over the interval.
    expect(Math.max(...c.arrivals.map((a) => a.bytes))).toBeLessThanOrEqual(10_000);
  });

  it('does not touch the other direction', async () => {
    await addToxic({ type: 'bandwidth', stream: 'upstream', attributes: { rate: 1000 } });
    const c = await client();
    const started = performance.now();
    c.socket.write(Buffer.alloc(200_000, 2));
    await c.waitForBytes(200_000);
    const elapsedMs = performance.now() - started;
    expect(elapsedMs).toBeGreaterThan(180);
    expect(elapsedMs).toBeLessThan(200 + 120);
  });

  it('stalls at rate 0 and delivers everything once removed (Toxiproxy behaviour)', async () => {
    const toxic = await addToxic({ type: 'bandwidth', attributes: { rate: 0 } });
    const c = await client();
    c.socket.write('stalled');
    await sleep(300);
    expect(c.received().length).toBe(0);
    await toxic.remove();
    await c.waitForBytes(7, 2000);
    expect(c.received().toString()).toBe('stalled');
  });
});

describe('slicer', () => {
  it('cuts chunks into pieces of at most average_size + size_variation, `delay` microseconds apart, losing nothing', async () => {
    await addToxic({ type: 'slicer', attributes: { average_size: 10, size_variation: 0, delay: 20_000 } });
    const c = await client();
    const payload = Buffer.from(Array.from({ length: 100 }, (_, i) => i));
    const started = performance.now();
    c.socket.write(payload);
    await c.waitForBytes(100);
    const elapsedMs = performance.now() - started;
    expect(c.received().equals(payload)).toBe(true);
    expect(Math.max(...c.arrivals.map((a) => a.bytes))).toBeLessThanOrEqual(10);
    expect(c.arrivals.length).toBeGreaterThanOrEqual(8);
    // Pieces are 20 ms apart, so the whole takes at least (pieces - 1) * 20 ms.
    expect(elapsedMs).toBeGreaterThan((c.arrivals.length - 1) * 20 * 0.8);
  });

  it('with size_variation, pieces stay within average_size + size_variation', async () => {
    await addToxic({ type: 'slicer', attributes: { average_size: 50, size_variation: 20, delay: 2_000 } });
    const c = await client();
    const payload = Buffer.alloc(2_000, 7);
    c.socket.write(payload);
    await c.waitForBytes(2_000);
    expect(Math.max(...c.arrivals.map((a) => a.bytes))).toBeLessThanOrEqual(70);
    expect(c.received().equals(payload)).toBe(true);
  });
});
