// Walks a zod schema along an issue path (guided by the data) to find the sub-schema there: its allowed keys and
// values.
import type { z } from 'zod';

/** The few fields of a zod 4 definition this walk reads; anything else is ignored. */
interface LooseDef {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  element?: z.ZodType;
  valueType?: z.ZodType;
  options?: z.ZodType[];
  in?: z.ZodType;
  entries?: Record<string, string | number>;
  values?: unknown[];
}

function defOf(schema: z.ZodType): LooseDef {
  return (schema as unknown as { _zod: { def: LooseDef } })._zod.def;
}

const wrappers = new Set(['optional', 'nullable', 'default', 'prefault', 'readonly', 'nonoptional', 'catch']);

/** Strips optional/default/pipe wrappers; for a union, picks the option the data fits best. */
export function unwrapSchema(schema: z.ZodType, data: unknown): z.ZodType {
  let current = schema;
  for (let i = 0; i < 20; i++) {
    const def = defOf(current);
    if (wrappers.has(def.type) && def.innerType) current = def.innerType;
    else if (def.type === 'pipe' && def.in) current = def.in;
    else if (def.type === 'union' && def.options) current = bestOption(def.options, data);
    else return current;
  }
  return current;
}

function bestOption(options: z.ZodType[], data: unknown): z.ZodType {
  let best = options[0] as z.ZodType;
  let fewest = Number.POSITIVE_INFINITY;
  for (const option of options) {
    const result = option.safeParse(data);
    const count = result.success ? 0 : result.error.issues.length;
    if (count < fewest) {
      fewest = count;
      best = option;
    }
  }
  return best;
}

/** The schema at `path` (undefined when the path leaves the schema, e.g. an unknown key). */
export function schemaAtPath(root: z.ZodType, data: unknown, path: readonly PropertyKey[]): z.ZodType | undefined {
  let schema: z.ZodType | undefined = root;
  let value: unknown = data;
  for (const key of path) {
    if (!schema) return undefined;
    const def = defOf(unwrapSchema(schema, value));
    if (def.type === 'object' && def.shape) schema = def.shape[String(key)];
    else if (def.type === 'array' && def.element) schema = def.element;
    else if (def.type === 'record' && def.valueType) schema = def.valueType;
    else return undefined;
    value = value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  }
  return schema ? unwrapSchema(schema, value) : undefined;
}

/** The keys an object schema allows, or undefined when it is not an object. */
export function allowedKeys(schema: z.ZodType | undefined): string[] | undefined {
  if (!schema) return undefined;
  const def = defOf(schema);
  return def.type === 'object' && def.shape ? Object.keys(def.shape) : undefined;
}

/** The values an enum or literal schema allows, or undefined. */
export function allowedValues(schema: z.ZodType | undefined): unknown[] | undefined {
  if (!schema) return undefined;
  const def = defOf(schema);
  if (def.type === 'enum' && def.entries) return Object.values(def.entries);
  if (def.type === 'literal' && def.values) return def.values;
  return undefined;
}

/** A short name of the schema's type, for "expected …" in messages. */
export function schemaTypeName(schema: z.ZodType | undefined): string | undefined {
  return schema ? defOf(schema).type : undefined;
}
