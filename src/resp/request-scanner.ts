// Splits a client's byte stream into Redis commands (multibulk or inline, pipelined, cut anywhere) and forwards or
// swallows each whole.

const LF = 10;
/** Redis's own limit for an inline command line (PROTO_INLINE_MAX_SIZE). */
const inlineMaxBytes = 64 * 1024;
/** Command names and keys longer than this are matched on their first bytes only. */
const captureMaxBytes = 4096;

/** The command being decided: its name and first argument are decoded only when asked for. */
export interface CommandView {
  readonly nameLength: number;
  /** The command name, upper-cased (`SET`). */
  name(): string;
  /** The first argument (the key of most commands), or undefined. */
  key(): string | undefined;
}

/**
 * Decides one command as soon as its name and first argument are known: true forwards it, false swallows it.
 * `expectsReply` is false for the empty commands Redis ignores (an empty line, `*0`).
 */
export type Decide = (command: CommandView, expectsReply: boolean) => boolean;

/** A byte range of one buffer (a chunk, or a copy when a chunk boundary cut the range). */
interface Range {
  buffer: Buffer;
  start: number;
  end: number;
}

const empty = Buffer.alloc(0);

const START = 0;
const ARRAY_HEADER = 1;
const BULK_HEADER = 2;
const BULK_BODY = 3;
const INLINE = 4;
const RAW = 5;

export class RequestScanner implements CommandView {
  private state = START;
  private partialLine: Buffer | null = null;
  private argsLeft = 0;
  private argIndex = 0;
  private bodyLeft = 0;
  /** The first piece of the argument being captured (name or key); more pieces only when a chunk cut it. */
  private captureFirst: Buffer | null = null;
  private captureStart = 0;
  private captureEnd = 0;
  private captureMore: Buffer[] | null = null;
  private captureBytes = 0;
  private readonly nameRange: Range = { buffer: empty, start: 0, end: 0 };
  private readonly keyRange: Range = { buffer: empty, start: 0, end: 0 };
  private hasKey = false;
  private decision: boolean | null = null;
  /** Bytes of the current, still undecided command from earlier chunks. */
  private held: Buffer[] = [];
  private segmentStart = 0;
  private pendingStart = -1;
  private pendingEnd = -1;

  get nameLength(): number {
    return this.nameRange.end - this.nameRange.start;
  }

  name(): string {
    const { buffer, start, end } = this.nameRange;
    return buffer.toString('latin1', start, end).toUpperCase();
  }

  key(): string | undefined {
    const { buffer, start, end } = this.keyRange;
    return this.hasKey ? buffer.toString('utf8', start, end) : undefined;
  }

  /**
   * True once the stream stopped looking like RESP (Redis would answer a protocol error); everything after passes as
   * is.
   */
  get broken(): boolean {
    return this.state === RAW;
  }

  scan(chunk: Buffer, decide: Decide, forward: (data: Buffer) => void): void {
    let pos = 0;
    const length = chunk.length;
    this.segmentStart = 0;
    while (pos < length) {
      const state = this.state;
      if (state === START) {
        this.flush(chunk, pos, forward);
        if (chunk[pos] !== 0x2a) {
          this.state = INLINE;
          continue;
        }
        // Fast path: a whole, well-formed multibulk command inside this chunk is decided without the state machine.
        const end = this.wholeCommand(chunk, pos, length);
        if (end < 0) {
          this.state = ARRAY_HEADER;
          continue;
        }
        this.decide(chunk, pos, decide(this, true), forward);
        this.endCommand(chunk, end, forward);
        pos = end;
        continue;
      }
      if (state === BULK_BODY) {
        const take = Math.min(this.bodyLeft, length - pos);
        if (this.argIndex < 2 && this.captureBytes < captureMaxBytes) {
          const bodyEnd = Math.min(pos + take, pos + this.bodyLeft - 2);
          if (bodyEnd > pos) {
            if (this.captureFirst === null) {
              this.captureFirst = chunk;
              this.captureStart = pos;
              this.captureEnd = bodyEnd;
            } else {
              (this.captureMore ??= [this.captureFirst.subarray(this.captureStart, this.captureEnd)]).push(
                chunk.subarray(pos, bodyEnd),
              );
            }
            this.captureBytes += bodyEnd - pos;
          }
        }
        pos += take;
        this.bodyLeft -= take;
        if (this.bodyLeft === 0) this.argDone(chunk, pos, decide, forward);
        continue;
      }
      if (state === RAW) break;
      const newline = findNewline(chunk, pos);
      if (newline < 0) {
        const rest = chunk.subarray(pos);
        this.partialLine = this.partialLine ? Buffer.concat([this.partialLine, rest]) : Buffer.from(rest);
        if (this.partialLine.length > inlineMaxBytes) this.breakStream(chunk, length, forward);
        break;
      }
      let line = chunk;
      let lineStart = pos;
      let lineEnd = newline;
      if (this.partialLine) {
        line = Buffer.concat([this.partialLine, chunk.subarray(pos, newline)]);
        this.partialLine = null;
        lineStart = 0;
        lineEnd = line.length;
      }
      if (lineEnd > lineStart && line[lineEnd - 1] === 13) lineEnd--;
      pos = newline + 1;
      this.line(line, lineStart, lineEnd, chunk, pos, decide, forward);
    }
    this.flush(chunk, length, forward);
    this.emitPending(chunk, forward);
  }

