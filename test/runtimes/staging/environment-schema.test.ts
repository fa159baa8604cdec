// schemas/environment.schema.json is what the environment file schema emits today (regenerate: node
// src/experiment/environment-json-schema.ts).
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { environmentJsonSchemaText, environmentSchemaFile } from '../../../src/experiment/environment-json-schema.ts';

describe('environment JSON Schema', () => {
  it('is up to date with the zod schema (every fault kind in permit included)', async () => {
    const text = await readFile(environmentSchemaFile, 'utf8');
    expect(text, 'run: npx node src/experiment/environment-json-schema.ts').toBe(environmentJsonSchemaText());
    expect(text).toContain('"flushall"');
  });
});
