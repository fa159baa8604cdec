// The registry of toxic types by their API name.
import { bandwidth } from './bandwidth.ts';
import { latency } from './latency.ts';
import { limitData } from './limit-data.ts';
import { noop } from './noop.ts';
import { resetPeer } from './reset-peer.ts';
import { slicer } from './slicer.ts';
import { slowClose } from './slow-close.ts';
import { timeout } from './timeout.ts';
import type { ToxicKind } from './toxic-kind.ts';

const kinds: ReadonlyMap<string, ToxicKind> = new Map(
  [latency, bandwidth, slowClose, timeout, resetPeer, slicer, limitData, noop].map((kind) => [kind.type, kind]),
);

/** The kind for an API `type`, or undefined (`down` is not a toxic: it is `enabled: false`). */
export function toxicKind(type: string): ToxicKind | undefined {
  return kinds.get(type);
}
