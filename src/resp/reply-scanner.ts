// Finds where each top-level RESP2/RESP3 reply ends in a byte stream split at arbitrary chunk boundaries, without
// copying.

const CR = 13;
const LF = 10;

/**
 * Called once per complete top-level reply: `end` is the offset just past it in the current chunk; push frames are
 * RESP3 out-of-band (`>`).
 */
export type FrameEnd = (end: number, isPush: boolean) => void;

export class ReplyScanner {
  /** Values still needed to complete the current top-level frame (0: between frames). */
  private need = 0;
  /** Bulk body bytes (with the trailing CRLF) still to skip. */
  private skip = 0;
  private isPush = false;
  /** A header line cut by a chunk boundary. */
  private partialLine: Buffer | null = null;

  /** True when the scanner stands between two frames (nothing partial is pending). */
  get atBoundary(): boolean {
    return this.need === 0 && this.skip === 0 && this.partialLine === null;
  }

  scan(chunk: Buffer, onFrameEnd: FrameEnd): void {
    let pos = 0;
    const length = chunk.length;
    while (pos < length) {
      if (this.need === 0 && this.partialLine === null) {
        // Fast path between frames: a whole simple line (+OK, -ERR, :1) or bulk string ($3 bar) inside this chunk.
        const end = simpleReplyEnd(chunk, pos, length);
        if (end > 0) {
          pos = end;
          onFrameEnd(pos, false);
          continue;
        }
      }
      if (this.skip > 0) {
        const take = Math.min(this.skip, length - pos);
        pos += take;
        this.skip -= take;
        if (this.skip === 0) this.valueDone(pos, onFrameEnd);
        continue;
      }
      const newline = chunk.indexOf(LF, pos);
      if (newline < 0) {
        const rest = chunk.subarray(pos);
        this.partialLine = this.partialLine ? Buffer.concat([this.partialLine, rest]) : Buffer.from(rest);
        return;
      }
      let line: Buffer = chunk;
      let start = pos;
      let end = newline;
      if (this.partialLine) {
        line = Buffer.concat([this.partialLine, chunk.subarray(pos, newline)]);
        this.partialLine = null;
        start = 0;
        end = line.length;
      }
      if (end > start && line[end - 1] === CR) end--;
      pos = newline + 1;
      this.header(line, start, end, pos, onFrameEnd);
    }
  }

  private header(line: Buffer, start: number, end: number, pos: number, onFrameEnd: FrameEnd): void {
    const type = line[start];
    if (this.need === 0) {
      this.need = 1;
      this.isPush = type === 0x3e; // '>'
    }
    switch (type) {
      case 0x24: // '$' bulk string
      case 0x3d: // '=' verbatim string
      case 0x21: {
        // '!' bulk error
        const size = parseLength(line, start + 1, end);
        if (size < 0) this.valueDone(pos, onFrameEnd);
        else this.skip = size + 2;
        return;
      }
      case 0x2a: // '*' array
      case 0x7e: // '~' set
      case 0x3e: {
        // '>' push
        const count = parseLength(line, start + 1, end);
        if (count <= 0) this.valueDone(pos, onFrameEnd);
        else this.need += count - 1;
        return;
      }
      case 0x25: {
        // '%' map
        const count = parseLength(line, start + 1, end);
        if (count <= 0) this.valueDone(pos, onFrameEnd);
        else this.need += 2 * count - 1;
        return;
      }
      case 0x7c: // '|' attribute: its pairs come before the value it annotates
        this.need += 2 * Math.max(0, parseLength(line, start + 1, end));
        return;
      default: // + - : , # _ ( and anything unknown: one line, one value
        this.valueDone(pos, onFrameEnd);
    }
  }

  private valueDone(pos: number, onFrameEnd: FrameEnd): void {
    if (--this.need === 0) onFrameEnd(pos, this.isPush);
  }
}

/** The end of a `+`, `-` or `:` line or a non-null `$` bulk string wholly inside `chunk` at `pos`; -1 otherwise. */
function simpleReplyEnd(chunk: Buffer, pos: number, length: number): number {
  const type = chunk[pos];
  if (type === 0x2b || type === 0x2d || type === 0x3a) {
    const stop = Math.min(length, pos + 32);
    for (let i = pos + 1; i < stop; i++) if (chunk[i] === LF) return i + 1;
    const newline = stop < length ? chunk.indexOf(LF, stop) : -1;
    return newline < 0 ? -1 : newline + 1;
  }
  if (type !== 0x24) return -1;
  let size = 0;
  let i = pos + 1;
  const stop = Math.min(length, i + 10);
  for (; i < stop; i++) {
    const digit = (chunk[i] as number) - 48;
    if (digit < 0 || digit > 9) break;
    size = size * 10 + digit;
  }
  if (i === pos + 1 || i + 1 >= length || chunk[i] !== CR || chunk[i + 1] !== LF) return -1;
  const end = i + 2 + size + 2;
  return end <= length ? end : -1;
}

/**
 * The decimal after a type byte (`-1` for RESP2 nulls); garbage reads as -1 so the frame ends rather than waits
 * forever.
 */
function parseLength(line: Buffer, from: number, to: number): number {
  if (from >= to) return -1;
  let negative = false;
  let i = from;
  if (line[i] === 0x2d) {
    negative = true;
    i++;
  }
  let value = 0;
  for (; i < to; i++) {
    const digit = (line[i] as number) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return negative ? -value : value;
}
