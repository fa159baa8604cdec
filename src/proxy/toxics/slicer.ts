// The slicer toxic: splits each chunk in about-halves until pieces are <= average_size + size_variation, `delay` µs
// apart.
import { EOF } from '../link/channel.ts';
import { INTERRUPTED, TIMED_OUT } from '../link/toxic-stub.ts';
import type { ToxicKind } from './toxic-kind.ts';

/** Piece boundaries [0, b1, …, length] of a chunk, split recursively as Toxiproxy does. */
export function sliceBoundaries(length: number, averageSize: number, sizeVariation: number): number[] {
  const bounds = [0];
  const split = (start: number, end: number): void => {
    if (end - start - averageSize <= sizeVariation) {
      bounds.push(end);
      return;
    }
    let mid = start + Math.floor((end - start) / 2);
    if (sizeVariation > 0) mid += Math.floor(Math.random() * 2 * sizeVariation) - sizeVariation;
    mid = Math.min(end - 1, Math.max(start + 1, mid));
    split(start, mid);
    split(mid, end);
  };
  if (length > 0) split(0, length);
  return bounds;
}

export const slicer: ToxicKind = {
  type: 'slicer',
  goStruct: 'SlicerToxic',
  attributes: [
    { name: 'average_size', goType: 'int' },
    { name: 'size_variation', goType: 'int' },
    { name: 'delay', goType: 'int' },
  ],
  validate(attributes) {
    const averageSize = attributes.average_size ?? 0;
    if (averageSize < 1) {
      return `slicer average_size must be >= 1 byte, got ${averageSize}: below 1 Toxiproxy recurses until it crashes, so it is refused`;
    }
    if ((attributes.size_variation ?? 0) < 0)
      return `slicer size_variation must be >= 0 bytes, got ${attributes.size_variation}`;
    return undefined;
  },
  async pipe(stub, attributes) {
    const averageSize = attributes.average_size ?? 1;
    const sizeVariation = attributes.size_variation ?? 0;
    // The API speaks microseconds; this is the one place they become milliseconds.
    const delayMs = (attributes.delay ?? 0) / 1000;
    for (;;) {
      const item = await stub.read();
      if (item === INTERRUPTED || item === TIMED_OUT) return;
      if (item === EOF) {
        stub.close();
        return;
      }
      const bounds = sliceBoundaries(item.data.length, averageSize, sizeVariation);
      for (let i = 1; i < bounds.length; i++) {
        const from = bounds[i - 1] as number;
        const to = bounds[i] as number;
        stub.send({ data: item.data.subarray(from, to), timestampMs: item.timestampMs });
        if (i === bounds.length - 1) break;
        if (delayMs > 0 && !(await stub.sleep(delayMs))) {
          stub.send({ data: item.data.subarray(to), timestampMs: item.timestampMs });
          return;
        }
        if (delayMs <= 0 && stub.interrupted) {
          stub.send({ data: item.data.subarray(to), timestampMs: item.timestampMs });
          return;
        }
      }
    }
  },
};
