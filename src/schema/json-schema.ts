// Emits the JSON Schema of a zod schema (for editors: `# yaml-language-server: $schema=…`) and writes it as a file.
import { writeFile, readFile } from 'node:fs/promises';
import { z } from 'zod';

export interface JsonSchemaOptions {
  /** `$id` of the emitted schema, e.g. `https://cachequake.dev/schemas/target.schema.json`. */
  id?: string;
  title?: string;
  description?: string;
}

/** The JSON Schema (draft 2020-12) of the input side of `schema`, so defaults are optional for the author. */
export function toJsonSchema(schema: z.ZodType, options: JsonSchemaOptions = {}): Record<string, unknown> {
  const body = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  const { $schema, ...rest } = body;
  return {
    $schema,
    ...(options.id ? { $id: options.id } : {}),
    ...(options.title ? { title: options.title } : {}),
    ...(options.description ? { description: options.description } : {}),
    ...rest,
  };
}

/** The JSON Schema as the text committed under schemas/ (stable key order, trailing newline). */
export function jsonSchemaText(schema: z.ZodType, options: JsonSchemaOptions = {}): string {
  return `${JSON.stringify(toJsonSchema(schema, options), null, 2)}\n`;
}

/** Writes the schema file; returns true when the content changed. */
export async function writeJsonSchemaFile(
  file: string,
  schema: z.ZodType,
  options: JsonSchemaOptions = {},
): Promise<boolean> {
  const text = jsonSchemaText(schema, options);
  const before = await readFile(file, 'utf8').catch(() => '');
  if (before === text) return false;
  await writeFile(file, text);
  return true;
}
