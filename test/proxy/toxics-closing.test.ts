// Toxics that end connections, observed by real peers: timeout, reset_peer (RST), limit_data, slow_close.
import { afterEach, describe, expect, it } from 'vitest';
import type { Socket } from 'node:net';
import { startEchoServer, startTcpServer, type TestServer } from './fixtures/tcp-servers.ts';
import { connectRecording, settlesWithin, sleep, type RecordingSocket } from './fixtures/socket-reader.ts';
import { startProxyTo, type ProxyUnderTest } from './fixtures/proxy-under-test.ts';

let upstream: TestServer | undefined;
let under: ProxyUnderTest | undefined;
const clients: RecordingSocket[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.socket.destroy();
  await under?.stop();
  await upstream?.close();
  under = undefined;
  upstream = undefined;
});

async function setup(onConnection?: (socket: Socket) => void): Promise<ProxyUnderTest> {
  upstream = onConnection ? await startTcpServer(onConnection) : await startEchoServer();
  under = await startProxyTo(upstream.port);
  return under;
}

async function client(port: number): Promise<RecordingSocket> {
  const c = await connectRecording(port);
  clients.push(c);
  return c;
}

describe('timeout', () => {
  it('drops data, stays open while chunks keep arriving, and closes `timeout` ms after the last one', async () => {
    const { proxy, port } = await setup();
    await proxy.addToxic({ type: 'timeout', stream: 'upstream', attributes: { timeout: 400 } } as never);
    const c = await client(port);
    for (let i = 0; i < 5; i++) {
      c.socket.write('dropped');
      await sleep(200);
      expect(await settlesWithin(c.closed, 0)).toBe(false);
    }
    const lastWrite = performance.now() - 200;
    const { how, atMs } = await c.closed;
    expect(how).toBe('EOF');
    expect(atMs - lastWrite).toBeGreaterThan(400 - 20);
    expect(atMs - lastWrite).toBeLessThan(400 + 150);
    expect(c.received().length).toBe(0);
  });

  it('with timeout 0 hangs with data dropped, and removing it closes the connection', async () => {
    const { proxy, port } = await setup();
    const toxic = await proxy.addToxic({ type: 'timeout', attributes: { timeout: 0 } } as never);
    const c = await client(port);
    c.socket.write('into the void');
    expect(await settlesWithin(c.closed, 600)).toBe(false);
    expect(c.received().length).toBe(0);
    await toxic.remove();
    expect(await settlesWithin(c.closed, 1000)).toBe(true);
    expect(c.received().length).toBe(0);
  });

  it('is also cleared (closing its connections) by /reset', async () => {
    const { proxy, port, client: api } = await setup();
    await proxy.addToxic({ type: 'timeout', attributes: { timeout: 0 } } as never);
    const c = await client(port);
    c.socket.write('dropped');
    await sleep(100);
    await api.reset();
    expect(await settlesWithin(c.closed, 1000)).toBe(true);
  });
});

describe('reset_peer', () => {
  it('resets the client (ECONNRESET) on the first chunk when present at accept time', async () => {
    const { proxy, port } = await setup();
    await proxy.addToxic({ type: 'reset_peer', attributes: { timeout: 0 } } as never);
    const c = await client(port);
    c.socket.write('hello');
    const { how } = await c.closed;
    expect(how).toBe('ECONNRESET');
    expect(c.received().length).toBe(0);
  });

  it('upstream, after `timeout` ms: the server sees a reset too, then the client', async () => {
    const serverErrors: string[] = [];
    const { proxy, port } = await setup((socket) =>
      socket.on('error', (e: NodeJS.ErrnoException) => serverErrors.push(e.code ?? '')),
    );
    await proxy.addToxic({ type: 'reset_peer', stream: 'upstream', attributes: { timeout: 300 } } as never);
    const c = await client(port);
    const started = performance.now();
    c.socket.write('hello');
    const { how, atMs } = await c.closed;
    expect(how).toBe('ECONNRESET');
    expect(atMs - started).toBeGreaterThan(280);
    expect(atMs - started).toBeLessThan(300 + 150);
    await sleep(50);
    expect(serverErrors).toContain('ECONNRESET');
  });

  it('added to an open connection, closes it with a plain FIN (no linger 0 was set), as Toxiproxy', async () => {
    const { proxy, port } = await setup();
    const c = await client(port);
    c.socket.write('a');
    await c.waitForBytes(1);
    await proxy.addToxic({ type: 'reset_peer', attributes: { timeout: 0 } } as never);
    c.socket.write('b');
    const { how } = await c.closed;
    expect(how).toBe('EOF');
  });

  it('leaves an idle connection alone', async () => {
    const { proxy, port } = await setup();
    await proxy.addToxic({ type: 'reset_peer', attributes: { timeout: 0 } } as never);
    const c = await client(port);
    expect(await settlesWithin(c.closed, 300)).toBe(false);
  });
});

