// Property: the target manifest loader given any YAML text loads it or gives exit 2 naming the file, never another
// exception.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { loadTarget } from '../../src/targets/index.ts';
import { anyText, mutationsOf, runs, yamlOfAnything } from './arbitraries.ts';
import { loadOutcome, type Outcome } from './expect-invalid-input.ts';

let dir: string;
let counter = 0;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cq-fuzz-target-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function outcomeOf(text: string): Promise<Outcome> {
  const file = join(dir, `target-${counter++}.yaml`);
  await writeFile(file, text);
  return loadOutcome(() => loadTarget(file), file, text);
}

const template = fc.oneof(
  fc.constantFrom('{{port}}', '{{redis.url}}', '{{postgres.url}}', '{{nope}}', '{{', '}}', '{{user}}', '{{ port }}'),
  fc.string({ maxLength: 10 }),
);
const targetShaped = fc
  .record(
    {
      name: fc.oneof(fc.constant('t'), fc.string({ maxLength: 8 }), fc.integer()),
      command: fc.oneof(fc.constant('node'), template),
      args: fc.array(template, { maxLength: 3 }),
      cwd: fc.oneof(fc.constant('.'), template),
      env: fc.dictionary(fc.string({ maxLength: 6 }), fc.oneof(template, fc.integer())),
      health: fc.record(
        { path: template, startTimeoutMs: fc.oneof(fc.integer(), fc.string({ maxLength: 3 })) },
        { requiredKeys: [] },
      ),
      metrics: fc.record({ path: template }, { requiredKeys: [] }),
      session: fc.record(
        {
          login: fc.record(
            {
              method: fc.constantFrom('POST', 'GET', 'FETCH'),
              path: template,
              body: fc.dictionary(fc.string({ maxLength: 5 }), template),
              token: fc.record(
                { from: fc.constantFrom('json', 'header', 'cookie', 'x'), field: template },
                { requiredKeys: [] },
              ),
            },
            { requiredKeys: [] },
          ),
          check: fc.record({ method: fc.constantFrom('GET', 'x'), path: template }, { requiredKeys: [] }),
          token: fc.record({ in: fc.constantFrom('bearer', 'cookie', 'header', 'x') }, { requiredKeys: [] }),
        },
        { requiredKeys: [] },
      ),
      traffic: fc.array(
        fc.record(
          {
            name: fc.string({ maxLength: 5 }),
            method: fc.constantFrom('GET', 'POST', 'x'),
            path: template,
            auth: fc.oneof(fc.boolean(), fc.string({ maxLength: 3 })),
            weight: fc.oneof(fc.integer({ min: -2, max: 100 }), fc.double()),
          },
          { requiredKeys: [] },
        ),
        { maxLength: 3 },
      ),
    },
    { requiredKeys: [] },
  )
  .map((value) => stringify(value));

describe('loadTarget on malformed input', () => {
  it('any text', async () => {
    await fc.assert(
      fc.asyncProperty(anyText, async (text) => void (await outcomeOf(text))),
      { numRuns: runs(300) },
    );
  });

  it('YAML of random values', async () => {
    await fc.assert(
      fc.asyncProperty(yamlOfAnything, async (text) => void (await outcomeOf(text))),
      { numRuns: runs(300) },
    );
  });

  it('manifest-shaped YAML with wrong types and placeholders', async () => {
    const outcomes: Outcome[] = [];
    await fc.assert(
      fc.asyncProperty(targetShaped, async (text) => void outcomes.push(await outcomeOf(text))),
      { numRuns: runs(400) },
    );
    expect(outcomes).toContain('invalid-input');
  });

  it('random edits of the bundled manifests', async () => {
    const outcomes: Outcome[] = [];
    for (const name of ['session-service', 'naive-session-service']) {
      const text = await readFile(new URL(`../../targets/${name}/target.yaml`, import.meta.url), 'utf8');
      await fc.assert(
        fc.asyncProperty(mutationsOf(text), async (edited) => void outcomes.push(await outcomeOf(edited))),
        { numRuns: runs(200) },
      );
    }
    expect(outcomes).toContain('invalid-input');
    expect(outcomes).toContain('loaded');
  });
});