  /**
   * `*N\r\n` then N × `$len\r\n<body>\r\n`, all inside `chunk` from `pos`: sets the name and key ranges and returns
   * the offset past the command; -1 (nothing changed) when it is cut by the chunk's end or not in this strict form.
   */
  private wholeCommand(chunk: Buffer, pos: number, length: number): number {
    const args = readDecimal(chunk, pos + 1, length);
    if (args <= 0) return -1;
    let at = decimalEnd;
    let nameStart = 0;
    let nameEnd = 0;
    let keyStart = 0;
    let keyEnd = 0;
    for (let arg = 0; arg < args; arg++) {
      if (at >= length || chunk[at] !== 0x24) return -1;
      const size = readDecimal(chunk, at + 1, length);
      if (size < 0) return -1;
      const bodyStart = decimalEnd;
      at = bodyStart + size + 2;
      if (at > length) return -1;
      if (arg === 0) {
        nameStart = bodyStart;
        nameEnd = bodyStart + size;
      } else if (arg === 1) {
        keyStart = bodyStart;
        keyEnd = bodyStart + size;
      }
    }
    this.nameRange.buffer = chunk;
    this.nameRange.start = nameStart;
    this.nameRange.end = nameEnd;
    this.hasKey = args > 1;
    if (this.hasKey) {
      this.keyRange.buffer = chunk;
      this.keyRange.start = keyStart;
      this.keyRange.end = keyEnd;
    }
    return at;
  }

  private line(
    line: Buffer,
    lineStart: number,
    lineEnd: number,
    chunk: Buffer,
    pos: number,
    decide: Decide,
    forward: (data: Buffer) => void,
  ): void {
    if (this.state === INLINE) {
      const words = line
        .toString('utf8', lineStart, lineEnd)
        .trim()
        .split(/\s+/)
        .filter((word) => word !== '');
      const expectsReply = words.length > 0;
      setRange(this.nameRange, Buffer.from(words[0] ?? ''));
      this.hasKey = words[1] !== undefined;
      if (this.hasKey) setRange(this.keyRange, Buffer.from(words[1] as string));
      this.decide(chunk, pos, decide(this, expectsReply), forward);
      this.endCommand(chunk, pos, forward);
      return;
    }
    const count = parseCount(line, lineStart, lineEnd);
    if (this.state === ARRAY_HEADER) {
      if (count === null) return this.breakStream(chunk, pos, forward);
      if (count <= 0) {
        this.decide(chunk, pos, decide(this, false), forward);
        this.endCommand(chunk, pos, forward);
        return;
      }
      this.argsLeft = count;
      this.argIndex = 0;
      this.state = BULK_HEADER;
      return;
    }
    if (line[lineStart] !== 0x24 || count === null || count < 0) return this.breakStream(chunk, pos, forward);
    this.bodyLeft = count + 2;
    this.captureFirst = null;
    this.captureMore = null;
    this.captureBytes = 0;
    this.state = BULK_BODY;
  }

