// The toxic endpoints: defaults, zero-filled attributes, merge on update, ordering, errors and our two 400 guards.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Toxiproxy, type Proxy } from 'toxiproxy-node-client';
import { startFaultProxy, type StartedFaultProxy } from '../../src/proxy/index.ts';

let api: StartedFaultProxy;
let client: Toxiproxy;
let proxy: Proxy;

beforeEach(async () => {
  api = await startFaultProxy();
  client = new Toxiproxy(api.url);
  proxy = await client.createProxy({ name: 'p', listen: '127.0.0.1:0', upstream: 'localhost:6379' });
});
afterEach(() => api.stop());

const send = (path: string, body: unknown, method = 'POST') =>
  fetch(`${api.url}${path}`, { method, body: typeof body === 'string' ? body : JSON.stringify(body) });

describe('POST /proxies/{proxy}/toxics', () => {
  it('creates with 200, default name, stream downstream and toxicity 1, in Toxiproxy key order', async () => {
    const response = await send('/proxies/p/toxics', { type: 'latency', attributes: { latency: 1000, jitter: 100 } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.text()).toBe(
      '{"attributes":{"latency":1000,"jitter":100},"name":"latency_downstream","type":"latency","stream":"downstream","toxicity":1}',
    );
  });

  it('zero-fills the attributes of every type', async () => {
    const expected: Record<string, object> = {
      latency: { latency: 0, jitter: 0 },
      bandwidth: { rate: 0 },
      slow_close: { delay: 0 },
      timeout: { timeout: 0 },
      reset_peer: { timeout: 0 },
      limit_data: { bytes: 0 },
      noop: {},
    };
    for (const [type, attributes] of Object.entries(expected)) {
      const toxic = await proxy.addToxic({ type, attributes: {} } as never);
      expect(toxic.attributes, type).toEqual(attributes);
    }
    const slicer = await send('/proxies/p/toxics', { type: 'slicer', attributes: { average_size: 5 } });
    expect(await slicer.json()).toMatchObject({ attributes: { average_size: 5, size_variation: 0, delay: 0 } });
  });

  it('echoes the stream as sent, accepts any-case keys, keeps explicit toxicity 0 and float32 toxicity', async () => {
    const upper = await send('/proxies/p/toxics', {
      Type: 'bandwidth',
      STREAM: 'UPSTREAM',
      Attributes: { Rate: 100 },
      toxicity: 0,
    });
    expect(await upper.json()).toEqual({
      attributes: { rate: 100 },
      name: 'bandwidth_UPSTREAM',
      type: 'bandwidth',
      stream: 'UPSTREAM',
      toxicity: 0,
    });
    const third = await send('/proxies/p/toxics', { type: 'noop', name: 'n', toxicity: 0.3 });
    expect(await third.text()).toContain('"toxicity":0.3}');
  });

  it('answers Toxiproxy errors: bad stream, bad type, down, duplicate name across streams, bad attributes', async () => {
    const expectError = async (body: unknown, status: number, message: string) => {
      const response = await send('/proxies/p/toxics', body);
      expect(response.status, JSON.stringify(body)).toBe(status);
      expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      expect(await response.json()).toEqual({ error: message, status });
    };
    await expectError(
      { type: 'latency', stream: 'sideways' },
      400,
      'stream was invalid, can be either upstream or downstream',
    );
    await expectError({ type: 'latency', stream: '' }, 400, 'stream was invalid, can be either upstream or downstream');
    await expectError({ type: 'nope' }, 400, 'invalid toxic type');
    await expectError({ type: 'down' }, 400, 'invalid toxic type');
    await expectError({}, 400, 'invalid toxic type');
    await proxy.addToxic({ type: 'latency', name: 'same', stream: 'upstream', attributes: {} } as never);
    await expectError({ type: 'latency', name: 'same', stream: 'downstream' }, 409, 'toxic already exists');
    await expectError(
      { type: 'latency', attributes: { latency: 1.5 } },
      400,
      'bad request body: json: cannot unmarshal number 1.5 into Go struct field LatencyToxic.latency of type int64',
    );
    await expectError(
      { type: 'latency', attributes: { latency: '100' } },
      400,
      'bad request body: json: cannot unmarshal string into Go struct field LatencyToxic.latency of type int64',
    );
    expect((await send('/proxies/p/toxics', { type: 'latency', attributes: [1] })).status).toBe(400);
    await expect(proxy.addToxic({ type: 'latency', name: 'same', attributes: {} } as never)).rejects.toThrow('409');
  });

  it('refuses what crashes Toxiproxy: a negative bandwidth rate and slicer average_size < 1 (documented divergence)', async () => {
    const negative = await send('/proxies/p/toxics', { type: 'bandwidth', attributes: { rate: -1 } });
    expect(negative.status).toBe(400);
    expect(((await negative.json()) as { error: string }).error).toMatch(/rate must be >= 0/);
    const zero = await send('/proxies/p/toxics', { type: 'slicer', attributes: { average_size: 0 } });
    expect(zero.status).toBe(400);
    expect(((await zero.json()) as { error: string }).error).toMatch(/average_size must be >= 1/);
    await proxy.addToxic({ type: 'slicer', name: 's', attributes: { average_size: 10 } } as never);
    expect((await send('/proxies/p/toxics/s', { attributes: { average_size: 0 } })).status).toBe(400);
    expect((await send('/proxies/p/toxics/s', {}, 'PATCH')).status).toBe(200);
    // Rate 0 is Toxiproxy's documented stall, so it is accepted.
    expect((await send('/proxies/p/toxics', { type: 'bandwidth', attributes: { rate: 0 } })).status).toBe(200);
  });
});

describe('GET, update and DELETE of toxics', () => {
  it('lists upstream toxics first, then downstream, each in creation order; [] when none', async () => {
    expect(await (await fetch(`${api.url}/proxies/p/toxics`)).text()).toBe('[]');
    for (const [name, stream] of [
      ['d1', 'downstream'],
      ['u1', 'upstream'],
      ['d2', 'downstream'],
      ['u2', 'upstream'],
    ]) {
      await send('/proxies/p/toxics', { type: 'noop', name, stream });
    }
    const names = ((await (await fetch(`${api.url}/proxies/p/toxics`)).json()) as { name: string }[]).map(
      (t) => t.name,
    );
    expect(names).toEqual(['u1', 'u2', 'd1', 'd2']);
    const viaProxy = (await (await fetch(`${api.url}/proxies/p`)).json()) as { toxics: { name: string }[] };
    expect(viaProxy.toxics.map((t) => t.name)).toEqual(names);
  });

  it('gets, merges attribute updates (POST and PATCH), ignores name/type/stream, and removes (204)', async () => {
    const toxic = await proxy.addToxic({ type: 'latency', attributes: { latency: 1000, jitter: 100 } } as never);
    expect((await proxy.getToxic('latency_downstream')).attributes).toEqual({ latency: 1000, jitter: 100 });
    const updated = await toxic.update({ attributes: { latency: 12345, jitter: 42 } } as never);
    expect(updated.attributes).toEqual({ latency: 12345, jitter: 42 });
    const patched = await send(
      '/proxies/p/toxics/latency_downstream',
      { attributes: { jitter: 5 }, name: 'x', type: 'bandwidth', stream: 'upstream' },
      'PATCH',
    );
    expect(await patched.json()).toEqual({
      attributes: { latency: 12345, jitter: 5 },
      name: 'latency_downstream',
      type: 'latency',
      stream: 'downstream',
      toxicity: 1,
    });
    const toxicity = await send('/proxies/p/toxics/latency_downstream', { toxicity: 0.5 });
    expect(await toxicity.json()).toMatchObject({ toxicity: 0.5, attributes: { latency: 12345, jitter: 5 } });
    const removed = await fetch(`${api.url}/proxies/p/toxics/latency_downstream`, { method: 'DELETE' });
    expect(removed.status).toBe(204);
    expect(await removed.text()).toBe('');
    await expect(proxy.getToxic('latency_downstream')).rejects.toThrow('404');
    const missing = await fetch(`${api.url}/proxies/p/toxics/latency_downstream`, { method: 'DELETE' });
    expect(await missing.text()).toBe('{"error":"toxic not found","status":404}\n');
    expect((await send('/proxies/p/toxics/nope', {}, 'PATCH')).status).toBe(404);
  });

  it('answers 400 for a bad update body and keeps the toxic unchanged', async () => {
    await proxy.addToxic({ type: 'latency', attributes: { latency: 10 } } as never);
    expect((await send('/proxies/p/toxics/latency_downstream', '{"attributes":{"latency":"x"}}')).status).toBe(400);
    expect((await send('/proxies/p/toxics/latency_downstream', '{"toxicity":"x"}')).status).toBe(400);
    expect((await proxy.getToxic('latency_downstream')).attributes).toEqual({ latency: 10, jitter: 0 });
  });

  it('adds, updates and removes toxics on a disabled proxy; they persist across disable/enable', async () => {
    await proxy.update({ enabled: false, listen: proxy.listen, upstream: proxy.upstream });
    await proxy.addToxic({ type: 'latency', attributes: { latency: 5 } } as never);
    await proxy.update({ enabled: true, listen: proxy.listen, upstream: proxy.upstream });
    expect((await proxy.getToxic('latency_downstream')).attributes).toEqual({ latency: 5, jitter: 0 });
  });
});
