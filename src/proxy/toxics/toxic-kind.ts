// What every toxic type provides: its attribute names (all integers), optional validation, and the pipe that runs on a
// link.
import type { ToxicStub } from '../link/toxic-stub.ts';

export type ToxicAttributes = Record<string, number>;

export interface AttributeSpec {
  /** JSON name, e.g. `average_size`. */
  readonly name: string;
  /** Go type, only for error messages (`int64` or `int`). */
  readonly goType: 'int64' | 'int';
}

export interface ToxicKind {
  /** The `type` string of the API. */
  readonly type: string;
  /** Go struct name, for decoding error messages (`LatencyToxic`). */
  readonly goStruct: string;
  readonly attributes: readonly AttributeSpec[];
  /** A message when the attributes would crash or stall Toxiproxy itself (answered with 400), else undefined. */
  validate?(attributes: Readonly<ToxicAttributes>): string | undefined;
  /** Fresh per-link state for stateful toxics; it survives updates of the toxic. */
  newState?(): unknown;
  /** Runs until the stub is interrupted (return) or the stream ends (stub.close(), return). */
  pipe(stub: ToxicStub, attributes: Readonly<ToxicAttributes>): Promise<void>;
  /** Runs when the toxic is removed from a live link. */
  cleanup?(stub: ToxicStub): void;
}

/** Zero-filled attributes of a kind, in declaration order. */
export function zeroAttributes(kind: ToxicKind): ToxicAttributes {
  const attributes: ToxicAttributes = {};
  for (const spec of kind.attributes) attributes[spec.name] = 0;
  return attributes;
}
