// A fault kind is one record: every kind has exactly one, every view (union, traits, guard, docker and staging refusals,
// backup scope, cross-checks, `cachequake list`, docs/faults.md, the JSON Schema) agrees with it, and no other source
// file enumerates kinds.
import { readFile } from 'node:fs/promises';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { faultRecord, faultRecords, findFaultRecord, type AnyFaultRecord } from '../../src/faults/catalogue.ts';
import { faultKinds, faultSchema, faultSchemas, type FaultSpec } from '../../src/faults/fault-schema.ts';
import { paramsOf, type ParamInfo } from '../../src/faults/fault-list.ts';
import { faultKeyScope, faultNeedsProcess, isDestructive, processNeedOf } from '../../src/faults/fault-traits.ts';
import { checkDockerFaults, dockerSupports } from '../../src/faults/runtime-fault-support.ts';
import { faultDocsFile, faultDocsText } from '../../src/faults/fault-docs.ts';
import { backupScope } from '../../src/safety/backup-scope.ts';
import { checkStagingFaults } from '../../src/safety/staging-preflight.ts';
import { validateExperiment } from '../../src/experiment/load-experiment.ts';
import type { Experiment } from '../../src/experiment/experiment-schema.ts';
import type { LoadedEnvironmentFile } from '../../src/experiment/environment-file-schema.ts';
import { experimentSchemaFile } from '../../src/experiment/experiment-json-schema.ts';
import { CachequakeError } from '../../src/errors/index.ts';
import { runCli } from '../fixtures/run-cli.ts';

const srcDir = fileURLToPath(new URL('../../src/', import.meta.url));
const kinds = faultRecords.map((record) => record.kind);

/** A value that passes a required parameter's schema, by its JSON Schema type. */
function sampleValue(param: ParamInfo): unknown {
  switch (param.type) {
    case 'integer':
    case 'number':
      return 1;
    case 'object':
      return { hz: 10 };
    case 'size':
      return '1mb';
    default:
      return 'cachequake:*';
  }
}

/** The smallest input of a kind (its required parameters), then one variant per value of each enum parameter. */
function inputsOf(record: AnyFaultRecord): Record<string, unknown>[] {
  const params = paramsOf(record);
  const base: Record<string, unknown> = { kind: record.kind };
  for (const param of params) if (param.required) base[param.name] = sampleValue(param);
  return [base, ...params.flatMap((param) => (param.values ?? []).map((value) => ({ ...base, [param.name]: value })))];
}

const specsOf = (record: AnyFaultRecord): FaultSpec[] => inputsOf(record).map((input) => faultSchema.parse(input));

function experimentWith(record: AnyFaultRecord, topology: string, fault = inputsOf(record)[0]) {
  return { name: 'records', redis: { topology, config: { maxmemory: '64mb' } }, faults: [fault] };
}

const topologyOfRecord = (record: AnyFaultRecord) =>
  record.traits.topology === 'any' ? 'single' : record.traits.topology;

const staging: LoadedEnvironmentFile = {
  file: '/staging.env.yaml',
  environment: { name: 'stg', permit: faultKinds, toxiproxy: { proxies: { redis: 'r', postgres: 'p' } } },
} as unknown as LoadedEnvironmentFile;

function thrown(fn: () => void): CachequakeError | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(CachequakeError);
    return error as CachequakeError;
  }
}

describe('one record per fault kind', () => {
  it('every kind has exactly one record, and the union, the kinds and the schemas are the records', () => {
    expect(new Set(kinds).size).toBe(kinds.length);
    expect(faultKinds).toEqual(kinds);
    expect(faultSchema.options).toHaveLength(faultRecords.length);
    expect(Object.keys(faultSchemas)).toEqual(kinds);
    for (const record of faultRecords) {
      expect(faultRecord(record.kind)).toBe(record);
      expect(findFaultRecord(record.kind)).toBe(record);
      expect(faultSchemas[record.kind]).toBe(record.schema);
      expect(record.description.length).toBeGreaterThan(20);
      for (const input of inputsOf(record)) {
        const spec = faultSchema.parse(input);
        expect(spec.kind).toBe(record.kind);
        expect(record.schema.parse(input)).toEqual(spec);
      }
    }
    expect(findFaultRecord('constructor')).toBeUndefined();
    expect(findFaultRecord(undefined)).toBeUndefined();
  });

  it('plan names what each kind will send, for every variant of its parameters', () => {
    for (const record of faultRecords)
      for (const spec of specsOf(record)) {
        const plan = faultRecord(spec.kind).plan(spec, 2000);
        expect(plan.length, record.kind).toBeGreaterThan(0);
        for (const step of plan) expect(step, record.kind).not.toMatch(/undefined|\[object Object\]/);
      }
  });
});

