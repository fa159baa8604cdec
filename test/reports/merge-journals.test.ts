// Merging shard journals: the experiments back in selection order, the worst status, and a clear refusal (exit 2) of
// journals that do not form one run — other versions, an experiment twice, a missing shard, another split. Then the
// `cachequake merge` command on journal files (no services started): its files and its exit code.
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isCachequakeError } from '../../src/errors/index.ts';
import type { ExperimentJournal, Journal } from '../../src/journal/journal-types.ts';
import { checkOneVersion, mergeJournals, type MergeInput } from '../../src/reports/merge-journals.ts';
import { runCli } from '../fixtures/run-cli.ts';
import { loadFixture, type FixtureName } from './journal-fixtures.ts';

/** A shard journal holding copies of fixture experiments renamed; positions are their places in the whole selection. */
function shard(
  index: number,
  count: number,
  experiments: { name: string; from: FixtureName; position: number }[],
  planId = 'plan-a',
): Journal {
  const base = loadFixture('passed');
  const entries: ExperimentJournal[] = experiments.map(({ name, from }) => ({
    ...(loadFixture(from).experiments[0] as ExperimentJournal),
    name,
  }));
  return {
    ...base,
    runId: `run-${index}-${planId}`,
    status: entries.some((e) => e.status === 'error')
      ? 'error'
      : entries.some((e) => e.status === 'failed')
        ? 'failed'
        : 'passed',
    shard: {
      index,
      count,
      rule: 'declared',
      selectedCount: 4,
      planId,
      experiments: experiments.map(({ name, position }) => ({ name, position, weightMs: 1000, measured: false })),
    },
    experiments: entries,
  };
}

const fourShards = (): MergeInput[] => [
  { file: 's2/journal.json', journal: shard(2, 4, [{ name: 'b', from: 'failed', position: 1 }]) },
  {
    file: 's1/journal.json',
    journal: shard(1, 4, [
      { name: 'a', from: 'passed', position: 0 },
      { name: 'd', from: 'passed', position: 3 },
    ]),
  },
  { file: 's3/journal.json', journal: shard(3, 4, [{ name: 'c', from: 'passed', position: 2 }]) },
  { file: 's4/journal.json', journal: shard(4, 4, []) },
];