  private argDone(chunk: Buffer, pos: number, decide: Decide, forward: (data: Buffer) => void): void {
    if (this.argIndex < 2) {
      const range = this.argIndex === 0 ? this.nameRange : this.keyRange;
      if (this.captureMore) setRange(range, Buffer.concat(this.captureMore));
      else if (this.captureFirst) {
        range.buffer = this.captureFirst;
        range.start = this.captureStart;
        range.end = this.captureEnd;
      } else setRange(range, empty);
      if (this.argIndex === 1) this.hasKey = true;
      this.captureFirst = null;
      this.captureMore = null;
    }
    this.argIndex++;
    this.argsLeft--;
    if (this.decision === null && (this.argIndex === 2 || this.argsLeft === 0))
      this.decide(chunk, pos, decide(this, true), forward);
    if (this.argsLeft === 0) this.endCommand(chunk, pos, forward);
    else this.state = BULK_HEADER;
  }

  private decide(chunk: Buffer, pos: number, forwarded: boolean, forward: (data: Buffer) => void): void {
    this.decision = forwarded;
    if (forwarded && this.held.length > 0) {
      this.emitPending(chunk, forward);
      for (const part of this.held) forward(part);
    }
    this.held = [];
    this.flush(chunk, pos, forward);
  }

  private endCommand(chunk: Buffer, pos: number, forward: (data: Buffer) => void): void {
    this.flush(chunk, pos, forward);
    this.state = START;
    this.decision = null;
    setRange(this.nameRange, empty);
    this.hasKey = false;
  }

  /** Everything from here on passes unparsed (Redis would reply `-ERR Protocol error` and close). */
  private breakStream(chunk: Buffer, pos: number, forward: (data: Buffer) => void): void {
    this.partialLine = null;
    this.state = RAW;
    this.decide(chunk, pos, true, forward);
  }

  /** Settles the bytes of the current command seen so far in this chunk by its decision (or holds them, undecided). */
  private flush(chunk: Buffer, pos: number, forward: (data: Buffer) => void): void {
    const start = this.segmentStart;
    this.segmentStart = pos;
    if (pos <= start) return;
    if (this.decision === null) {
      this.held.push(chunk.subarray(start, pos));
    } else if (this.decision) {
      if (this.pendingEnd === start) {
        this.pendingEnd = pos;
      } else {
        this.emitPending(chunk, forward);
        this.pendingStart = start;
        this.pendingEnd = pos;
      }
    }
  }

  /** Writes the contiguous forwarded range; a whole chunk goes on as the same Buffer. */
  private emitPending(chunk: Buffer, forward: (data: Buffer) => void): void {
    if (this.pendingStart < 0) return;
    forward(
      this.pendingStart === 0 && this.pendingEnd === chunk.length
        ? chunk
        : chunk.subarray(this.pendingStart, this.pendingEnd),
    );
    this.pendingStart = -1;
    this.pendingEnd = -1;
  }
}

/** indexOf(LF) for the short header lines of RESP: a plain loop beats the native call for the first bytes. */
function findNewline(chunk: Buffer, from: number): number {
  const stop = Math.min(chunk.length, from + 24);
  for (let i = from; i < stop; i++) if (chunk[i] === LF) return i;
  return stop === chunk.length ? -1 : chunk.indexOf(LF, stop);
}

/** Where the last readDecimal() stopped: just past the number's CRLF. */
let decimalEnd = 0;

/** Digits from `from` up to a CRLF inside `chunk` (at most 10 of them); -1 when that is not what is there. */
function readDecimal(chunk: Buffer, from: number, length: number): number {
  let value = 0;
  let i = from;
  const stop = Math.min(length, from + 10);
  for (; i < stop; i++) {
    const digit = (chunk[i] as number) - 48;
    if (digit < 0 || digit > 9) break;
    value = value * 10 + digit;
  }
  if (i === from || i + 1 >= length || chunk[i] !== 13 || chunk[i + 1] !== 10) return -1;
  decimalEnd = i + 2;
  return value;
}

function setRange(range: Range, buffer: Buffer): void {
  range.buffer = buffer;
  range.start = 0;
  range.end = buffer.length;
}

/** `*3` / `$11` → the number; null when it is not one. */
function parseCount(line: Buffer, start: number, end: number): number | null {
  if (end - start < 2) return null;
  let i = start + 1;
  let negative = false;
  if (line[i] === 0x2d) {
    negative = true;
    i++;
  }
  let value = 0;
  for (; i < end; i++) {
    const digit = (line[i] as number) - 48;
    if (digit < 0 || digit > 9) return null;
    value = value * 10 + digit;
  }
  return negative ? -value : value;
}