describe('the traits as the rest of cachequake reads them', () => {
  it('isDestructive is the record trait, and only toxics and the outage on a link are not destructive', () => {
    for (const record of faultRecords) {
      expect(record.traits.destructive, record.kind).toBe(record.group !== 'network');
      for (const spec of specsOf(record)) expect(isDestructive(spec), record.kind).toBe(record.traits.destructive);
    }
  });

  it('needs-the-process follows the record; docker and staging refuse exactly those specs, with its wording', () => {
    const needing = new Set<string>();
    for (const record of faultRecords)
      for (const spec of specsOf(record)) {
        const need = record.traits.needsProcess;
        const needs = need !== undefined && (need.when?.(spec as never) ?? true);
        expect(faultNeedsProcess(spec), JSON.stringify(spec)).toBe(needs);
        // docker does to the server's container what the record says it can (kill, start, pause), nothing else
        const inContainer = needs && need?.container !== undefined;
        expect(dockerSupports(spec)).toBe(!needs || inContainer);
        const experiment = { name: 'e', faults: [spec] } as unknown as Experiment;
        const docker = thrown(() => checkDockerFaults([experiment]));
        const onStaging = thrown(() => checkStagingFaults(staging, [experiment]));
        if (!needs) {
          expect(docker).toBeUndefined();
          expect(onStaging).toBeUndefined();
          continue;
        }
        needing.add(need?.what ?? spec.kind);
        expect(processNeedOf(spec)).toEqual({
          what: need?.what ?? spec.kind,
          ...(need?.instead ? { instead: need.instead } : {}),
          ...(need?.container ? { container: need.container } : {}),
        });
        expect(onStaging?.code).toBe('CQ_FAULT_NEEDS_PROCESS');
        expect(onStaging?.message).toContain(`${need?.what ?? spec.kind} needs the server process`);
        if (need?.instead) expect(onStaging?.hint).toBe(`${need.instead}, which needs only a Redis connection.`);
        if (inContainer) {
          expect(docker).toBeUndefined();
          continue;
        }
        expect(docker?.code).toBe('CQ_FAULT_NEEDS_PROCESS');
        expect(docker?.exitCode).toBe(2);
        if (need?.instead) expect(docker?.hint).toBe(`${need.instead}, or run on the local runtime.`);
      }
    // what the docker and staging tests rely on: kill and freeze by SIGSTOP need the process, DEBUG SLEEP does not
    expect(needing).toContain('kill');
    expect(needing).toContain('freeze with method sigstop');
    // and docker does kill, restart and freeze to the container; the Sentinel process faults it refuses
    for (const kind of ['kill', 'restart', 'freeze'])
      expect(dockerSupports(faultSchema.parse({ kind, on: 'redis' })), kind).toBe(true);
    expect(thrown(() => checkDockerFaults([{ name: 'e', faults: [{ kind: 'kill-primary' }] } as never]))?.code).toBe(
      'CQ_FAULT_NEEDS_PROCESS',
    );
    expect(faultNeedsProcess(faultSchema.parse({ kind: 'freeze', method: 'debug-sleep' }))).toBe(false);
  });

  it('backup scope is the record trait, in every database or the admin one', () => {
    for (const record of faultRecords)
      for (const spec of specsOf(record))
        for (const adminDb of [0, 3]) {
          const scope = record.traits.keys?.scope(spec as never, adminDb);
          expect(faultKeyScope(spec, adminDb), record.kind).toEqual(scope);
          expect(backupScope(spec, adminDb), record.kind).toEqual(scope);
          if (scope) expect(record.traits.destructive, record.kind).toBe(true);
        }
    expect(backupScope(faultSchema.parse({ kind: 'config-set', parameters: { hz: 10 } }))).toBeUndefined();
    expect(backupScope(faultSchema.parse({ kind: 'config-set', parameters: { maxmemory: '1mb' } }))?.pattern).toBe('*');
  });

  it('the experiment schema checks the topology a record needs, then its own cross-checks', () => {
    for (const record of faultRecords) {
      const own = topologyOfRecord(record);
      expect(() => validateExperiment(experimentWith(record, own)), record.kind).not.toThrow();
      if (record.traits.topology === 'any') continue;
      for (const other of ['single', 'sentinel', 'cluster'].filter((t) => t !== own)) {
        const error = thrown(() => validateExperiment(experimentWith(record, other)));
        expect(error?.code, record.kind).toBe('CQ_EXPERIMENT_INVALID');
        expect(error?.message).toContain(`faults[0].kind`);
        expect(error?.message).toContain(
          `${record.kind} ${record.traits.topology === 'sentinel' ? 'acts through Sentinel' : 'acts on a Redis Cluster shard'} and needs redis.topology: ${record.traits.topology} (this experiment runs ${other})`,
        );
      }
    }
    // a record's own checks: a shard past redis.shards, DEBUG SLEEP on PostgreSQL, a percentage without maxmemory
    const invalid = (redis: object, fault: object) =>
      thrown(() => validateExperiment({ name: 'records', redis, faults: [fault] }))?.message;
    expect(invalid({ topology: 'cluster' }, { kind: 'kill-shard', shard: 3 })).toContain(
      'faults[0].shard: received 3 (number); shard 3 does not exist: the cluster has shards 0 … 2 (redis.shards: 3)',
    );
    expect(invalid({}, { kind: 'freeze', method: 'debug-sleep', on: 'postgres' })).toContain(
      'faults[0].method: received "debug-sleep" (string); dEBUG SLEEP exists only in Redis',
    );
    expect(invalid({}, { kind: 'fill-memory', to: '50%' })).toContain(
      'faults[0].to: received "50%" (string); a percentage of maxmemory needs redis.config.maxmemory',
    );
  });
});

