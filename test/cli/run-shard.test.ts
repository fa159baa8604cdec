// `cachequake run --shard i/n` as a CI matrix calls it, with --dry-run so nothing starts (no ports): the four shards of
// the bundled suite hold every experiment exactly once, CACHEQUAKE_SHARD does the same, --durations changes the
// balance, and bad values exit 2 naming the flag or variable and the fix.
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import type { ExperimentJournal, Journal } from '../../src/journal/journal-types.ts';
import { runCli } from '../fixtures/run-cli.ts';
import { loadFixture } from '../reports/journal-fixtures.ts';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const bundled = readdirSync(join(repo, 'experiments'))
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => f.replace(/\.yaml$/, ''));

/** The experiment names a dry run plans, and its shard line. */
function planned(stdout: string): { names: string[]; shardLine: string | undefined } {
  const names = [...stdout.matchAll(/^experiment (\S+) \(/gm)].map((m) => m[1] as string);
  return { names, shardLine: stdout.split('\n').find((l) => l.startsWith('— shard')) };
}

describe('cachequake run --shard', () => {
  it('splits the bundled suite into 4 shards that hold every experiment exactly once', async () => {
    const shards = await Promise.all(
      [1, 2, 3, 4].map((i) => runCli(['run', 'experiments/', '--dry-run', '--shard', `${i}/4`], { cwd: repo })),
    );
    for (const shard of shards) expect(shard.code).toBe(0);
    const names = shards.map((s) => planned(s.stdout).names);
    expect(names.flat().sort()).toEqual([...bundled].sort());
    for (const list of names) expect(list.length).toBeGreaterThanOrEqual(3);
    expect(planned(shards[1]?.stdout ?? '').shardLine).toMatch(
      new RegExp(`^— shard 2/4: ${names[1]?.length} of ${bundled.length} experiments, split by declared phase time$`),
    );
    // the same variable a CI matrix sets gives the same shard
    const fromEnv = await runCli(['run', 'experiments/', '--dry-run'], {
      cwd: repo,
      env: { CACHEQUAKE_SHARD: '2/4' },
    });
    expect(planned(fromEnv.stdout).names).toEqual(names[1]);
  });

  it('balances by an earlier run’s measured durations with --durations', async () => {
    // a made-up earlier run: every experiment took 30 s but flushall 10 min, so flushall gets a shard of its own
    const dir = await mkdtemp(join(tmpdir(), 'cq-durations-'));
    const base = loadFixture('passed');
    const entry = base.experiments[0] as ExperimentJournal;
    const experiments = bundled.map((name) => ({
      ...entry,
      name,
      durationMs: name === 'flushall' ? 600_000 : 30_000,
    }));
    const earlier: Journal = { ...base, experiments };
    await mkdir(join(dir, 'shard-1', 'run'), { recursive: true });
    await writeFile(join(dir, 'shard-1', 'run', 'journal.json'), JSON.stringify(earlier));
    const [first, second] = await Promise.all(
      [1, 2].map((i) =>
        runCli(['run', 'experiments/', '--dry-run', '--shard', `${i}/2`, '--durations', dir], { cwd: repo }),
      ),
    );
    expect(planned(first?.stdout ?? '').names).toEqual(['flushall']);
    expect(planned(second?.stdout ?? '').names).toHaveLength(bundled.length - 1);
    expect(planned(first?.stdout ?? '').shardLine).toContain(`split by measured durations (${dir})`);
  });

  it.each([
    [['--shard', '0/4'], /CQ_SHARD_INVALID: --shard "0\/4": the shard number must be 1 to 4/, {}],
    [['--shard', 'abc'], /CQ_SHARD_INVALID: --shard "abc": expected i\/n/, {}],
    [[], /CQ_SHARD_INVALID: CACHEQUAKE_SHARD="5\/4": the shard number/, { CACHEQUAKE_SHARD: '5/4' }],
    [['--durations', 'reports/'], /CQ_OPTION_INVALID: --durations only balances a split: it needs --shard i\/n/, {}],
  ])('refuses %j with exit 2 and the fix, starting nothing', async (args, message, env) => {
    const result = await runCli(['run', 'experiments/flushall.yaml', ...args], { cwd: repo, env });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toMatch(/\n {2}(Write --shard i\/n|Set CACHEQUAKE_SHARD=i\/n|Add --shard i\/n)/);
    expect(result.stderr).not.toMatch(/\n\s+at .*\.ts:\d+/);
    expect(result.stdout).not.toContain('running');
  });
});
