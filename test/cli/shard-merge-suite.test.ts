// Shards and merge end to end, on real services: 4 shards of a selection of the bundled suite, run one after the
// other, merged, hold the same experiments and verdicts as one run of the same selection — and merge exits as that
// run did. Kept short for CI: 3 bundled experiments (3 into 4 shards, so one shard is empty) with 2 s/4 s/3 s phases,
// 200 users, and one expectation each, `sessions.lost == 0`, whose verdict does not depend on timing: against
// naive-session-service FLUSHALL loses every session (failed), 300 ms Redis latency loses none (passed), and a
// PostgreSQL outage is refused before anything starts, as naive-session-service needs no PostgreSQL (error, exit 2).
import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Journal } from '../../src/journal/journal-types.ts';
import { readRunJournal } from '../fixtures/read-run-journal.ts';
import { runCli } from '../fixtures/run-cli.ts';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const selection = [
  'experiments/flushall.yaml',
  'experiments/postgres-outage.yaml',
  'experiments/redis-latency.yaml',
  '--target',
  'naive-session-service',
  ...['phases.baseline=2s', 'phases.fault=4s', 'phases.recovery=3s', 'sessions.users=200']
    .concat(['faults.0.at=1s', 'faults.0.for=2s', 'expect=["sessions.lost == 0"]'])
    .flatMap((set) => ['--set', set]),
];

/** What a verdict is made of, per experiment: the status, each expectation's outcome, the error's code. */
const verdicts = (journal: Journal) =>
  journal.experiments.map((e) => ({
    name: e.name,
    status: e.status,
    expectations: e.expectations.map((x) => [x.expression, x.passed]),
    error: e.error?.code,
  }));

describe('4 shards of the bundled suite, merged', () => {
  it('hold the same experiments and verdicts as a single run, and merge exits as the run did', async () => {
    const env = { GITHUB_STEP_SUMMARY: '' };
    const single = await mkdtemp(join(tmpdir(), 'cq-single-'));
    const whole = await runCli(['run', ...selection, '--reports', single], { cwd: repo, env });
    const reference = await readRunJournal(single);
    expect(verdicts(reference).map((v) => [v.name, v.status])).toEqual([
      ['flushall', 'failed'],
      ['postgres-outage', 'error'],
      ['redis-latency', 'passed'],
    ]);
    expect(whole.code).toBe(2); // an invalid-input error outranks a failed expectation

    const shards = await mkdtemp(join(tmpdir(), 'cq-shards-'));
    const codes: number[] = [];
    for (const i of [1, 2, 3, 4]) {
      const shard = await runCli(['run', ...selection, '--reports', shards], {
        cwd: repo,
        env: { ...env, CACHEQUAKE_SHARD: `${i}/4` },
      });
      codes.push(shard.code);
    }
    const journals = await Promise.all(
      (await readdir(shards)).map(
        async (dir) => JSON.parse(await readFile(join(shards, dir, 'journal.json'), 'utf8')) as Journal,
      ),
    );
    expect(journals.map((j) => j.shard?.index).sort()).toEqual([1, 2, 3, 4]);
    expect(journals.map((j) => j.experiments.length).sort()).toEqual([0, 1, 1, 1]);
    expect(new Set(journals.map((j) => j.shard?.planId)).size).toBe(1);
    expect(codes.sort()).toEqual([0, 0, 1, 2]); // the empty shard and redis-latency pass

    const out = join(shards, 'merged');
    const merged = await runCli(['merge', shards, '--out', out], { cwd: repo, env });
    expect(merged.stderr).toBe('');
    expect(merged.code).toBe(whole.code);
    const mergedJournal = JSON.parse(await readFile(join(out, 'journal.json'), 'utf8')) as Journal;
    expect(verdicts(mergedJournal)).toEqual(verdicts(reference));
    expect(mergedJournal.status).toBe(reference.status);
    expect(mergedJournal.merged?.from).toHaveLength(4);
  }, 240_000);
});
