// POST /populate (validate all, then create/keep/replace in order) and POST /reset (enable all, drop toxics).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Toxiproxy } from 'toxiproxy-node-client';
import { startFaultProxy, PopulateError, type StartedFaultProxy } from '../../src/proxy/index.ts';
import { startEchoServer, type TestServer } from './fixtures/tcp-servers.ts';
import { connectRecording, settlesWithin } from './fixtures/socket-reader.ts';
import { portOf } from './fixtures/proxy-under-test.ts';

let api: StartedFaultProxy;
let client: Toxiproxy;
let echo: TestServer;

beforeEach(async () => {
  api = await startFaultProxy();
  client = new Toxiproxy(api.url);
  echo = await startEchoServer();
});
afterEach(async () => {
  await api.stop();
  await echo.close();
});

const populate = (body: unknown) =>
  fetch(`${api.url}/populate`, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body) });

describe('POST /populate', () => {
  it('creates proxies in order with 201 and {"proxies":[...]}, through the node client too', async () => {
    const response = await populate([
      { name: 'one', listen: '127.0.0.1:0', upstream: `127.0.0.1:${echo.port}` },
      { name: 'two', listen: '127.0.0.1:0', upstream: 'x:1', enabled: false },
    ]);
    expect(response.status).toBe(201);
    expect(response.headers.get('content-type')).toBe('application/json');
    const body = (await response.json()) as { proxies: { name: string; enabled: boolean; toxics: unknown[] }[] };
    expect(body.proxies.map((p) => [p.name, p.enabled, p.toxics])).toEqual([
      ['one', true, []],
      ['two', false, []],
    ]);
    const viaClient = await client.populate([{ name: 'three', listen: '127.0.0.1:0', upstream: 'y:2' }]);
    expect(Object.keys(viaClient)).toEqual(['three']);
  });

  it('answers {"proxies":null} for an empty array, as Toxiproxy does', async () => {
    const response = await populate([]);
    expect(response.status).toBe(201);
    expect(await response.text()).toBe('{"proxies":null}');
  });

  it('validates every entry before creating any (400, 1-based index, JSON error body)', async () => {
    const response = await populate([
      { name: 'ok', listen: '127.0.0.1:0', upstream: 'x:1' },
      { name: 'bad', listen: '127.0.0.1:0' },
    ]);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.text()).toBe(
      '{"error":"missing required field: upstream at proxy 2","status":400,"proxies":null}',
    );
    expect(await (await fetch(`${api.url}/proxies`)).text()).toBe('{}');
    const nameless = await populate([{ upstream: 'x:1' }]);
    expect(((await nameless.json()) as { error: string }).error).toBe('missing required field: name at proxy 1');
    const notArray = await populate({ name: 'x' });
    expect(notArray.status).toBe(400);
    expect(((await notArray.json()) as { error: string }).error).toMatch(/^bad request body: /);
  });

  it('keeps an unchanged proxy untouched (toxics, connections, enabled state) and replaces a changed one', async () => {
    const kept = await client.createProxy({ name: 'kept', listen: '127.0.0.1:0', upstream: `127.0.0.1:${echo.port}` });
    await kept.addToxic({ type: 'latency', attributes: { latency: 1 } } as never);
    const changed = await client.createProxy({
      name: 'changed',
      listen: '127.0.0.1:0',
      upstream: `127.0.0.1:${echo.port}`,
    });
    await changed.addToxic({ type: 'latency', attributes: { latency: 1 } } as never);
    const live = await connectRecording(portOf(kept.listen));
    const doomed = await connectRecording(portOf(changed.listen));
    const response = await populate([
      { name: 'kept', listen: kept.listen, upstream: kept.upstream, enabled: false },
      { name: 'changed', listen: changed.listen, upstream: 'x:1' },
    ]);
    expect(response.status).toBe(201);
    const body = (await response.json()) as { proxies: { name: string; enabled: boolean; toxics: unknown[] }[] };
    expect(body.proxies.map((p) => [p.name, p.enabled, p.toxics.length])).toEqual([
      ['kept', true, 1],
      ['changed', true, 0],
    ]);
    expect(await settlesWithin(doomed.closed, 2000)).toBe(true);
    live.socket.write('still here');
    await live.waitForBytes(10);
    live.socket.destroy();
  });

  it('stops at the first failure with 500, keeping the entries done so far', async () => {
    const blocker = await client.createProxy({ name: 'blocker', listen: '127.0.0.1:0', upstream: 'x:1' });
    const response = await populate([
      { name: 'first', listen: '127.0.0.1:0', upstream: 'x:1' },
      { name: 'clash', listen: blocker.listen, upstream: 'x:1' },
      { name: 'never', listen: '127.0.0.1:0', upstream: 'x:1' },
    ]);
    expect(response.status).toBe(500);
    const body = (await response.json()) as { error: string; status: number; proxies: { name: string }[] };
    expect(body.error).toBe(`listen tcp ${blocker.listen}: bind: address already in use`);
    expect(body.status).toBe(500);
    expect(body.proxies.map((p) => p.name)).toEqual(['first']);
    expect(Object.keys(await client.getAll()).sort()).toEqual(['blocker', 'first']);
  });

  it('startFaultProxy({ populate }) creates proxies at start and refuses a bad list', async () => {
    await using started = await startFaultProxy({
      populate: [{ name: 'boot', listen: '127.0.0.1:0', upstream: 'x:1' }],
    });
    expect((await new Toxiproxy(started.url).get('boot')).enabled).toBe(true);
    await expect(startFaultProxy({ populate: [{ name: 'x' }] })).rejects.toThrow(PopulateError);
  });
});

describe('POST /reset', () => {
  it('enables every proxy, removes all toxics, keeps proxies and live connections; 204 empty', async () => {
    const a = await client.createProxy({ name: 'a', listen: '127.0.0.1:0', upstream: `127.0.0.1:${echo.port}` });
    await client.createProxy({ name: 'b', listen: '127.0.0.1:0', upstream: 'x:1', enabled: false });
    await a.addToxic({ type: 'latency', attributes: { latency: 400 } } as never);
    const live = await connectRecording(portOf(a.listen));
    const response = await fetch(`${api.url}/reset`, { method: 'POST', body: 'ignored' });
    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');
    const all = (await (await fetch(`${api.url}/proxies`)).json()) as Record<
      string,
      { enabled: boolean; toxics: unknown[]; listen: string }
    >;
    expect(all.a).toMatchObject({ enabled: true, toxics: [] });
    expect(all.b?.enabled).toBe(true);
    expect(portOf(all.b?.listen ?? '')).toBeGreaterThan(0);
    const started = performance.now();
    live.socket.write('ping');
    await live.waitForBytes(4);
    expect(performance.now() - started).toBeLessThan(150);
    live.socket.destroy();
    await client.reset();
  });
});
