// Outcomes of `cachequake run` beyond pass/fail: abort conditions (exit 4), environment errors (exit 3), --parallel.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
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
  });
});
