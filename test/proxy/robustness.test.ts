// Many connections and misbehaving peers: 1,000 concurrent clients, half-close, vanishing peers, upstream down.
import { afterEach, describe, expect, it } from 'vitest';
import { connect, type Socket } from 'node:net';
import { once } from 'node:events';
import { freePort, startEchoServer, startTcpServer, type TestServer } from './fixtures/tcp-servers.ts';
import { connectRecording, settlesWithin, sleep } from './fixtures/socket-reader.ts';
import { startProxyTo, type ProxyUnderTest } from './fixtures/proxy-under-test.ts';

let upstream: TestServer | undefined;
let under: ProxyUnderTest | undefined;
const sockets: Socket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await under?.stop();
  await upstream?.close();
  under = undefined;
  upstream = undefined;
});

/** Resolves when every socket the upstream server accepted has closed. */
async function allUpstreamClosed(server: TestServer, withinMs: number): Promise<boolean> {
  const deadline = performance.now() + withinMs;
  while (performance.now() < deadline) {
    if (server.sockets.every((s) => s.destroyed)) return true;
    await sleep(20);
  }
  return false;
}

describe('robustness', () => {
  it('carries 1,000 concurrent connections through one proxy, each byte to its own client', async () => {
    upstream = await startEchoServer();
    under = await startProxyTo(upstream.port);
    const count = 1000;
    const results = await Promise.all(
      Array.from({ length: count }, async (_, i) => {
        const socket = connect({ port: under!.port, host: '127.0.0.1' });
        sockets.push(socket);
        socket.on('error', () => {});
        await once(socket, 'connect');
        const message = `client-${i}-`.repeat(10);
        let received = '';
        const done = new Promise<void>((resolve) => {
          socket.on('data', (data: Buffer) => {
            received += data.toString();
            if (received.length >= message.length) resolve();
          });
          socket.on('close', () => resolve()); // a dropped connection shows up as a wrong count, not a hang
        });
        socket.write(message);
        await done;
        return received === message;
      }),
    );
    expect(results.filter(Boolean).length).toBe(count);
    expect(upstream.sockets.length).toBe(count);
    for (const socket of sockets) socket.end();
    expect(await allUpstreamClosed(upstream, 10_000)).toBe(true);
  });

  it('closes the whole connection when a client half-closes (Toxiproxy does not carry half-close)', async () => {
    let upstreamGot = '';
    let upstreamEnded!: () => void;
    const ended = new Promise<void>((resolve) => (upstreamEnded = resolve));
    upstream = await startTcpServer(
      (socket) => {
        socket.on('data', (data: Buffer) => (upstreamGot += data.toString()));
        socket.on('end', upstreamEnded);
      },
      { allowHalfOpen: true },
    );
    under = await startProxyTo(upstream.port);
    const c = await connectRecording(under.port);
    sockets.push(c.socket);
    c.socket.end('last words');
    expect(await settlesWithin(c.closed, 2000)).toBe(true);
    expect(await settlesWithin(ended, 2000)).toBe(true);
    expect(upstreamGot).toBe('last words');
  });

  it('cleans up when the client vanishes mid-stream (RST) and when the upstream vanishes', async () => {
    upstream = await startEchoServer();
    under = await startProxyTo(upstream.port);
    const a = await connectRecording(under.port);
    a.socket.write(Buffer.alloc(1024 * 1024, 1));
    await a.waitForBytes(1);
    a.socket.resetAndDestroy();
    expect(await allUpstreamClosed(upstream, 2000)).toBe(true);

    const b = await connectRecording(under.port);
    sockets.push(b.socket);
    b.socket.write('x');
    await b.waitForBytes(1);
    upstream.sockets.at(-1)?.destroy();
    expect(await settlesWithin(b.closed, 2000)).toBe(true);
  });

  it('accepts and then closes the client when the upstream is down', async () => {
    under = await startProxyTo(await freePort());
    const c = await connectRecording(under.port);
    sockets.push(c.socket);
    const { how } = await c.closed;
    expect(how).toBe('EOF');
    expect(c.received().length).toBe(0);
  });

  it('stop() closes every live connection and the API', async () => {
    upstream = await startEchoServer();
    under = await startProxyTo(upstream.port);
    const clients = await Promise.all(Array.from({ length: 20 }, () => connectRecording(under!.port)));
    for (const c of clients) c.socket.write('x');
    await Promise.all(clients.map((c) => c.waitForBytes(1)));
    await under.stop();
    expect(await settlesWithin(Promise.all(clients.map((c) => c.closed)), 2000)).toBe(true);
    expect(await allUpstreamClosed(upstream, 2000)).toBe(true);
  });
});
