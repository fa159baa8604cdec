// Property: the experiment loader given any YAML text (noise, random values, experiment-shaped junk, edited real files)
// loads it or gives exit 2 naming the file.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { loadExperimentFile } from '../../src/experiment/load-experiment.ts';
import { anyText, mutationsOf, runs, yamlOfAnything } from './arbitraries.ts';
import { loadOutcome, type Outcome } from './expect-invalid-input.ts';

let dir: string;
let counter = 0;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cq-fuzz-exp-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function outcomeOf(text: string): Promise<Outcome> {
  const file = join(dir, `fuzz-${counter++}.yaml`);
  await writeFile(file, text);
  return loadOutcome(() => loadExperimentFile(file), file, text);
}

const duration = fc.oneof(
  fc.constantFrom('5s', '0s', '500ms', '1m', '-1s', '1e9h', '10', '5 s', 's', '2.5s', ''),
  fc.integer(),
  fc.string({ maxLength: 6 }),
);
const kinds = [
  'latency',
  'bandwidth',
  'timeout',
  'reset-peer',
  'slicer',
  'limit-data',
  'slow-close',
  'outage',
  'flushall',
  'flushdb',
  'fill-memory',
  'maxmemory',
  'config-set',
  'client-pause',
  'freeze',
  'kill',
  'restart',
  'expire',
  'client-kill',
  'maxclients',
  'nope',
];
const metric = fc.constantFrom(
  'sessions.lost',
  'http.latency.p99',
  'http.error_rate',
  'recovery.seconds',
  'redis.evicted_keys',
  'target.x',
  'nope',
  '',
);
const label = fc.oneof(
  fc.constant(''),
  fc.constantFrom('{phase=fault}', '{phase=}', '{phase=nope}', '{', '{a=b,c=d}', '}'),
);
const op = fc.constantFrom('<', '<=', '>', '>=', '==', '!=', '=', '<>', '');
const unit = fc.constantFrom('', 'ms', 's', '%', 'kb', 'mb', 'parsecs');
const expectation = fc
  .tuple(
    metric,
    label,
    op,
    fc.oneof(fc.double(), fc.integer(), fc.constantFrom('NaN', 'Infinity', '-0', '1e400')),
    unit,
  )
  .map(([m, l, o, n, u]) => `${m}${l} ${o} ${String(n)}${u}`);
const number = fc.oneof(fc.integer({ min: -10, max: 1_000_000 }), fc.double(), fc.string({ maxLength: 5 }));
const experimentShaped = fc
  .record(
    {
      name: fc.oneof(fc.constant('fuzz'), fc.string({ maxLength: 10 }), fc.integer()),
      target: fc.oneof(fc.constant('session-service'), fc.string({ maxLength: 10 })),
      redis: fc.record(
        {
          config: fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.string({ maxLength: 8 }), fc.integer())),
          configFile: fc.string({ maxLength: 8 }),
          persistence: fc.anything({ maxDepth: 1 }),
        },
        { requiredKeys: [] },
      ),
      postgres: fc.oneof(fc.boolean(), fc.string({ maxLength: 4 })),
      sessions: fc.record({ users: number, rememberMe: number, samplePerSecond: number }, { requiredKeys: [] }),
      load: fc.record({ rate: number, timeout: duration }, { requiredKeys: [] }),
      phases: fc.record({ baseline: duration, fault: duration, recovery: duration }, { requiredKeys: [] }),
      faults: fc.array(
        fc.record(
          {
            kind: fc.constantFrom(...kinds),
            on: fc.constantFrom('redis', 'postgres', 'x'),
            at: duration,
            for: duration,
            latencyMs: number,
            to: fc.oneof(fc.constantFrom('150%', '32mb', '0%', '-1%', '1e3gb', '20gib'), number),
            ttl: fc.oneof(fc.constant('none'), duration),
            mode: fc.constantFrom('sync', 'async', 'write', 'all', 'x'),
            toxicity: number,
            pattern: fc.string({ maxLength: 5 }),
            parameters: fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 })),
          },
          { requiredKeys: ['kind'] },
        ),
        { maxLength: 3 },
      ),
      expect: fc.array(fc.oneof(expectation, fc.string({ maxLength: 20 })), { maxLength: 4 }),
      abort: fc.array(
        fc.oneof(
          expectation.map((e) => `${e} for 10s`),
          fc.string({ maxLength: 20 }),
        ),
        { maxLength: 2 },
      ),
      steadyState: fc.array(fc.record({ get: fc.string({ maxLength: 8 }), status: number }, { requiredKeys: [] }), {
        maxLength: 2,
      }),
    },
    { requiredKeys: [] },
  )
  .map((value) => stringify(value));

describe('loadExperimentFile on malformed input', () => {
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

  it('experiment-shaped YAML with wrong types, units and expectations', async () => {
    const outcomes: Outcome[] = [];
    await fc.assert(
      fc.asyncProperty(experimentShaped, async (text) => void outcomes.push(await outcomeOf(text))),
      { numRuns: runs(400) },
    );
    expect(outcomes).toContain('invalid-input');
  });

  it('random edits of the bundled experiments', async () => {
    const texts = await Promise.all(
      ['incident-2am.yaml', 'flushall.yaml', 'noeviction-oom.yaml'].map((f) =>
        readFile(new URL(`../../experiments/${f}`, import.meta.url), 'utf8'),
      ),
    );
    const outcomes: Outcome[] = [];
    for (const text of texts) {
      await fc.assert(
        fc.asyncProperty(mutationsOf(text), async (edited) => void outcomes.push(await outcomeOf(edited))),
        { numRuns: runs(150) },
      );
    }
    // the edits must not all be harmless: most break the file, some leave it loadable
    expect(outcomes).toContain('invalid-input');
    expect(outcomes).toContain('loaded');
  });
});
