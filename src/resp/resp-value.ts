// A complete RESP2/RESP3 reply as a tree, parsed from bytes and written back, for the few replies the proxy rewrites.

/** One value: `type` is the RESP type byte ('$', '*', '%', ':', …). */
export interface RespValue {
  type: string;
  /** Simple lines (+ - : , # _ ( ): the text after the type byte. */
  line?: string;
  /** Bulk, verbatim and bulk-error strings: the bytes (null: a RESP2 null bulk). */
  data?: Buffer | null;
  /** Arrays, sets, pushes; maps and attributes hold keys and values in turn. Null: a RESP2 null array. */
  items?: RespValue[] | null;
  /** An attribute (`|`) annotates the value that follows it. */
  annotated?: RespValue;
}

const bulkTypes = new Set(['$', '=', '!']);
const aggregateTypes = new Set(['*', '~', '>']);
const pairTypes = new Set(['%', '|']);

/** Thrown for bytes that are not one complete RESP value; the caller then passes the reply unchanged. */
export class RespShapeError extends Error {}

export function parseRespValue(bytes: Buffer): RespValue {
  const cursor = { pos: 0 };
  const value = readValue(bytes, cursor, 0);
  if (cursor.pos !== bytes.length) throw new RespShapeError(`${bytes.length - cursor.pos} bytes after the value`);
  return value;
}

function readLine(bytes: Buffer, cursor: { pos: number }): string {
  const end = bytes.indexOf('\r\n', cursor.pos);
  if (end < 0) throw new RespShapeError('a line without CRLF');
  const text = bytes.toString('latin1', cursor.pos, end);
  cursor.pos = end + 2;
  return text;
}

function readValue(bytes: Buffer, cursor: { pos: number }, depth: number): RespValue {
  if (depth > 64) throw new RespShapeError('nested too deep');
  const header = readLine(bytes, cursor);
  const type = header.charAt(0);
  const rest = header.slice(1);
  if (bulkTypes.has(type)) {
    const size = Number(rest);
    if (!Number.isInteger(size)) throw new RespShapeError(`bad length ${rest}`);
    if (size < 0) return { type, data: null };
    if (cursor.pos + size + 2 > bytes.length) throw new RespShapeError('a bulk string cut short');
    const data = bytes.subarray(cursor.pos, cursor.pos + size);
    cursor.pos += size + 2;
    return { type, data };
  }
  if (aggregateTypes.has(type) || pairTypes.has(type)) {
    const count = Number(rest);
    if (!Number.isInteger(count)) throw new RespShapeError(`bad count ${rest}`);
    if (count < 0) return { type, items: null };
    const total = pairTypes.has(type) ? 2 * count : count;
    const items: RespValue[] = [];
    for (let i = 0; i < total; i++) items.push(readValue(bytes, cursor, depth + 1));
    if (type === '|') return { type, items, annotated: readValue(bytes, cursor, depth + 1) };
    return { type, items };
  }
  return { type, line: rest };
}

export function writeRespValue(value: RespValue): Buffer {
  const parts: Buffer[] = [];
  write(value, parts);
  return Buffer.concat(parts);
}

function write(value: RespValue, parts: Buffer[]): void {
  if (value.items !== undefined) {
    const items = value.items;
    if (items === null) {
      parts.push(Buffer.from(`${value.type}-1\r\n`, 'latin1'));
      return;
    }
    const count = pairTypes.has(value.type) ? items.length / 2 : items.length;
    parts.push(Buffer.from(`${value.type}${count}\r\n`, 'latin1'));
    for (const item of items) write(item, parts);
    if (value.annotated) write(value.annotated, parts);
    return;
  }
  if (value.data !== undefined) {
    if (value.data === null) {
      parts.push(Buffer.from(`${value.type}-1\r\n`, 'latin1'));
      return;
    }
    parts.push(
      Buffer.from(`${value.type}${value.data.length}\r\n`, 'latin1'),
      value.data,
      Buffer.from('\r\n', 'latin1'),
    );
    return;
  }
  parts.push(Buffer.from(`${value.type}${value.line ?? ''}\r\n`, 'latin1'));
}

/** A bulk or simple string's text, or undefined for any other value. */
export function stringOf(value: RespValue | undefined): string | undefined {
  if (!value) return undefined;
  if (value.data) return value.data.toString('latin1');
  if (value.type === '+') return value.line;
  return undefined;
}

/** An integer reply's number, or undefined. */
export function integerOf(value: RespValue | undefined): number | undefined {
  if (!value || value.type !== ':' || value.line === undefined) return undefined;
  const n = Number(value.line);
  return Number.isInteger(n) ? n : undefined;
}

/** Key/value pairs of a RESP3 map or a RESP2 flat array of pairs. */
export function pairsOf(value: RespValue | undefined): { key: string; value: RespValue }[] | undefined {
  if (!value?.items || (value.type !== '%' && value.type !== '*') || value.items.length % 2 !== 0) return undefined;
  const pairs: { key: string; value: RespValue }[] = [];
  for (let i = 0; i < value.items.length; i += 2) {
    const key = stringOf(value.items[i]);
    if (key === undefined) return undefined;
    pairs.push({ key, value: value.items[i + 1] as RespValue });
  }
  return pairs;
}
