// Network faults on the Redis or PostgreSQL link: Toxiproxy toxics (through toxiproxy-node-client) and the outage.
import type { Proxy, Toxic } from 'toxiproxy-node-client';
import { z } from 'zod';
import type { FaultContext, LinkName } from '../runtimes/fault-context.ts';
import { defineFault, type FaultObject, type FaultTraits } from './fault-record.ts';
import { link, network, timing } from './fault-fields.ts';
import { probeLink } from '../probes/link-probe.ts';
import { linkPort } from '../runtimes/proxy-links.ts';

/** A toxic on a link changes nothing in the server: no guard, no backup, any runtime. */
const linkTraits: FaultTraits<unknown> = { destructive: false, topology: 'any' };

/** Toxiproxy's toxic type and attributes (its names and units) for one of our specs. */
interface ToxicBody {
  type: string;
  attributes: Record<string, number>;
}

type NetworkSpec = z.output<z.ZodObject<typeof network>>;

function probe(ctx: FaultContext, on: LinkName, proxy: Proxy) {
  const endpoint = ctx.linkEndpoint?.(on) ?? { host: '127.0.0.1', port: linkPort(proxy) };
  return probeLink(endpoint.port, on === 'redis' ? 'redis' : 'tcp', 1000, endpoint.host);
}

let counter = 0;

/** A fault that is one Toxiproxy toxic per stream; `toxic` maps our parameter names (units in names) to Toxiproxy's. */
function toxicFault<K extends string, P extends typeof network>(definition: {
  kind: K;
  description: string;
  params: P;
  toxic: (spec: z.output<FaultObject<K, P>>) => ToxicBody;
}) {
  const { kind, toxic } = definition;
  return defineFault({
    kind,
    group: 'network',
    description: definition.description,
    params: definition.params,
    traits: linkTraits,
    plan(spec) {
      const { on, stream, toxicity } = spec as NetworkSpec;
      const { type, attributes } = toxic(spec);
      const streams = stream === 'both' ? ['upstream', 'downstream'] : [stream];
      return streams.map(
        (each) =>
          `toxic on ${on} link: POST /proxies/{${on}}/toxics {"type":"${type}","stream":"${each}","toxicity":${toxicity},"attributes":${JSON.stringify(attributes)}} … DELETE at the end`,
      );
    },
    async inject(ctx, spec) {
      const { on, stream, toxicity } = spec as NetworkSpec;
      const proxy = ctx.link(on);
      const { type, attributes } = toxic(spec);
      const before = await probe(ctx, on, proxy);
      const streams = stream === 'both' ? (['upstream', 'downstream'] as const) : [stream];
      const toxics: Toxic<unknown>[] = [];
      for (const each of streams) {
        const name = `cachequake-${kind}-${each}-${++counter}`;
        // toxiproxy-node-client types the toxic type narrower than the server accepts (no noop); the body is passed
        // through.
        toxics.push(
          await proxy.addToxic({
            name,
            type: type as 'latency',
            stream: each,
            toxicity,
            attributes: attributes as never,
          }),
        );
      }
      const readBack = await Promise.all(toxics.map(async (t) => (await proxy.getToxic(t.name)).toJson()));
      const after = await probe(ctx, on, proxy);
      return {
        evidence: { proxy: proxy.name, toxics: readBack, linkProbe: { before, after } },
        revert: async () => {
          for (const t of toxics) await t.remove();
          const remaining = (await fetch(`${proxy.getPath()}/toxics`).then((r) => r.json())) as { name: string }[];
          const ours = remaining.filter((r) => toxics.some((t) => t.name === r.name)).map((r) => r.name);
          return { toxicsRemaining: ours, linkProbe: await probe(ctx, on, proxy) };
        },
      };
    },
  });
}

export const latencyFault = toxicFault({
  kind: 'latency',
  description: 'adds latency (± jitter) to every chunk on the link',
  params: {
    ...network,
    latencyMs: z.number().int().nonnegative(),
    jitterMs: z.number().int().nonnegative().default(0),
  },
  toxic: (spec) => ({ type: 'latency', attributes: { latency: spec.latencyMs, jitter: spec.jitterMs } }),
});

export const bandwidthFault = toxicFault({
  kind: 'bandwidth',
  description: 'caps the link at rateKBps (1 KB = 1000 bytes)',
  params: { ...network, rateKBps: z.number().int().positive() },
  toxic: (spec) => ({ type: 'bandwidth', attributes: { rate: spec.rateKBps } }),
});

export const timeoutFault = toxicFault({
  kind: 'timeout',
  description: 'drops all data; closes the connection after timeoutMs (0: hangs until the fault ends)',
  params: { ...network, timeoutMs: z.number().int().nonnegative().default(0) },
  toxic: (spec) => ({ type: 'timeout', attributes: { timeout: spec.timeoutMs } }),
});

export const resetPeerFault = toxicFault({
  kind: 'reset-peer',
  description: 'resets connections (TCP RST) on the first data after timeoutMs',
  params: { ...network, timeoutMs: z.number().int().nonnegative().default(0) },
  toxic: (spec) => ({ type: 'reset_peer', attributes: { timeout: spec.timeoutMs } }),
});

export const slicerFault = toxicFault({
  kind: 'slicer',
  description: 'slices data into small packets (averageSizeBytes ± sizeVariationBytes) with delayUs between them',
  params: {
    ...network,
    averageSizeBytes: z.number().int().positive(),
    sizeVariationBytes: z.number().int().nonnegative().default(0),
    delayUs: z.number().int().nonnegative().default(0),
  },
  toxic: (spec) => ({
    type: 'slicer',
    attributes: { average_size: spec.averageSizeBytes, size_variation: spec.sizeVariationBytes, delay: spec.delayUs },
  }),
});

export const limitDataFault = toxicFault({
  kind: 'limit-data',
  description: 'closes a connection after it has carried `bytes` bytes',
  params: { ...network, bytes: z.number().int().nonnegative() },
  toxic: (spec) => ({ type: 'limit_data', attributes: { bytes: spec.bytes } }),
});

export const slowCloseFault = toxicFault({
  kind: 'slow-close',
  description: 'delays the close of a connection by delayMs',
  params: { ...network, delayMs: z.number().int().nonnegative() },
  toxic: (spec) => ({ type: 'slow_close', attributes: { delay: spec.delayMs } }),
});

export const outageFault = defineFault({
  kind: 'outage',
  group: 'network',
  description: 'takes the link down: new connections refused, open ones closed (Toxiproxy enabled=false)',
  params: { ...timing, on: link },
  traits: linkTraits,
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
});