describe('what people and tools read', () => {
  it('`cachequake list --json` lists every record with its group, description and parameters; the text names each', async () => {
    const [json, text] = await Promise.all([runCli(['list', '--json']), runCli(['list'])]);
    expect(json.code).toBe(0);
    const listed = (
      JSON.parse(json.stdout) as {
        faults: { kind: string; group: string; description: string; params: { name: string }[] }[];
      }
    ).faults;
    expect(listed.map((f) => f.kind)).toEqual(kinds);
    for (const record of faultRecords) {
      const entry = listed.find((f) => f.kind === record.kind);
      expect(entry?.group).toBe(record.group);
      expect(entry?.description).toBe(record.description);
      expect(entry?.params.map((p) => p.name)).toEqual(Object.keys(record.schema.shape).filter((k) => k !== 'kind'));
      expect(text.stdout).toContain(`  ${record.kind.padEnd(13)} [${record.group}] ${record.description}`);
    }
  }, 30_000);

  it('docs/faults.md is generated from the records (run `node src/faults/fault-docs.ts` after changing one)', async () => {
    const docs = await readFile(faultDocsFile, 'utf8');
    expect(docs, 'docs/faults.md is stale: node src/faults/fault-docs.ts').toBe(faultDocsText());
    for (const kind of kinds) expect(docs).toContain(`| [\`${kind}\`](#${kind}) |`);
    expect(await readFile(join(srcDir, '../docs/experiments.md'), 'utf8')).toContain('(faults.md)');
  });

  it('the experiment JSON Schema has one alternative per record', async () => {
    const schema = JSON.parse(await readFile(experimentSchemaFile, 'utf8')) as {
      properties: { faults: { items: { oneOf: { properties: { kind: { const: string } } }[] } } };
    };
    expect(schema.properties.faults.items.oneOf.map((o) => o.properties.kind.const)).toEqual(kinds);
  });
});

describe('adding a fault is one record', () => {
  const sources = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
    );
  const files = sources(srcDir).map((file) => ({ file: relative(srcDir, file), text: readFileSync(file, 'utf8') }));
  const quoted = `['"](${kinds.map((k) => k.replace(/-/g, '\\-')).join('|')})['"]`;

  it("each kind is named once, as its record's kind, in the file that holds its description and traits", () => {
    for (const record of faultRecords) {
      const homes = files.filter(({ text }) => text.includes(`kind: '${record.kind}'`));
      expect(
        homes.map((h) => h.file),
        record.kind,
      ).toHaveLength(1);
      const home = homes[0]?.text ?? '';
      expect(home, record.kind).toContain(record.description.slice(0, 40).replaceAll('\n', ' '));
      expect(home, record.kind).toContain('traits');
    }
    // `grep "fill-memory" src/` lands on its record
    expect(files.filter(({ text }) => text.includes("'fill-memory'")).map((f) => f.file)).toEqual([
      'faults/redis-data-faults.ts',
    ]);
  });

  it('no source file dispatches on a kind or lists kinds: the records and their views do', () => {
    const patterns = [
      new RegExp(`\\bkind\\s*[!=]==?\\s*${quoted}`, 'g'),
      new RegExp(`\\bcase\\s*${quoted}\\s*:`, 'g'),
      new RegExp(`${quoted}\\s*,\\s*${quoted}\\s*,\\s*${quoted}`, 'g'),
    ];
    const found = files.flatMap(({ file, text }) =>
      patterns.flatMap((pattern) => [...text.matchAll(pattern)].map((m) => `src/${file}: ${m[0]}`)),
    );
    expect(found).toEqual([]);
  });
});
