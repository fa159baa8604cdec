// The /proxies/{proxy}/toxics routes: list, create, get, update (POST or PATCH) and delete a toxic.
import type { ProxyRegistry } from '../core/proxy-registry.ts';
import { parseDirection, type ToxicEntry } from '../toxics/toxic-entry.ts';
import { zeroAttributes, type ToxicAttributes, type ToxicKind } from '../toxics/toxic-kind.ts';
import { toxicKind } from '../toxics/toxic-kinds.ts';
import type { FieldSpec } from './go-json.ts';
import { toxicJson, toxicListJson } from './json-shapes.ts';
import { decodeBody, findProxy } from './proxy-handlers.ts';
import { ApiError, emptyReply, jsonReply, type Reply } from './reply.ts';

const wrapperFields: readonly FieldSpec[] = [
  { name: 'name', kind: 'string' },
  { name: 'type', kind: 'string' },
  { name: 'stream', kind: 'string' },
  { name: 'toxicity', kind: 'float32' },
  { name: 'attributes', kind: 'object', goType: 'toxics.NoopToxic' },
];

const updateFields: readonly FieldSpec[] = [
  { name: 'toxicity', kind: 'float32' },
  { name: 'attributes', kind: 'object' },
];

/** Decodes `attributes` into a copy of `base` with the kind's integer fields, then applies our crash guards. */
function decodeAttributes(kind: ToxicKind, base: ToxicAttributes, raw: unknown): ToxicAttributes {
  const attributes: ToxicAttributes = { ...base };
  const fields = kind.attributes.map((spec): FieldSpec => ({ name: spec.name, kind: spec.goType }));
  decodeBody(raw === undefined ? 'null' : JSON.stringify(raw), `toxics.${kind.goStruct}`, fields, attributes);
  const problem = kind.validate?.(attributes);
  if (problem) throw new ApiError(problem, 400);
  return attributes;
}

function findToxic(
  registry: ProxyRegistry,
  proxyName: string,
  toxicName: string,
): { entry: ToxicEntry; proxyToxics: ReturnType<typeof findProxy>['toxics'] } {
  const proxy = findProxy(registry, proxyName);
  const entry = proxy.toxics.find(toxicName);
  if (!entry) throw new ApiError('toxic not found', 404);
  return { entry, proxyToxics: proxy.toxics };
}

export function listToxics(registry: ProxyRegistry, proxyName: string): Reply {
  return jsonReply(200, toxicListJson(findProxy(registry, proxyName).toxics.list()));
}

export async function createToxic(registry: ProxyRegistry, proxyName: string, body: string): Promise<Reply> {
  const proxy = findProxy(registry, proxyName);
  const input: { name: string; type: string; stream: string; toxicity: number; attributes?: unknown } = {
    name: '',
    type: '',
    stream: 'downstream',
    toxicity: 1,
  };
  decodeBody(body, 'toxics.ToxicWrapper', wrapperFields, input);
  const direction = parseDirection(input.stream);
  if (!direction) throw new ApiError('stream was invalid, can be either upstream or downstream', 400);
  const name = input.name === '' ? `${input.type}_${input.stream}` : input.name;
  const kind = toxicKind(input.type);
  if (!kind) throw new ApiError('invalid toxic type', 400);
  if (proxy.toxics.find(name)) throw new ApiError('toxic already exists', 409);
  const attributes = decodeAttributes(kind, zeroAttributes(kind), input.attributes);
  const entry: ToxicEntry = { name, kind, stream: input.stream, direction, toxicity: input.toxicity, attributes };
  await proxy.toxics.add(entry);
  return jsonReply(200, toxicJson(entry));
}

export function getToxic(registry: ProxyRegistry, proxyName: string, toxicName: string): Reply {
  return jsonReply(200, toxicJson(findToxic(registry, proxyName, toxicName).entry));
}

/** Merges attributes into the existing ones; toxicity defaults to the current value; name/type/stream are ignored. */
export async function updateToxic(
  registry: ProxyRegistry,
  proxyName: string,
  toxicName: string,
  body: string,
): Promise<Reply> {
  const { entry, proxyToxics } = findToxic(registry, proxyName, toxicName);
  const input: { toxicity: number; attributes?: unknown } = { toxicity: entry.toxicity };
  decodeBody(body, 'toxics.ToxicWrapper', updateFields, input);
  const attributes = decodeAttributes(entry.kind, entry.attributes, input.attributes);
  await proxyToxics.update(entry, attributes, input.toxicity);
  return jsonReply(200, toxicJson(entry));
}

export async function deleteToxic(registry: ProxyRegistry, proxyName: string, toxicName: string): Promise<Reply> {
  const { entry, proxyToxics } = findToxic(registry, proxyName, toxicName);
  await proxyToxics.remove(entry);
  return emptyReply();
}
