// The JSON of a proxy and of a toxic, in Toxiproxy 2.12's key order with zero-filled attributes.
import type { FaultProxy } from '../core/fault-proxy.ts';
import type { ToxicEntry } from '../toxics/toxic-entry.ts';
import { float32Text, goJson } from './reply.ts';

export function toxicJson(entry: ToxicEntry): string {
  const attributes: Record<string, number> = {};
  for (const spec of entry.kind.attributes) attributes[spec.name] = entry.attributes[spec.name] ?? 0;
  return (
    `{"attributes":${goJson(attributes)},"name":${goJson(entry.name)},"type":${goJson(entry.kind.type)},` +
    `"stream":${goJson(entry.stream)},"toxicity":${float32Text(entry.toxicity)}}`
  );
}

export function toxicListJson(entries: readonly ToxicEntry[]): string {
  return `[${entries.map(toxicJson).join(',')}]`;
}

/** Includes Toxiproxy's accidental `"Logger":{}` (present in every proxy object since 2.5.0). */
export function proxyJson(proxy: FaultProxy): string {
  return (
    `{"name":${goJson(proxy.name)},"listen":${goJson(proxy.listen)},"upstream":${goJson(proxy.upstream)},` +
    `"enabled":${proxy.enabled},"Logger":{},"toxics":${toxicListJson(proxy.toxics.list())}}`
  );
}
