// The CI recipes, checked for structure since actionlint is not in this toolchain: the GitHub Actions example
// (examples/github-actions/chaos-nightly.yml) is a matrix whose shards, artifacts, cache and merge line up, and the
// GitLab block in docs/ci.md does the same with `parallel:`. No service starts here.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse, parseDocument } from 'yaml';
import { parseShardSpec } from '../../src/experiment/shard-split.ts';

const repo = fileURLToPath(new URL('../../', import.meta.url));

interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  name?: string;
  'runs-on': string;
  needs?: string | string[];
  if?: string;
  'timeout-minutes'?: number;
  strategy?: { 'fail-fast'?: boolean; matrix?: Record<string, unknown[]> };
  env?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  name: string;
  on: { schedule?: { cron: string }[]; workflow_dispatch?: unknown };
  permissions: Record<string, string>;
  jobs: Record<string, Job>;
}

function loadYaml(text: string, what: string): unknown {
  const doc = parseDocument(text);
  expect(
    doc.errors.map((e) => e.message),
    `${what} is valid YAML`,
  ).toEqual([]);
  expect(
    doc.warnings.map((e) => e.message),
    `${what} has no YAML warnings`,
  ).toEqual([]);
  return doc.toJS() as unknown;
}

/** The arguments after `npx cachequake <command>` in a run script, split on blanks (no shell features used). */
function cachequakeArgs(steps: readonly Step[], command: string): string[] {
  const lines = steps.flatMap((s) => (s.run ?? '').split('\n')).map((l) => l.trim());
  const line = lines.find((l) => l.startsWith(`npx cachequake ${command} `));
  expect(line, `a step runs npx cachequake ${command}`).toBeDefined();
  return (line as string).split(/\s+/).slice(3);
}

function optionValue(args: readonly string[], option: string): string {
  const at = args.indexOf(option);
  expect(at, `${option} is given`).toBeGreaterThanOrEqual(0);
  return args[at + 1] as string;
}

