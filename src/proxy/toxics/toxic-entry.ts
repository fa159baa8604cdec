// A toxic as the API knows it: name, kind, stream, toxicity and attributes, shared by every link of its direction.
import type { ToxicAttributes, ToxicKind } from './toxic-kind.ts';

export type Direction = 'upstream' | 'downstream';

export interface ToxicEntry {
  readonly name: string;
  readonly kind: ToxicKind;
  /** The stream exactly as sent (`UPSTREAM` stays `UPSTREAM`), echoed in JSON. */
  readonly stream: string;
  readonly direction: Direction;
  /** Probability that the toxic runs on a link, drawn each time it (re)starts there; stored as given. */
  toxicity: number;
  attributes: ToxicAttributes;
}

/** `upstream`/`downstream` in any case, else undefined. */
export function parseDirection(stream: string): Direction | undefined {
  const lower = stream.toLowerCase();
  return lower === 'upstream' || lower === 'downstream' ? lower : undefined;
}

/** Go's `rand.Float32() < toxicity`, with toxicity as a float32. */
export function drawsToxic(toxicity: number): boolean {
  return Math.fround(Math.random()) < Math.fround(toxicity);
}
