// Both sockets are read into reused buffers: bytes written late (backpressure) or held by a toxic keep their contents.
import { afterEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { once } from 'node:events';
import { startTcpServer, type TestServer } from './fixtures/tcp-servers.ts';
import { startProxyTo, type ProxyUnderTest } from './fixtures/proxy-under-test.ts';
import { sleep } from './fixtures/socket-reader.ts';

const totalBytes = 24 * 1024 * 1024;
const payload = Buffer.alloc(totalBytes);
for (let i = 0; i < totalBytes; i += 4) payload.writeUInt32LE((i * 2654435761) >>> 0, i);
const digest = (b: Buffer | ReturnType<typeof createHash>): string =>
  (Buffer.isBuffer(b) ? createHash('sha256').update(b) : b).digest('hex');
const sizes = [1, 7, 100, 1500, 16_384, 65_536, 200_000];

let upstream: TestServer;
let under: ProxyUnderTest;
afterEach(async () => {
  await under.stop();
  await upstream.close();
});

/** Upstream writes the payload in pieces of many sizes, as fast as its socket takes them. */
async function startSender(): Promise<void> {
  upstream = await startTcpServer((socket: Socket) => {
    let offset = 0;
    let turn = 0;
    const pump = (): void => {
      while (offset < totalBytes) {
        const piece = payload.subarray(offset, offset + (sizes[turn++ % sizes.length] as number));
        offset += piece.length;
        if (!socket.write(piece)) return void socket.once('drain', pump);
      }
      socket.end();
    };
    pump();
  });
  under = await startProxyTo(upstream.port);
}

/** Reads everything, pausing now and then so the proxy's writes to it stay incomplete. */
async function receive(port: number): Promise<{ bytes: number; hash: string }> {
  const socket = connect(port, '127.0.0.1');
  const hash = createHash('sha256');
  let bytes = 0;
  let chunks = 0;
  socket.on('data', (data: Buffer) => {
    hash.update(data);
    bytes += data.length;
    if (++chunks % 40 === 0) {
      socket.pause();
      setTimeout(() => socket.resume(), 5);
    }
  });
  await once(socket, 'close');
  return { bytes, hash: digest(hash) };
}

describe('reused read buffers', () => {
  it('small replies written while the client does not read keep their bytes (the buffer is given away, not overwritten)', async () => {
    // Pieces of 1 KiB, one per event-loop turn, so the proxy reads them one by one (well under the sink's 16 KiB
    // high-water mark: an incomplete write still returns true and reading goes on); the client reads nothing for
    // 300 ms, so the kernel buffers fill and the proxy's writes stay incomplete.
    const trickleBytes = 12 * 1024 * 1024;
    upstream = await startTcpServer((socket: Socket) => {
      let offset = 0;
      const next = (): void => {
        if (offset >= trickleBytes) return void socket.end();
        const piece = payload.subarray(offset, offset + 1024);
        offset += piece.length;
        if (socket.write(piece)) setImmediate(next);
        else socket.once('drain', next);
      };
      next();
    });
    under = await startProxyTo(upstream.port);
    const socket = connect(under.port, '127.0.0.1');
    socket.pause();
    await sleep(300);
    const hash = createHash('sha256');
    let bytes = 0;
    socket.on('data', (data: Buffer) => {
      hash.update(data);
      bytes += data.length;
    });
    socket.resume();
    await once(socket, 'close');
    expect({ bytes, hash: digest(hash) }).toEqual({
      bytes: trickleBytes,
      hash: digest(payload.subarray(0, trickleBytes)),
    });
  });

  it('small requests written while the upstream does not read keep their bytes (client side, same rule)', async () => {
    const trickleBytes = 12 * 1024 * 1024;
    let resolveReceived: (result: { bytes: number; hash: string }) => void = () => {};
    const received = new Promise<{ bytes: number; hash: string }>((resolve) => (resolveReceived = resolve));
    upstream = await startTcpServer((socket: Socket) => {
      socket.pause();
      const hash = createHash('sha256');
      let bytes = 0;
      socket.on('data', (data: Buffer) => {
        hash.update(data);
        bytes += data.length;
        if (bytes === trickleBytes) resolveReceived({ bytes, hash: digest(hash) });
      });
      setTimeout(() => socket.resume(), 300);
    });
    under = await startProxyTo(upstream.port);
    const socket = connect(under.port, '127.0.0.1');
    await once(socket, 'connect');
    let offset = 0;
    const next = (): void => {
      if (offset >= trickleBytes) return;
      const piece = payload.subarray(offset, offset + 1024);
      offset += piece.length;
      if (socket.write(piece)) setImmediate(next);
      else socket.once('drain', next);
    };
    next();
    expect(await received).toEqual({ bytes: trickleBytes, hash: digest(payload.subarray(0, trickleBytes)) });
    socket.destroy();
  });

  it('a slow client gets every byte of a large reply stream, in order', async () => {
    await startSender();
    const results = await Promise.all([receive(under.port), receive(under.port), receive(under.port)]);
    for (const result of results) expect(result).toEqual({ bytes: totalBytes, hash: digest(payload) });
  });

  it('bytes held by a toxic added and removed mid-stream are not overwritten by later reads', async () => {
    await startSender();
    const received = receive(under.port);
    for (let round = 0; round < 4; round++) {
      const latency = await under.proxy.addToxic({
        type: 'latency',
        name: `l${round}`,
        attributes: { latency: 5 },
      } as never);
      await sleep(20);
      await latency.remove();
      await sleep(10);
    }
    expect(await received).toEqual({ bytes: totalBytes, hash: digest(payload) });
  });
});
