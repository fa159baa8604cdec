// Changes on open connections: toxics added and removed mid-stream without losing or reordering bytes; disable,
// re-enable, upstream change.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { connect } from 'node:net';
import { once } from 'node:events';
import { startEchoServer, type TestServer } from './fixtures/tcp-servers.ts';
import { connectRecording, settlesWithin, sleep, type RecordingSocket } from './fixtures/socket-reader.ts';
import { portOf, startProxyTo, type ProxyUnderTest } from './fixtures/proxy-under-test.ts';

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

async function client(port = under.port): Promise<RecordingSocket> {
  const c = await connectRecording(port);
  clients.push(c);
  return c;
}

async function roundTripMs(c: RecordingSocket): Promise<number> {
  const expected = c.received().length + 1;
  const started = performance.now();
  c.socket.write('x');
  await c.waitForBytes(expected);
  return performance.now() - started;
}

describe('live toxic changes', () => {
  it('applies a toxic to an open connection at once, and its removal flushes held data at once', async () => {
    const c = await client();
    expect(await roundTripMs(c)).toBeLessThan(60);
    const toxic = await under.proxy.addToxic({ type: 'latency', attributes: { latency: 250 } } as never);
    expect(await roundTripMs(c)).toBeGreaterThan(240);
    const started = performance.now();
    c.socket.write('held');
    await sleep(50);
    await toxic.remove();
    await c.waitForBytes(6);
    expect(performance.now() - started).toBeLessThan(200);
    expect(await roundTripMs(c)).toBeLessThan(60);
  });

  it('restarts a toxic on update with its new attributes', async () => {
    const c = await client();
    const toxic = await under.proxy.addToxic({ type: 'latency', attributes: { latency: 300 } } as never);
    await toxic.update({ attributes: { latency: 100 } } as never);
    const ms = await roundTripMs(c);
    expect(ms).toBeGreaterThan(95);
    expect(ms).toBeLessThan(160);
  });

  it('never loses or reorders bytes while toxics are added and removed mid-stream', async () => {
    const c = await client();
    const totalBytes = 24 * 1024 * 1024;
    const payload = Buffer.alloc(totalBytes);
    for (let i = 0; i < totalBytes; i += 4) payload.writeUInt32LE(i, i);
    let offset = 0;
    const writer = (async () => {
      while (offset < totalBytes) {
        const piece = payload.subarray(offset, offset + 256 * 1024);
        offset += piece.length;
        if (!c.socket.write(piece)) await once(c.socket, 'drain');
      }
    })();
    for (let round = 0; round < 6; round++) {
      const latency = await under.proxy.addToxic({
        type: 'latency',
        name: `l${round}`,
        attributes: { latency: 5 },
      } as never);
      const slicer = await under.proxy.addToxic({
        type: 'slicer',
        name: `s${round}`,
        stream: 'upstream',
        attributes: { average_size: 4096, delay: 0 },
      } as never);
      await sleep(30);
      await latency.remove();
      await sleep(20);
      await slicer.remove();
      await sleep(20);
    }
    await writer;
    await c.waitForBytes(totalBytes, 30_000);
    const digest = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    expect(digest(c.received())).toBe(digest(payload));
  });

  it('applies toxics to connections opened later too, and a noop changes nothing', async () => {
    await under.proxy.addToxic({ type: 'noop', attributes: {} } as never);
    await under.proxy.addToxic({ type: 'latency', stream: 'upstream', attributes: { latency: 150 } } as never);
    const c = await client();
    const ms = await roundTripMs(c);
    expect(ms).toBeGreaterThan(145);
    expect(ms).toBeLessThan(210);
  });
});

describe('proxy changes on open connections', () => {
  it('disable closes live connections and refuses new ones; re-enable serves on the same port', async () => {
    const c = await client();
    await roundTripMs(c);
    const { proxy, port } = under;
    await proxy.update({ enabled: false, listen: proxy.listen, upstream: proxy.upstream });
    expect(await settlesWithin(c.closed, 1000)).toBe(true);
    const refused = connect(port, '127.0.0.1');
    const [error] = (await once(refused, 'error')) as [NodeJS.ErrnoException];
    expect(error.code).toBe('ECONNREFUSED');
    await proxy.update({ enabled: true, listen: proxy.listen, upstream: proxy.upstream });
    const again = await client(port);
    expect(await roundTripMs(again)).toBeLessThan(100);
  });

  it('an update with unchanged values keeps connections; an upstream change drops them', async () => {
    const c = await client();
    await roundTripMs(c);
    const { proxy } = under;
    await proxy.update({ enabled: true, listen: proxy.listen, upstream: proxy.upstream });
    expect(await roundTripMs(c)).toBeLessThan(100);
    const other = await startEchoServer();
    try {
      const moved = await proxy.update({ enabled: true, listen: proxy.listen, upstream: `127.0.0.1:${other.port}` });
      expect(await settlesWithin(c.closed, 1000)).toBe(true);
      expect(portOf(moved.listen)).toBe(under.port);
      const fresh = await client();
      await roundTripMs(fresh);
      expect(other.sockets.length).toBe(1);
      fresh.socket.destroy();
    } finally {
      await other.close();
    }
  });
});
