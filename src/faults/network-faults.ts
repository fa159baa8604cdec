// Network faults on the Redis or PostgreSQL link: Toxiproxy toxics (through toxiproxy-node-client) and the outage.
import type { Proxy, Toxic } from 'toxiproxy-node-client';
import type { FaultContext, LinkName } from '../runtimes/fault-context.ts';
import type { FaultImplementation } from './fault-implementation.ts';
import type { FaultSpecOf } from './fault-schema.ts';
import { probeLink } from '../probes/link-probe.ts';
import { linkPort } from '../runtimes/proxy-links.ts';

type ToxicKind = 'latency' | 'bandwidth' | 'timeout' | 'reset-peer' | 'slicer' | 'limit-data' | 'slow-close';

/** Our fault kinds and parameter names (units in names) → Toxiproxy's toxic type and attributes. */
function toxicOf(spec: FaultSpecOf<ToxicKind>): { type: string; attributes: Record<string, number> } {
  switch (spec.kind) {
    case 'latency':
      return { type: 'latency', attributes: { latency: spec.latencyMs, jitter: spec.jitterMs } };
    case 'bandwidth':
      return { type: 'bandwidth', attributes: { rate: spec.rateKBps } };
    case 'timeout':
      return { type: 'timeout', attributes: { timeout: spec.timeoutMs } };
    case 'reset-peer':
      return { type: 'reset_peer', attributes: { timeout: spec.timeoutMs } };
    case 'slicer':
      return {
        type: 'slicer',
        attributes: {
          average_size: spec.averageSizeBytes,
          size_variation: spec.sizeVariationBytes,
          delay: spec.delayUs,
        },
      };
    case 'limit-data':
      return { type: 'limit_data', attributes: { bytes: spec.bytes } };
    case 'slow-close':
      return { type: 'slow_close', attributes: { delay: spec.delayMs } };
  }
}

function probe(ctx: FaultContext, on: LinkName, proxy: Proxy) {
  const endpoint = ctx.linkEndpoint?.(on) ?? { host: '127.0.0.1', port: linkPort(proxy) };
  return probeLink(endpoint.port, on === 'redis' ? 'redis' : 'tcp', 1000, endpoint.host);
}

let counter = 0;

function toxicFault<K extends ToxicKind>(kind: K, description: string): FaultImplementation<K> {
  return {
    kind,
    group: 'network',
    description,
    plan(spec) {
      const { type, attributes } = toxicOf(spec);
      const streams = spec.stream === 'both' ? ['upstream', 'downstream'] : [spec.stream];
      return streams.map(
        (stream) =>
          `toxic on ${spec.on} link: POST /proxies/{${spec.on}}/toxics {"type":"${type}","stream":"${stream}","toxicity":${spec.toxicity},"attributes":${JSON.stringify(attributes)}} … DELETE at the end`,
      );
    },
    async inject(ctx: FaultContext, spec) {
      const proxy = ctx.link(spec.on);
      const { type, attributes } = toxicOf(spec);
      const before = await probe(ctx, spec.on, proxy);
      const streams = spec.stream === 'both' ? (['upstream', 'downstream'] as const) : [spec.stream];
      const toxics: Toxic<unknown>[] = [];
      for (const stream of streams) {
        const name = `cachequake-${kind}-${stream}-${++counter}`;
        // toxiproxy-node-client types the toxic type narrower than the server accepts (no noop); the body is passed
        // through.
        toxics.push(
          await proxy.addToxic({
            name,
            type: type as 'latency',
            stream,
            toxicity: spec.toxicity,
            attributes: attributes as never,
          }),
        );
      }
      const readBack = await Promise.all(toxics.map(async (t) => (await proxy.getToxic(t.name)).toJson()));
      const after = await probe(ctx, spec.on, proxy);
      return {
        evidence: { proxy: proxy.name, toxics: readBack, linkProbe: { before, after } },
        revert: async () => {
          for (const t of toxics) await t.remove();
          const remaining = (await fetch(`${proxy.getPath()}/toxics`).then((r) => r.json())) as { name: string }[];
          const ours = remaining.filter((r) => toxics.some((t) => t.name === r.name)).map((r) => r.name);
          return { toxicsRemaining: ours, linkProbe: await probe(ctx, spec.on, proxy) };
        },
      };
    },
  };
}

export const latencyFault = toxicFault('latency', 'adds latency (± jitter) to every chunk on the link');
export const bandwidthFault = toxicFault('bandwidth', 'caps the link at rateKBps (1 KB = 1000 bytes)');
export const timeoutFault = toxicFault(
  'timeout',
  'drops all data; closes the connection after timeoutMs (0: hangs until the fault ends)',
);
export const resetPeerFault = toxicFault(
  'reset-peer',
  'resets connections (TCP RST) on the first data after timeoutMs',
);
export const slicerFault = toxicFault(
  'slicer',
  'slices data into small packets (averageSizeBytes ± sizeVariationBytes) with delayUs between them',
);
export const limitDataFault = toxicFault('limit-data', 'closes a connection after it has carried `bytes` bytes');
export const slowCloseFault = toxicFault('slow-close', 'delays the close of a connection by delayMs');

export const outageFault: FaultImplementation<'outage'> = {
  kind: 'outage',
  group: 'network',
  description: 'takes the link down: new connections refused, open ones closed (Toxiproxy enabled=false)',
  plan: (spec) => [
    `disable the ${spec.on} link: POST /proxies/{${spec.on}} {"enabled":false} … {"enabled":true} at the end`,
  ],
  async inject(ctx, spec) {
    let proxy = ctx.link(spec.on);
    proxy = await proxy.update({ enabled: false, listen: proxy.listen, upstream: proxy.upstream });
    const after = await probe(ctx, spec.on, proxy);
    return {
      evidence: { proxy: proxy.name, enabled: proxy.enabled, linkProbe: after },
      revert: async () => {
        const restored = await proxy.update({ enabled: true, listen: proxy.listen, upstream: proxy.upstream });
        return { enabled: restored.enabled, linkProbe: await probe(ctx, spec.on, restored) };
      },
    };
  },
};