describe('limit_data', () => {
  it('lets exactly `bytes` bytes through, then closes', async () => {
    const { proxy, port } = await setup();
    await proxy.addToxic({ type: 'limit_data', attributes: { bytes: 50 } } as never);
    const c = await client(port);
    c.socket.write(Buffer.alloc(30, 1));
    await c.waitForBytes(30);
    c.socket.write(Buffer.alloc(70, 2));
    const { how } = await c.closed;
    expect(how).toBe('EOF');
    expect(c.received().length).toBe(50);
    expect(c.received().subarray(30).equals(Buffer.alloc(20, 2))).toBe(true);
  });

  it('counts per link and keeps the count when the toxic is raised', async () => {
    const { proxy, port } = await setup();
    const toxic = await proxy.addToxic({ type: 'limit_data', attributes: { bytes: 10 } } as never);
    const c = await client(port);
    c.socket.write(Buffer.alloc(6, 1));
    await c.waitForBytes(6);
    await toxic.update({ attributes: { bytes: 12 } } as never);
    c.socket.write(Buffer.alloc(20, 2));
    await c.closed;
    expect(c.received().length).toBe(12);
    const fresh = await client(port);
    fresh.socket.write(Buffer.alloc(20, 3));
    await fresh.closed;
    expect(fresh.received().length).toBe(12);
  });

  it('with bytes 0 closes on the first chunk and passes nothing', async () => {
    const { proxy, port } = await setup();
    await proxy.addToxic({ type: 'limit_data', attributes: { bytes: 0 } } as never);
    const c = await client(port);
    expect(await settlesWithin(c.closed, 200)).toBe(false);
    c.socket.write('x');
    await c.closed;
    expect(c.received().length).toBe(0);
  });
});

describe('slow_close', () => {
  it('delivers data at once and holds the server close for `delay` ms', async () => {
    const { proxy, port } = await setup((socket) => socket.end('goodbye'));
    await proxy.addToxic({ type: 'slow_close', attributes: { delay: 700 } } as never);
    const started = performance.now();
    const c = await client(port);
    await c.waitForBytes(7);
    expect(performance.now() - started).toBeLessThan(150);
    const { how, atMs } = await c.closed;
    expect(how).toBe('EOF');
    expect(atMs - started).toBeGreaterThan(680);
    expect(atMs - started).toBeLessThan(700 + 150);
    expect(c.received().toString()).toBe('goodbye');
  });

  it('without the toxic the same close arrives at once', async () => {
    const { port } = await setup((socket) => socket.end('goodbye'));
    const started = performance.now();
    const c = await client(port);
    const { atMs } = await c.closed;
    expect(atMs - started).toBeLessThan(150);
  });
});

describe('close propagation through a chain', () => {
  it('delivers data a latency toxic holds before passing on the server close', async () => {
    const { proxy, port } = await setup((socket) => socket.end('bye'));
    await proxy.addToxic({ type: 'latency', attributes: { latency: 200 } } as never);
    const started = performance.now();
    const c = await client(port);
    const { how, atMs } = await c.closed;
    expect(how).toBe('EOF');
    expect(c.received().toString()).toBe('bye');
    expect(c.arrivals[0]!.atMs - started).toBeGreaterThan(190);
    expect(atMs).toBeGreaterThanOrEqual(c.arrivals[0]!.atMs);
  });
});
