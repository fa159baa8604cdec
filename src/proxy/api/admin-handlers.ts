// The server-wide routes: /version, /reset and /populate.
import { AddressError } from '../core/listen-address.ts';
import type { FaultProxy } from '../core/fault-proxy.ts';
import type { ProxyRegistry } from '../core/proxy-registry.ts';
import { BadBodyError, decodeFirstValue, decodeInto, jsonTypeOf } from './go-json.ts';
import { proxyJson } from './json-shapes.ts';
import { proxyFields, type ProxyInput } from './proxy-handlers.ts';
import { ApiError, emptyReply, goJson, type Reply } from './reply.ts';

/** The Toxiproxy release whose API this server reproduces; clients see it in GET /version. */
export const toxiproxyVersion = '2.12.0';

export function version(): Reply {
  return { status: 200, body: `{"version": "${toxiproxyVersion}"}\n`, contentType: 'application/json;charset=utf-8' };
}

/** Starts every proxy (sorted by name), then removes all toxics; live connections otherwise survive. */
export async function reset(registry: ProxyRegistry): Promise<Reply> {
  for (const proxy of registry.all()) {
    try {
      await proxy.start();
    } catch (error) {
      if (error instanceof AddressError) throw new ApiError(error.message, 500);
      throw error;
    }
    await proxy.toxics.removeAll();
    proxy.redisRules.rules = [];
  }
  return emptyReply();
}

function populateReply(
  status: number,
  done: readonly FaultProxy[],
  error?: { message: string; status: number },
): Reply {
  const proxies = done.length === 0 ? 'null' : `[${done.map(proxyJson).join(',')}]`;
  const head = error ? `"error":${goJson(error.message)},"status":${error.status},` : '';
  return { status, body: `{${head}"proxies":${proxies}}`, contentType: 'application/json' };
}

/** Validates every entry first, then creates or replaces them in order; the first failure stops the rest. */
export async function populate(registry: ProxyRegistry, body: string): Promise<Reply> {
  const fail = (message: string, status: number, done: readonly FaultProxy[] = []): Reply =>
    populateReply(status, done, { message, status });
  let inputs: ProxyInput[];
  try {
    const value = decodeFirstValue(body);
    if (value !== null && !Array.isArray(value)) {
      throw new BadBodyError(`json: cannot unmarshal ${jsonTypeOf(value)} into Go value of type []proxy.Proxy`);
    }
    inputs = ((value ?? []) as unknown[]).map((item) => {
      const input: ProxyInput = { name: '', listen: '', upstream: '', enabled: true };
      decodeInto(item, 'proxy.Proxy', proxyFields, input);
      return input;
    });
  } catch (error) {
    if (error instanceof BadBodyError) return fail(`bad request body: ${error.message}`, 400);
    throw error;
  }
  for (const [index, input] of inputs.entries()) {
    if (input.name === '') return fail(`missing required field: name at proxy ${index + 1}`, 400);
    if (input.upstream === '') return fail(`missing required field: upstream at proxy ${index + 1}`, 400);
  }
  const done: FaultProxy[] = [];
  for (const input of inputs) {
    try {
      done.push(await registry.addOrReplace(input.name, input.listen, input.upstream, input.enabled));
    } catch (error) {
      if (error instanceof AddressError) return fail(error.message, 500, done);
      throw error;
    }
  }
  return populateReply(201, done);
}
