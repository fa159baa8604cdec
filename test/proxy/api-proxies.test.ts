// The /proxies endpoints through toxiproxy-node-client and raw fetch: shapes, status codes, errors, listen handling.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connect } from 'node:net';
import { once } from 'node:events';
import { Toxiproxy } from 'toxiproxy-node-client';
import { startFaultProxy, type StartedFaultProxy } from '../../src/proxy/index.ts';
import { freePort, startEchoServer, type TestServer } from './fixtures/tcp-servers.ts';
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

const post = (path: string, body: unknown, method = 'POST') =>
  fetch(`${api.url}${path}`, { method, body: typeof body === 'string' ? body : JSON.stringify(body) });

async function connects(port: number): Promise<boolean> {
  const socket = connect(port, '127.0.0.1');
  try {
    await once(socket, 'connect');
    return true;
  } catch {
    return false;
  } finally {
    socket.destroy();
  }
}

describe('POST /proxies', () => {
  it('creates a proxy with 201, resolves port 0 and localhost, and answers in Toxiproxy key order', async () => {
    const response = await post('/proxies', {
      name: 'redis',
      listen: 'localhost:0',
      upstream: `127.0.0.1:${echo.port}`,
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('x-toxiproxy-request-id')).toMatch(/^[0-9a-v]{20}$/);
    const text = await response.text();
    expect(text).toMatch(
      /^\{"name":"redis","listen":"127\.0\.0\.1:\d+","upstream":"127\.0\.0\.1:\d+","enabled":true,"Logger":\{\},"toxics":\[\]\}$/,
    );
    const listen = (JSON.parse(text) as { listen: string }).listen;
    expect(portOf(listen)).toBeGreaterThan(0);
    expect(await connects(portOf(listen))).toBe(true);
  });

  it('works through toxiproxy-node-client, including 409 for a duplicate name', async () => {
    const proxy = await client.createProxy({ name: 'a', listen: '127.0.0.1:0', upstream: `127.0.0.1:${echo.port}` });
    expect(proxy.enabled).toBe(true);
    expect(proxy.upstream).toBe(`127.0.0.1:${echo.port}`);
    await expect(client.createProxy({ name: 'a', listen: '127.0.0.1:0', upstream: 'x:1' })).rejects.toThrow(
      'Request failed with status code 409',
    );
    const duplicate = await post('/proxies', { name: 'a', upstream: 'x:1', listen: '127.0.0.1:0' });
    expect(await duplicate.text()).toBe('{"error":"proxy already exists","status":409}\n');
    expect(duplicate.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(duplicate.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('answers 400 with Toxiproxy messages for missing fields and bad bodies', async () => {
    const cases: [unknown, string][] = [
      [{ upstream: 'x:1' }, 'missing required field: name'],
      [{ name: 'n' }, 'missing required field: upstream'],
      ['null', 'missing required field: name'],
      ['', 'bad request body: EOF'],
      ['{"name": 5}', 'bad request body: json: cannot unmarshal number into Go struct field Proxy.name of type string'],
      [
        '{"name":"n","upstream":"x:1","enabled":"yes"}',
        'bad request body: json: cannot unmarshal string into Go struct field Proxy.enabled of type bool',
      ],
    ];
    for (const [body, message] of cases) {
      const response = await post('/proxies', body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(await response.json()).toEqual({ error: message, status: 400 });
    }
    expect((await post('/proxies', 'nonsense')).status).toBe(400);
  });

  it('keeps a fixed listen address, accepts keys in any case and ignores trailing garbage', async () => {
    const port = await freePort();
    const response = await post(
      '/proxies',
      `{"NAME":"c","Listen":"127.0.0.1:${port}","UpStream":"127.0.0.1:${echo.port}"} trailing`,
    );
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ name: 'c', listen: `127.0.0.1:${port}`, enabled: true });
  });

  it('answers 500 with the Go error when the listen port is taken, and creates nothing', async () => {
    const taken = await client.createProxy({ name: 'first', listen: '127.0.0.1:0', upstream: 'x:1' });
    const response = await post('/proxies', { name: 'second', listen: taken.listen, upstream: 'x:1' });
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({
      error: `listen tcp ${taken.listen}: bind: address already in use`,
      status: 500,
    });
    expect((await fetch(`${api.url}/proxies/second`)).status).toBe(404);
    const noPort = await post('/proxies', { name: 'third', listen: 'bogus', upstream: 'x:1' });
    expect(await noPort.json()).toEqual({ error: 'listen tcp: address bogus: missing port in address', status: 500 });
  });

  it('creates a disabled proxy without listening and reports listen as given', async () => {
    const response = await post('/proxies', { name: 'off', listen: '127.0.0.1:0', upstream: 'x:1', enabled: false });
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ listen: '127.0.0.1:0', enabled: false });
  });
});

describe('GET /proxies and /proxies/{proxy}', () => {
  it('lists proxies as an object sorted by name, {} when empty', async () => {
    expect(await (await fetch(`${api.url}/proxies`)).text()).toBe('{}');
    await client.createProxy({ name: 'b', listen: '127.0.0.1:0', upstream: 'x:1' });
    await client.createProxy({ name: 'a', listen: '127.0.0.1:0', upstream: 'y:2' });
    const text = await (await fetch(`${api.url}/proxies`)).text();
    expect(Object.keys(JSON.parse(text) as object)).toEqual(['a', 'b']);
    const all = await client.getAll();
    expect(Object.keys(all).sort()).toEqual(['a', 'b']);
    expect(all.a?.upstream).toBe('y:2');
    expect((await client.get('b')).upstream).toBe('x:1');
  });

  it('answers 404 proxy not found for an unknown name, on every proxy route', async () => {
    for (const [method, path] of [
      ['GET', '/proxies/nope'],
      ['POST', '/proxies/nope'],
      ['PATCH', '/proxies/nope'],
      ['DELETE', '/proxies/nope'],
      ['GET', '/proxies/nope/toxics'],
      ['POST', '/proxies/nope/toxics'],
      ['GET', '/proxies/nope/toxics/t'],
      ['DELETE', '/proxies/nope/toxics/t'],
    ] as const) {
      const response = await fetch(`${api.url}${path}`, {
        method,
        body: method === 'GET' || method === 'DELETE' ? undefined : '{}',
      });
      expect(response.status, `${method} ${path}`).toBe(404);
      expect(await response.text()).toBe('{"error":"proxy not found","status":404}\n');
    }
    await expect(client.get('nope')).rejects.toThrow('Request failed with status code 404');
  });

  it('addresses names with URL-encoded characters', async () => {
    await client.createProxy({ name: 'with space', listen: '127.0.0.1:0', upstream: 'x:1' });
    expect((await fetch(`${api.url}/proxies/with%20space`)).status).toBe(200);
  });
});

describe('POST|PATCH /proxies/{proxy}', () => {
  it('disables (listener closed, refused) and re-enables on the same port', async () => {
    const proxy = await client.createProxy({ name: 'p', listen: '127.0.0.1:0', upstream: `127.0.0.1:${echo.port}` });
    const port = portOf(proxy.listen);
    const disabled = await proxy.update({ enabled: false, listen: proxy.listen, upstream: proxy.upstream });
    expect(disabled.enabled).toBe(false);
    expect(await connects(port)).toBe(false);
    const response = await post('/proxies/p', { enabled: true }, 'PATCH');
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ enabled: true, listen: proxy.listen });
    expect(await connects(port)).toBe(true);
  });

  it('moves to a new random port on listen 127.0.0.1:0 and keeps the port on an upstream change', async () => {
    const proxy = await client.createProxy({ name: 'p', listen: '127.0.0.1:0', upstream: 'x:1' });
    const moved = (await (await post('/proxies/p', { listen: '127.0.0.1:0' })).json()) as { listen: string };
    expect(moved.listen).not.toBe(proxy.listen);
    const changed = (await (await post('/proxies/p', { upstream: `127.0.0.1:${echo.port}` })).json()) as {
      listen: string;
      upstream: string;
    };
    expect(changed).toMatchObject({ listen: moved.listen, upstream: `127.0.0.1:${echo.port}` });
    expect(await connects(portOf(moved.listen))).toBe(true);
  });

  it('ignores name, answers 400 for a bad body and 500 for an unresolvable listen', async () => {
    await client.createProxy({ name: 'p', listen: '127.0.0.1:0', upstream: 'x:1' });
    expect(await (await post('/proxies/p', { name: 'renamed' })).json()).toMatchObject({ name: 'p' });
    expect((await post('/proxies/p', '{"enabled":1}')).status).toBe(400);
    const bad = await post('/proxies/p', { listen: 'abc' });
    expect(await bad.json()).toEqual({ error: 'address abc: missing port in address', status: 500 });
  });
});

describe('DELETE /proxies/{proxy}', () => {
  it('answers 204 with an empty body, frees the port, and closes live connections', async () => {
    const proxy = await client.createProxy({ name: 'p', listen: '127.0.0.1:0', upstream: `127.0.0.1:${echo.port}` });
    const socket = connect(portOf(proxy.listen), '127.0.0.1');
    socket.on('error', () => {});
    await once(socket, 'connect');
    socket.write('x');
    await once(socket, 'data');
    const closed = once(socket, 'close');
    const response = await fetch(`${api.url}/proxies/p`, { method: 'DELETE' });
    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');
    expect(response.headers.get('content-type')).toBeNull();
    await closed;
    expect(await connects(portOf(proxy.listen))).toBe(false);
    await expect(proxy.remove()).rejects.toThrow('404');
  });
});