function refusal(fn: () => unknown): { code: string; message: string; exitCode: number; hint?: string } {
  try {
    fn();
  } catch (error) {
    if (isCachequakeError(error))
      return { code: error.code, message: error.message, exitCode: error.exitCode, hint: error.hint };
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('mergeJournals', () => {
  it('puts every shard’s experiments back in selection order, with the worst status and where each came from', () => {
    const merged = mergeJournals(fourShards(), 'merged-run');
    expect(merged.experiments.map((e) => [e.name, e.status])).toEqual([
      ['a', 'passed'],
      ['b', 'failed'],
      ['c', 'passed'],
      ['d', 'passed'],
    ]);
    expect(merged).toMatchObject({ version: 1, runId: 'merged-run', status: 'failed' });
    expect(merged.shard).toBeUndefined();
    expect(merged.merged?.from.map((f) => [f.file, f.shard?.index, f.experiments])).toEqual([
      ['s2/journal.json', 2, 1],
      ['s1/journal.json', 1, 2],
      ['s3/journal.json', 3, 1],
      ['s4/journal.json', 4, 0],
    ]);
  });

  it('refuses an experiment that ran in two shards, naming it and both files', () => {
    const inputs = fourShards();
    (inputs[2] as MergeInput).journal.experiments.push({
      ...(loadFixture('passed').experiments[0] as ExperimentJournal),
      name: 'b',
    });
    const error = refusal(() => mergeJournals(inputs, 'x'));
    expect(error).toMatchObject({ code: 'CQ_MERGE_CONFLICT', exitCode: 2 });
    expect(error.message).toContain('b: in s2/journal.json and s3/journal.json');
  });

  it('refuses journals of different schema versions, naming each file and its version', () => {
    const error = refusal(() =>
      checkOneVersion([
        { file: 'a/journal.json', version: 1 },
        { file: 'b/journal.json', version: 2 },
      ]),
    );
    expect(error).toMatchObject({ code: 'CQ_MERGE_CONFLICT', exitCode: 2 });
    expect(error.message).toMatch(
      /different schema versions:\n {2}a\/journal.json: version 1\n {2}b\/journal.json: version 2/,
    );
  });

  it('refuses a missing shard, a shard given twice, and shards of another split', () => {
    const missing = fourShards().filter((i) => i.journal.shard?.index !== 3);
    expect(refusal(() => mergeJournals(missing, 'x')).message).toMatch(
      /shard\(s\) 3 of 4 missing: got 1\/4, 2\/4, 4\/4/,
    );

    const twice = fourShards();
    twice.push({ file: 's3-again/journal.json', journal: { ...shard(3, 4, []), runId: 'rerun' } });
    expect(refusal(() => mergeJournals(twice, 'x')).message).toMatch(
      /shard 3\/4 is given twice: s3\/journal.json and s3-again\/journal.json/,
    );

    const otherSplit = fourShards();
    (otherSplit[3] as MergeInput).journal = shard(4, 4, [], 'plan-b');
    expect(refusal(() => mergeJournals(otherSplit, 'x')).message).toMatch(/s4\/journal.json .* is of another split/);

    const sameRun = fourShards();
    sameRun.push({ file: 'copy/journal.json', journal: (sameRun[0] as MergeInput).journal });
    expect(refusal(() => mergeJournals(sameRun, 'x')).message).toMatch(/is given twice: s2\/journal.json and copy/);
  });

  it('merges whole runs (no shards) in the order given', () => {
    const a = { ...loadFixture('passed'), runId: 'r1' };
    const b = { ...loadFixture('error'), runId: 'r2' };
    (b.experiments[0] as ExperimentJournal).name = 'incident-2am-bad-config';
    const merged = mergeJournals(
      [
        { file: 'r1', journal: a },
        { file: 'r2', journal: b },
      ],
      'm',
    );
    expect(merged.experiments.map((e) => e.name)).toEqual(['incident-2am', 'incident-2am-bad-config']);
    expect(merged.status).toBe('error');
  });
});

describe('cachequake merge', () => {
  async function writeRuns(inputs: MergeInput[]): Promise<{ root: string; dirs: string[] }> {
    const root = await mkdtemp(join(tmpdir(), 'cq-merge-'));
    const dirs: string[] = [];
    for (const { journal } of inputs) {
      const dir = join(root, journal.runId);
      await mkdir(dir);
      await writeFile(join(dir, 'journal.json'), JSON.stringify(journal));
      dirs.push(dir);
    }
    return { root, dirs };
  }

  it('writes one journal and its reports, and exits with the worst class (1: an expectation failed)', async () => {
    const { root } = await writeRuns(fourShards());
    const out = join(root, 'merged');
    // a folder of run directories, as CI downloads the shards' artifacts; the output lies inside and is left out
    await runCli(['merge', root, '--out', out], { env: { GITHUB_STEP_SUMMARY: '' } });
    const result = await runCli(['merge', root, '--out', out], { env: { GITHUB_STEP_SUMMARY: '' } });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/merged 4 run\(s\) \(shards 1\/4, 2\/4, 3\/4, 4\/4\), 4 experiment\(s\)/);
    const merged = JSON.parse(await readFile(join(out, 'journal.json'), 'utf8')) as Journal;
    expect(merged.experiments.map((e) => e.name)).toEqual(['a', 'b', 'c', 'd']);
    const junit = await readFile(join(out, 'junit.xml'), 'utf8');
    for (const name of ['a', 'b', 'c', 'd']) expect(junit).toContain(`name="${name}"`);
    expect(await readFile(join(out, 'summary.md'), 'utf8')).toContain('b');
    expect(await readFile(join(out, 'report.html'), 'utf8')).toContain('<html');
    // the merged directory is itself a run directory: `report` renders it again
    expect((await runCli(['report', out], { env: { GITHUB_STEP_SUMMARY: '' } })).code).toBe(0);
  });

  it('exits 2 with one clear message for a duplicated experiment or another schema version, writing nothing', async () => {
    const inputs = fourShards();
    (inputs[0] as MergeInput).journal.experiments[0] = {
      ...(loadFixture('passed').experiments[0] as ExperimentJournal),
      name: 'a',
    };
    const { root, dirs } = await writeRuns(inputs);
    const duplicated = await runCli(['merge', ...dirs, '--out', join(root, 'merged')]);
    expect(duplicated.code).toBe(2);
    expect(duplicated.stderr).toMatch(
      /^CQ_MERGE_CONFLICT: 1 experiment\(s\) appear in more than one journal:\n {2}a: in /,
    );
    expect(duplicated.stderr).not.toMatch(/\n\s+at .*\.ts:\d+/);

    const other = await writeRuns([{ file: '', journal: { ...shard(1, 1, []), version: 2 as 1 } }]);
    const versions = await runCli(['merge', dirs[1] as string, ...other.dirs, '--out', join(root, 'merged2')]);
    expect(versions.code).toBe(2);
    expect(versions.stderr).toMatch(/CQ_MERGE_CONFLICT: the journals have different schema versions:/);
    expect(versions.stderr).toMatch(/journal.json: version 2/);
    await expect(readFile(join(root, 'merged', 'journal.json'))).rejects.toThrow();
  });
});
