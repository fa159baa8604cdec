// The /proxies routes: list, create, get, update (POST or PATCH) and delete a proxy.
import type { FaultProxy } from '../core/fault-proxy.ts';
import { AddressError, resolveTcpAddress } from '../core/listen-address.ts';
import type { ProxyRegistry } from '../core/proxy-registry.ts';
import { BadBodyError, decodeFirstValue, decodeInto, type FieldSpec } from './go-json.ts';
import { proxyJson } from './json-shapes.ts';
import { ApiError, emptyReply, jsonReply, type Reply } from './reply.ts';

export const proxyFields: readonly FieldSpec[] = [
  { name: 'name', kind: 'string' },
  { name: 'listen', kind: 'string' },
  { name: 'upstream', kind: 'string' },
  { name: 'enabled', kind: 'bool' },
];

export interface ProxyInput extends Record<string, unknown> {
  name: string;
  listen: string;
  upstream: string;
  enabled: boolean;
}

/** Decodes a body, turning Go-style decoding failures into 400 `bad request body: …`. */
export function decodeBody(
  text: string,
  goType: string,
  fields: readonly FieldSpec[],
  target: Record<string, unknown>,
): unknown {
  try {
    const value = decodeFirstValue(text);
    decodeInto(value, goType, fields, target);
    return value;
  } catch (error) {
    if (error instanceof BadBodyError) throw new ApiError(`bad request body: ${error.message}`, 400);
    throw error;
  }
}

/** Runs an operation that binds or resolves addresses; Go errors become 500 with Go's text. */
export async function withAddressErrors<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (error instanceof AddressError) throw new ApiError(error.message, 500);
    throw error;
  }
}

export function findProxy(registry: ProxyRegistry, name: string): FaultProxy {
  const proxy = registry.get(name);
  if (!proxy) throw new ApiError('proxy not found', 404);
  return proxy;
}

export function listProxies(registry: ProxyRegistry): Reply {
  const members = registry.all().map((proxy) => `${JSON.stringify(proxy.name)}:${proxyJson(proxy)}`);
  return jsonReply(200, `{${members.join(',')}}`);
}

export async function createProxy(registry: ProxyRegistry, body: string): Promise<Reply> {
  const input: ProxyInput = { name: '', listen: '', upstream: '', enabled: true };
  decodeBody(body, 'proxy.Proxy', proxyFields, input);
  if (input.name === '') throw new ApiError('missing required field: name', 400);
  if (input.upstream === '') throw new ApiError('missing required field: upstream', 400);
  if (registry.has(input.name)) throw new ApiError('proxy already exists', 409);
  const proxy = await withAddressErrors(() => registry.create(input.name, input.listen, input.upstream, input.enabled));
  return jsonReply(201, proxyJson(proxy));
}

export function getProxy(registry: ProxyRegistry, name: string): Reply {
  return jsonReply(200, proxyJson(findProxy(registry, name)));
}

/** Toxiproxy's Proxy.Update: a changed listen or upstream restarts the proxy; `enabled` starts or stops it. */
export async function updateProxy(registry: ProxyRegistry, name: string, body: string): Promise<Reply> {
  const proxy = findProxy(registry, name);
  const input: ProxyInput = {
    name: proxy.name,
    listen: proxy.listen,
    upstream: proxy.upstream,
    enabled: proxy.enabled,
  };
  decodeBody(body, 'proxy.Proxy', proxyFields, input);
  await withAddressErrors(async () => {
    const differs = (await resolveTcpAddress(input.listen)) !== proxy.listen || input.upstream !== proxy.upstream;
    if (differs) {
      await proxy.stop();
      proxy.listen = input.listen;
      proxy.upstream = input.upstream;
    }
    if (input.enabled !== proxy.enabled) {
      if (input.enabled) await proxy.start();
      else await proxy.stop();
    }
  });
  return jsonReply(200, proxyJson(proxy));
}

export async function deleteProxy(registry: ProxyRegistry, name: string): Promise<Reply> {
  await registry.delete(findProxy(registry, name));
  return emptyReply();
}
