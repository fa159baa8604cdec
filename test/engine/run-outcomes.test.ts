// Outcomes of `cachequake run` beyond pass/fail: abort conditions (exit 4), environment errors (exit 3), --parallel.
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { readRunJournal } from '../fixtures/read-run-journal.ts';
import { runCli } from '../fixtures/run-cli.ts';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const fixture = (path: string) => fileURLToPath(new URL(`../fixtures/${path}`, import.meta.url));

describe('run outcomes', () => {
  it('stops a game day when an abort condition holds: faults reverted, status aborted, exit 4', async () => {
    const reports = await mkdtemp(join(tmpdir(), 'cq-reports-'));
    const started = Date.now();
    const result = await runCli(['run', fixture('experiments/abort-on-errors.yaml'), '--reports', reports]);
    expect(result.code).toBe(4);
    expect(Date.now() - started).toBeLessThan(20_000); // long before the 23 s the phases would take
    const [experiment] = (await readRunJournal(reports)).experiments;
    expect(experiment?.status).toBe('aborted');
    expect(experiment?.abort?.reason).toBe('abort condition held: http.error_rate > 50% for 2s');
    expect(experiment?.abort?.atMs).toBeLessThan(8000);
    expect(experiment?.faults[0]).toMatchObject({
      kind: 'outage',
      status: 'reverted',
      revertEvidence: { enabled: true },
    });
  });

  it('reports a target that cannot start as an environment error (exit 3) with the reason', async () => {
    const reports = await mkdtemp(join(tmpdir(), 'cq-reports-'));
    const result = await runCli(
      [
        'run',
        'experiments/flushall.yaml',
        '--target',
        fixture('targets/missing-binary/target.yaml'),
        '--reports',
        reports,
      ],
      { cwd: repo },
    );
    expect(result.code).toBe(3);
    expect(result.stdout).toContain('CQ_TARGET_SPAWN_FAILED');
    const [experiment] = (await readRunJournal(reports)).experiments;
    expect(experiment?.status).toBe('error');
    expect(experiment?.steps.find((s) => s.name === 'start environment')?.status).toBe('failed');
  });

  it('--parallel 2 runs two experiments at once, each with its own ports', async () => {
    const reports = await mkdtemp(join(tmpdir(), 'cq-reports-'));
    const short = [
      '--set',
      'phases.baseline=1s',
      '--set',
      'phases.fault=3s',
      '--set',
      'phases.recovery=2s',
      '--set',
      'sessions.users=50',
      '--set',
      'load.rate=50',
    ];
    const started = Date.now();
    const result = await runCli(
      [
        'run',
        'experiments/flushall.yaml',
        'experiments/redis-freeze.yaml',
        ...short,
        '--set',
        'faults.0.at=1s',
        '--set',
        'faults.0.for=1s',
        '--set',
        'expect=[sessions.lost == 0]',
        '--parallel',
        '2',
        '--reports',
        reports,
      ],
      { cwd: repo },
    );
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const journal = await readRunJournal(reports);
    expect(journal.experiments.map((e) => e.status)).toEqual(['passed', 'passed']);
    const [a, b] = journal.experiments;
    expect(a?.environment.redisConfig.port).not.toBe(b?.environment.redisConfig.port);
    // overlapping in time: the second started before the first ended
    expect(Date.parse(b?.startedAt as string)).toBeLessThan(Date.parse(a?.endedAt as string));
    expect(Date.now() - started).toBeLessThan(40_000);
    expect(journal.parallel).toMatchObject({ requested: 2, level: 2, maxAtOnce: 2, cores: availableParallelism() });
  });

  it('--parallel auto picks the level from the cores and the declared load, and says so with the CPU it saw', async () => {
    const reports = await mkdtemp(join(tmpdir(), 'cq-reports-'));
    const result = await runCli(
      [
        'run',
        'experiments/flushall.yaml',
        'experiments/redis-latency.yaml',
        'experiments/redis-outage.yaml',
        ...['--set', 'phases.baseline=1s', '--set', 'phases.fault=2s', '--set', 'phases.recovery=2s'],
        ...['--set', 'sessions.users=50', '--set', 'load.rate=50', '--set', 'expect=[sessions.lost == 0]'],
        '--set',
        'faults.0.at=500ms',
        '--set',
        'faults.0.for=1s',
        '--parallel',
        'auto',
        '--reports',
        reports,
      ],
      { cwd: repo },
    );
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const journal = await readRunJournal(reports);
    const cores = availableParallelism();
    // single Redis at 50 req/s: 0.2 + 50 × 0.0016 = 0.28 core each; 60% of the cores fits more than 3 from 2 cores
    // up, so the level is bounded by the cores and the three experiments, and that many did run at once
    const level = Math.min(cores, 3, Math.floor((cores * 0.6) / 0.28));
    expect(journal.parallel).toMatchObject({ requested: 'auto', level, cores, maxAtOnce: level });
    expect(journal.parallel?.reason).toContain('(lightest flushall: single, 50 req/s, about 0.28 core)');
    const cpu = journal.parallel?.cpu;
    expect(cpu?.samples).toBeGreaterThanOrEqual(5);
    expect(cpu?.busyMeanPct).toBeGreaterThan(0);
    expect(cpu?.busyMaxPct).toBeGreaterThanOrEqual(cpu?.busyMeanPct as number);
    expect((cpu?.headroomMinPct as number) + (cpu?.busyMaxPct as number)).toBeCloseTo(100, 0);
    expect(result.stdout).toContain(`up to ${level} experiment(s) at a time (--parallel auto: ${cores} cores`);
    expect(result.stdout).toMatch(
      /CPU while it ran \(\d+ cores\): busy [\d.]+% on average, [\d.]+% in the busiest second/,
    );
    // the same sentence in summary.md and report.html
    const runDir = join(reports, journal.runId);
    const sentence = `up to ${level} experiment(s) at a time (--parallel auto: ${cores} cores`;
    expect(await readFile(join(runDir, 'summary.md'), 'utf8')).toContain(`Parallelism: ${sentence}`);
    expect(await readFile(join(runDir, 'report.html'), 'utf8')).toContain(`<div class="meta parallel">${sentence}`);
  });

  it('--parallel takes 1 to 16 or auto; anything else exits 2 and says so', async () => {
    const result = await runCli(['run', 'experiments/flushall.yaml', '--parallel', 'many'], { cwd: repo });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Expected --parallel to be an integer from 1 to 16 or auto, got "many"');
  });
});