/** An artifact name pattern as download-artifact reads it (`*` any run of characters). */
const globMatches = (pattern: string, name: string) =>
  new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`).test(name);

describe('examples/github-actions/chaos-nightly.yml', () => {
  const file = 'examples/github-actions/chaos-nightly.yml';
  const workflow = loadYaml(readFileSync(`${repo}${file}`, 'utf8'), file) as Workflow;
  const chaos = workflow.jobs.chaos as Job;
  const merge = workflow.jobs.merge as Job;
  const shards = chaos.strategy?.matrix?.shard as number[];

  it('is a scheduled workflow whose jobs all have a runner, a timeout and steps that either run or use', () => {
    expect(workflow.on.schedule?.[0]?.cron).toMatch(/^(\S+\s){4}\S+$/);
    expect(workflow.permissions).toEqual({ contents: 'read' });
    for (const [id, job] of Object.entries(workflow.jobs)) {
      expect(job['runs-on'], id).toMatch(/^ubuntu-/);
      expect(job['timeout-minutes'], id).toBeGreaterThan(0);
      for (const step of job.steps) {
        expect([step.run, step.uses].filter(Boolean), `${id}: ${JSON.stringify(step)}`).toHaveLength(1);
        if (step.uses) expect(step.uses, id).toMatch(/^actions\/[a-z-]+(\/[a-z]+)?@v\d+$/);
      }
      for (const need of [job.needs ?? []].flat()) expect(Object.keys(workflow.jobs), id).toContain(need);
    }
  });

  it('runs 4 shards as a matrix that CACHEQUAKE_SHARD turns into every i/4, and lets every shard finish', () => {
    expect(shards).toEqual([1, 2, 3, 4]);
    expect(chaos.strategy?.['fail-fast']).toBe(false);
    const template = chaos.env?.CACHEQUAKE_SHARD as string;
    expect(template).toBe(`\${{ matrix.shard }}/${shards.length}`);
    for (const shard of shards)
      expect(parseShardSpec(template.replace('${{ matrix.shard }}', String(shard)), 'CACHEQUAKE_SHARD')).toEqual({
        index: shard,
        count: shards.length,
      });
    // every matrix value a step names exists
    const text = JSON.stringify(chaos);
    for (const [, key] of text.matchAll(/matrix\.([a-z_-]+)/g))
      expect(Object.keys(chaos.strategy?.matrix ?? {})).toContain(key);
  });

  it("uploads each shard's run directories under its own name, even when the shard failed", () => {
    const runArgs = cachequakeArgs(chaos.steps, 'run');
    expect(runArgs).not.toContain('--shard'); // the matrix passes it through the environment
    const reports = optionValue(runArgs, '--reports');
    const upload = chaos.steps.find((s) => s.uses?.startsWith('actions/upload-artifact@')) as Step;
    expect(upload.if).toBe('always()');
    expect(String(upload.with?.path).replace(/\/$/, '')).toBe(reports.replace(/\/$/, ''));
    expect(upload.with?.name).toContain('${{ matrix.shard }}');
    const names = shards.map((s) => String(upload.with?.name).replace('${{ matrix.shard }}', String(s)));
    expect(new Set(names).size).toBe(shards.length);
  });

  it('merges after every shard, also failed ones, from the downloaded artifacts, and its exit code is the verdict', () => {
    expect([merge.needs].flat()).toContain('chaos');
    expect(merge.if).toContain('always()');
    const download = merge.steps.find((s) => s.uses?.startsWith('actions/download-artifact@')) as Step;
    const upload = chaos.steps.find((s) => s.uses?.startsWith('actions/upload-artifact@')) as Step;
    for (const shard of shards)
      expect(
        globMatches(
          String(download.with?.pattern),
          String(upload.with?.name).replace('${{ matrix.shard }}', `${shard}`),
        ),
      ).toBe(true);
    // and nothing else: the vitest job's artifact is no shard
    const others = Object.values(workflow.jobs)
      .flatMap((job) => job.steps)
      .filter((s) => s !== upload && s.uses?.startsWith('actions/upload-artifact@'))
      .map((s) => String(s.with?.name));
    expect(others.length).toBeGreaterThan(0);
    for (const name of others) expect(globMatches(String(download.with?.pattern), name), name).toBe(false);
    expect(download.with?.['merge-multiple']).toBeUndefined(); // one folder per shard: run ids never collide
    const mergeArgs = cachequakeArgs(merge.steps, 'merge');
    const out = optionValue(mergeArgs, '--out');
    expect(mergeArgs[0]?.replace(/\/$/, '')).toBe(String(download.with?.path).replace(/\/$/, ''));
    const mergeStep = merge.steps.find((s) => s.run?.includes('cachequake merge')) as Step;
    expect(mergeStep.if, 'the merge step itself must fail the job').toBeUndefined();
    const published = merge.steps.find((s) => s.uses?.startsWith('actions/upload-artifact@')) as Step;
    expect(String(published.with?.path).replace(/\/$/, '')).toBe(out);
  });

  it("balances the next night's split by the merged journal, the same file in every shard", () => {
    const restore = chaos.steps.find((s) => s.uses?.startsWith('actions/cache/restore@')) as Step;
    const save = merge.steps.find((s) => s.uses?.startsWith('actions/cache/save@')) as Step;
    const out = optionValue(cachequakeArgs(merge.steps, 'merge'), '--out');
    expect(save.with?.path).toBe(`${out}/journal.json`);
    expect(restore.with?.path).toBe(save.with?.path);
    expect(String(restore.with?.['restore-keys'])).toBe(String(save.with?.key).replace('${{ github.run_id }}', ''));
    const setDurations = chaos.steps.find((s) => s.run?.includes('CACHEQUAKE_DURATIONS')) as Step;
    expect(setDurations.if).toBe(`steps.${restore.id}.outputs.cache-matched-key != ''`);
    expect(setDurations.run?.trim()).toBe(`echo "CACHEQUAKE_DURATIONS=${String(restore.with?.path)}" >> "$GITHUB_ENV"`);
    const stepIds = chaos.steps.map((s) => s.id);
    expect(stepIds.indexOf(restore.id)).toBeLessThan(chaos.steps.indexOf(setDurations));
    expect(chaos.steps.indexOf(setDurations)).toBeLessThan(
      chaos.steps.findIndex((s) => s.run?.includes('cachequake run')),
    );
  });
});

describe('the GitLab CI block in docs/ci.md', () => {
  const doc = readFileSync(`${repo}docs/ci.md`, 'utf8');
  const block = /### GitLab CI[\s\S]*?```yaml\n([\s\S]*?)```/.exec(doc)?.[1] ?? '';
  const pipeline = loadYaml(block, 'the GitLab block') as Record<
    string,
    {
      stage?: string;
      parallel?: number;
      variables?: Record<string, string>;
      needs?: { job: string; artifacts: boolean }[];
      when?: string;
      script?: string[];
      after_script?: string[];
      cache?: { key: string; paths: string[]; policy: string; when?: string };
      artifacts?: { when?: string; paths: string[]; reports?: { junit?: string } };
    }
  >;
  const chaos = pipeline.chaos;
  const merge = pipeline.merge;

  it('runs parallel copies whose CI_NODE_INDEX/CI_NODE_TOTAL is the shard, keeping every shard’s reports', () => {
    expect(block).not.toBe('');
    expect(chaos?.parallel).toBe(4);
    expect(chaos?.variables?.CACHEQUAKE_SHARD).toBe('$CI_NODE_INDEX/$CI_NODE_TOTAL');
    for (let i = 1; i <= 4; i++) expect(parseShardSpec(`${i}/4`, 'CACHEQUAKE_SHARD')).toEqual({ index: i, count: 4 });
    const run = chaos?.script?.find((l) => l.startsWith('npx cachequake run ')) ?? '';
    const reports = optionValue(run.split(/\s+/), '--reports');
    expect(chaos?.artifacts).toMatchObject({ when: 'always', paths: [`${reports}/`] });
  });

  it('merges all shards’ artifacts even after a failure, publishes the JUnit, and caches the journal for the split', () => {
    expect(merge?.needs).toEqual([{ job: 'chaos', artifacts: true }]);
    expect(merge?.when).toBe('always');
    const line = merge?.script?.find((l) => l.startsWith('npx cachequake merge ')) ?? '';
    const args = line.split(/\s+/).slice(3);
    expect(args[0]).toBe(chaos?.artifacts?.paths[0]);
    const out = optionValue(args, '--out');
    expect(merge?.artifacts?.reports?.junit).toBe(`${out}/junit.xml`);
    expect(merge?.cache).toMatchObject({ key: chaos?.cache?.key, policy: 'push', when: 'always' });
    expect(chaos?.cache?.policy).toBe('pull');
    expect(merge?.after_script?.join('\n')).toContain(`cp ${out}/journal.json ${merge?.cache?.paths[0]}`);
    expect(chaos?.script?.join('\n')).toContain(`CACHEQUAKE_DURATIONS=${chaos?.cache?.paths[0]}journal.json`);
    expect(parse(block)).toHaveProperty('stages', ['chaos', 'verdict']);
  });
});
