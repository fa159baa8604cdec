// Decodes request bodies the way Go's encoding/json does for Toxiproxy: first value only, case-insensitive keys, strict
// types.

/** A decoding failure; the message is Go's error text (the API prefixes `bad request body: `). */
export class BadBodyError extends Error {
  override name = 'BadBodyError';
}

export type FieldKind = 'string' | 'bool' | 'int64' | 'int' | 'float32' | 'object';

export interface FieldSpec {
  /** JSON name; keys match it case-insensitively. */
  readonly name: string;
  readonly kind: FieldKind;
  /** Go type for `object` fields in error messages. */
  readonly goType?: string;
}

/** Parses the first JSON value of a body and ignores what follows it, as json.Decoder.Decode does. */
export function decodeFirstValue(text: string): unknown {
  let start = 0;
  while (start < text.length && ' \t\r\n'.includes(text[start] as string)) start++;
  if (start === text.length) throw new BadBodyError('EOF');
  const end = valueEnd(text, start);
  try {
    return JSON.parse(text.slice(start, end));
  } catch {
    const first = text[start] as string;
    if (!'{["-0123456789tfn'.includes(first))
      throw new BadBodyError(`invalid character '${first}' looking for beginning of value`);
    throw new BadBodyError(
      end >= text.length && '{['.includes(first) ? 'unexpected EOF' : `invalid JSON value starting at offset ${start}`,
    );
  }
}

function valueEnd(text: string, start: number): number {
  const first = text[start];
  if (first === '{' || first === '[') {
    let depth = 0;
    for (let i = start; i < text.length; i++) {
      const ch = text[i];
      if (ch === '"') i = stringEnd(text, i) - 1;
      else if (ch === '{' || ch === '[') depth++;
      else if (ch === '}' || ch === ']') {
        depth--;
        if (depth === 0) return i + 1;
      }
    }
    return text.length;
  }
  if (first === '"') return stringEnd(text, start);
  let i = start;
  while (i < text.length && /[-+.\w]/.test(text[i] as string)) i++;
  return Math.max(i, start + 1);
}

function stringEnd(text: string, quote: number): number {
  for (let i = quote + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i + 1;
  }
  return text.length;
}

/** The JSON type word Go uses in `cannot unmarshal <type>`. */
export function jsonTypeOf(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'boolean') return 'bool';
  return typeof value;
}

/**
 * Decodes `value` into `target` over `fields`; keys match case-insensitively, later keys win, unknown keys and
 * `null` values are ignored, a wrong type throws with Go's message.
 */
export function decodeInto(
  value: unknown,
  goType: string,
  fields: readonly FieldSpec[],
  target: Record<string, unknown>,
): void {
  if (value === null) return;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new BadBodyError(`json: cannot unmarshal ${jsonTypeOf(value)} into Go value of type ${goType}`);
  }
  const struct = goType.slice(goType.lastIndexOf('.') + 1);
  for (const [key, fieldValue] of Object.entries(value as Record<string, unknown>)) {
    const field = fields.find((f) => f.name.toLowerCase() === key.toLowerCase());
    if (!field || fieldValue === null) continue;
    const where = `Go struct field ${struct}.${field.name}`;
    target[field.name] = checkField(fieldValue, field, where);
  }
}

function checkField(value: unknown, field: FieldSpec, where: string): unknown {
  const type = jsonTypeOf(value);
  const wrong = (goType: string, shown = type): BadBodyError =>
    new BadBodyError(`json: cannot unmarshal ${shown} into ${where} of type ${goType}`);
  switch (field.kind) {
    case 'string':
      if (typeof value !== 'string') throw wrong('string');
      return value;
    case 'bool':
      if (typeof value !== 'boolean') throw wrong('bool');
      return value;
    case 'float32':
      if (typeof value !== 'number') throw wrong('float32');
      return value;
    case 'int64':
    case 'int':
      if (typeof value !== 'number') throw wrong(field.kind);
      if (!Number.isSafeInteger(value)) throw wrong(field.kind, `number ${value}`);
      return value;
    case 'object':
      if (type !== 'object') throw wrong(field.goType ?? 'struct');
      return value;
  }
}
