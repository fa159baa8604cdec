// The shared YAML + zod loader: positions for nested, listed and missing fields, empty files, duplicate keys, and JSON
// Schema.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CachequakeError } from '../../src/errors/index.ts';
import { formatZodIssues, loadYamlFile, parseYamlText, toJsonSchema } from '../../src/schema/index.ts';

const schema = z.strictObject({
  name: z.string(),
  mode: z.enum(['fast', 'safe']).default('safe'),
  steps: z.array(z.strictObject({ kind: z.literal('wait'), seconds: z.number().positive() })).default([]),
});

function errorOf(text: string): CachequakeError {
  try {
    parseYamlText(text, '/tmp/demo.yaml', schema, 'demo', { code: 'CQ_TARGET_INVALID' });
  } catch (error) {
    expect(error).toBeInstanceOf(CachequakeError);
    return error as CachequakeError;
  }
  throw new Error('expected an error');
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cq-yaml-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('loadYamlFile', () => {
  it('returns the parsed, defaulted value of a valid file', async () => {
    const file = join(dir, 'ok.yaml');
    await writeFile(file, 'name: a\nsteps:\n  - { kind: wait, seconds: 2 }\n');
    expect(await loadYamlFile(file, schema, 'demo', { code: 'CQ_TARGET_INVALID' })).toEqual({
      name: 'a',
      mode: 'safe',
      steps: [{ kind: 'wait', seconds: 2 }],
    });
  });

  it('locates a field inside a list item', () => {
    const error = errorOf('name: a\nsteps:\n  - kind: wait\n    seconds: 1\n  - kind: sleep\n    seconds: 0\n');
    expect(error.code).toBe('CQ_TARGET_INVALID');
    expect(error.message).toContain('/tmp/demo.yaml:5:11: steps[1].kind: received "sleep" (string); allowed: "wait"');
    expect(error.message).toContain('/tmp/demo.yaml:6:14: steps[1].seconds: received 0 (number); too small');
  });

  it('points a missing field inside a list item at the item', () => {
    const error = errorOf('name: a\nsteps:\n  - kind: wait\n');
    expect(error.message).toContain('/tmp/demo.yaml:3:5: steps[0].seconds: missing required field (expected number)');
  });

  it('reports an empty file at 1:1', () => {
    expect(errorOf('').message).toContain('/tmp/demo.yaml:1:1: (top level): expected object, received null');
  });

  it('lists the allowed values of an enum also when the value has another type', () => {
    expect(errorOf('name: a\nmode: 3\n').message).toContain(
      '/tmp/demo.yaml:2:7: mode: received 3 (number); allowed: "fast" or "safe"',
    );
  });

  it('treats a duplicate key as a syntax error with its position', () => {
    const error = errorOf('name: a\nname: b\n');
    expect(error.code).toBe('CQ_YAML_SYNTAX');
    expect(error.message).toMatch(/\/tmp\/demo\.yaml:2:1: .*[Uu]nique/);
  });

  it('says when the file cannot be read', async () => {
    await expect(
      loadYamlFile(join(dir, 'missing.yaml'), schema, 'demo', { code: 'CQ_TARGET_INVALID' }),
    ).rejects.toMatchObject({
      code: 'CQ_FILE_NOT_FOUND',
      kind: 'invalid-input',
    });
  });
});

describe('formatZodIssues and JSON Schema', () => {
  it('formats the issues of a TypeScript object by field', () => {
    const value = { name: 'a', mode: 'turbo', extra: true };
    const result = schema.safeParse(value);
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(formatZodIssues(result.error.issues, value, schema).split('\n').sort()).toEqual([
      'extra: unknown key "extra"; allowed keys: "name", "mode" or "steps"',
      'mode: received "turbo" (string); allowed: "fast" or "safe"',
    ]);
  });

  it('raises the catalogue code its caller declares, of class invalid-input (exit 2)', () => {
    let caught: unknown;
    try {
      parseYamlText('name: 3\n', '/tmp/env.yaml', schema, 'environment', { code: 'CQ_ENVIRONMENT_INVALID' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ code: 'CQ_ENVIRONMENT_INVALID', kind: 'invalid-input', exitCode: 2 });
    expect((caught as Error).message).toContain('the environment file /tmp/env.yaml has a problem');
  });

  it('emits the input side: defaults are optional, unknown keys refused', () => {
    const json = toJsonSchema(schema, { id: 'https://example.test/demo.json' }) as {
      $id: string;
      required: string[];
      additionalProperties: boolean;
    };
    expect(json.$id).toBe('https://example.test/demo.json');
    expect(json.required).toEqual(['name']);
    expect(json.additionalProperties).toBe(false);
  });
});
