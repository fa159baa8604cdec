// HTTP-level behaviour of the API: /version, routing (404/405), the browser block (403), content types, request ids.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Toxiproxy } from 'toxiproxy-node-client';
import { startFaultProxy, toxiproxyVersion, type StartedFaultProxy } from '../../src/proxy/index.ts';

let api: StartedFaultProxy;

beforeEach(async () => {
  api = await startFaultProxy();
});
afterEach(() => api.stop());

describe('the API transport', () => {
  it('GET /version answers Toxiproxy 2.12.0 in its exact format', async () => {
    const response = await fetch(`${api.url}/version`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json;charset=utf-8');
    expect(await response.text()).toBe(`{"version": "${toxiproxyVersion}"}\n`);
    expect(toxiproxyVersion).toBe('2.12.0');
    expect(await new Toxiproxy(api.url).getVersion()).toBe('{"version": "2.12.0"}\n');
  });

  it('answers 404 text for unknown paths and trailing slashes, without a request id', async () => {
    for (const path of ['/nope', '/proxies/', '/proxies/a/b/c/d', '/metrics']) {
      const response = await fetch(`${api.url}${path}`);
      expect(response.status, path).toBe(404);
      expect(await response.text()).toBe('404 page not found\n');
      expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      expect(response.headers.get('x-toxiproxy-request-id')).toBeNull();
    }
  });

  it('answers 405 with an empty body for a known path with another method', async () => {
    for (const [method, path] of [
      ['PUT', '/proxies'],
      ['HEAD', '/proxies'],
      ['DELETE', '/reset'],
      ['GET', '/reset'],
      ['GET', '/populate'],
      ['POST', '/version'],
      ['PUT', '/proxies/x'],
      ['PATCH', '/proxies/x/toxics'],
      ['PUT', '/proxies/x/toxics/y'],
    ]) {
      const response = await fetch(`${api.url}${path}`, { method });
      expect(response.status, `${method} ${path}`).toBe(405);
      expect(await response.text()).toBe('');
    }
  });

  it('refuses browsers (User-Agent Mozilla/...) with 403 on routed requests', async () => {
    const headers = { 'User-Agent': 'Mozilla/5.0 (X11; Linux x86_64)' };
    const response = await fetch(`${api.url}/proxies`, { headers });
    expect(response.status).toBe(403);
    expect(await response.text()).toBe('User agent not allowed\n');
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect((await fetch(`${api.url}/nope`, { headers })).status).toBe(404);
    expect((await fetch(`${api.url}/proxies`, { headers: { 'User-Agent': 'toxiproxy-cli' } })).status).toBe(200);
  });

  it('gives each routed request a fresh 20-character request id', async () => {
    const a = (await fetch(`${api.url}/proxies`)).headers.get('x-toxiproxy-request-id');
    const b = (await fetch(`${api.url}/version`)).headers.get('x-toxiproxy-request-id');
    expect(a).toMatch(/^[0-9a-v]{20}$/);
    expect(b).toMatch(/^[0-9a-v]{20}$/);
    expect(a).not.toBe(b);
  });

  it('stop() is idempotent and frees the API port', async () => {
    await api.stop();
    await api.stop();
    await expect(fetch(`${api.url}/version`)).rejects.toMatchObject({
      message: 'fetch failed',
      cause: { code: 'ECONNREFUSED' },
    }); // the port is closed
  });

  it('honours await using', async () => {
    let url: string;
    {
      await using scoped = await startFaultProxy();
      url = scoped.url;
      expect((await fetch(`${url}/version`)).status).toBe(200);
    }
    await expect(fetch(`${url}/version`)).rejects.toMatchObject({
      message: 'fetch failed',
      cause: { code: 'ECONNREFUSED' },
    }); // the port is closed
  });
});
