// `cachequake run` as a user runs it: verdicts and exit codes against both bundled targets, invalid input, --dry-run
// and SIGINT.
import { spawn } from 'node:child_process';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readRunJournal } from '../fixtures/read-run-journal.ts';
import { cliPath, runCli } from '../fixtures/run-cli.ts';
import { waitGone } from '../fixtures/process-alive.ts';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/experiments/${name}`, import.meta.url));
/** The bundled flushall experiment, shortened for a test run. */
const shortFlushall = [
  'experiments/flushall.yaml',
  '--set',
  'phases.baseline=2s',
  '--set',
  'phases.fault=4s',
  '--set',
  'phases.recovery=3s',
  '--set',
  'sessions.users=200',
  '--set',
  'faults.0.at=1s',
  '--set',
  'expect.3=sessions.errors == 0',
];

describe('cachequake run', () => {
  it('passes FLUSHALL on session-service: sessions come from the database, nobody is logged out (exit 0)', async () => {
    const reports = await mkdtemp(join(tmpdir(), 'cq-reports-'));
    const result = await runCli(['run', ...shortFlushall, '--reports', reports], { cwd: repo });
    expect(result.stdout).toContain('PASS    flushall');
    expect(result.code).toBe(0);
    const journal = await readRunJournal(reports);
    const [experiment] = journal.experiments;
    expect(experiment?.status).toBe('passed');
    expect(experiment?.sessions).toMatchObject({ created: 200, lost: 0 });
    expect(experiment?.faults[0]).toMatchObject({ kind: 'flushall', status: 'reverted', evidence: { keysAfter: 0 } });
    expect((experiment?.faults[0]?.evidence as { keysBefore: number }).keysBefore).toBeGreaterThanOrEqual(200);
    expect(experiment?.series.length).toBeGreaterThanOrEqual(9);
    expect(experiment?.environment.redisConfig['maxmemory-policy']).toBe('noeviction');
    const pids = Object.values(experiment?.environment.processes ?? {}).filter(
      (p): p is number => typeof p === 'number',
    );
    expect(pids).toHaveLength(3);
    expect(await waitGone(pids, 2000)).toEqual([]);
  });

  it('fails the same experiment on naive-session-service with sessions.lost > 0 (exit 1)', async () => {
    const reports = await mkdtemp(join(tmpdir(), 'cq-reports-'));
    const result = await runCli(['run', ...shortFlushall, '--target', 'naive-session-service', '--reports', reports], {
      cwd: repo,
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/✗ sessions\.lost == 0\s+actual 200\b/);
    const [experiment] = (await readRunJournal(reports)).experiments;
    expect(experiment?.status).toBe('failed');
    expect(experiment?.sessions.lost).toBe(200);
    expect(experiment?.target.name).toBe('naive-session-service');
  });

  it('rejects an invalid experiment with file:line:column, the field and the allowed values; exit 2, nothing started', async () => {
    const reports = await mkdtemp(join(tmpdir(), 'cq-reports-'));
    const result = await runCli(['run', fixture('bad-kind.yaml'), '--reports', reports]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /bad-kind\.yaml:4:11: faults\[0\]\.kind: received "latencyy".*allowed: "latency", "bandwidth"/,
    );
    expect(result.stderr).toContain('"fill-memory"');
    expect(result.stderr).toMatch(
      /bad-kind\.yaml:7:11: faults\[1\]\.mode: received "fast".*allowed: "sync" or "async"/,
    );
    expect(result.stderr).toMatch(/bad-kind\.yaml:9:5: expect\[0\].*unknown metric "http\.error_rat"/);
    expect(result.stderr).not.toMatch(/\n\s+at .*\.ts:\d+/);
    expect(result.stderr).not.toContain('starting');
    expect(await readdir(reports)).toEqual([]);
  });

  it('--dry-run prints the schedule, the Redis commands and the toxics, and starts nothing', async () => {
    const result = await runCli(['run', 'experiments/incident-2am.yaml', '--dry-run'], { cwd: repo });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('fault 1 fill-memory at t=5s for 20s');
    expect(result.stdout).toContain(
      '"type":"latency","stream":"downstream","toxicity":1,"attributes":{"latency":200,"jitter":50}',
    );
    expect(result.stdout).toContain('nothing was started');
  });

  it('on SIGINT during the fault phase reverts the faults, stops everything, writes an aborted journal and exits 4', async () => {
    const reports = await mkdtemp(join(tmpdir(), 'cq-reports-'));
    const child = spawn(process.execPath, [cliPath, 'run', fixture('interrupt-me.yaml'), '--reports', reports], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no fault was injected: ${stderr}`)), 30_000);
      child.stderr.on('data', () => {
        if (stderr.includes('fault 2 latency: inject')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    await new Promise((r) => setTimeout(r, 1500));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    expect(code).toBe(4);
    const [experiment] = (await readRunJournal(reports)).experiments;
    expect(experiment?.status).toBe('aborted');
    expect(experiment?.abort?.reason).toContain('SIGINT');
    expect(experiment?.faults.map((f) => f.status)).toEqual(['reverted', 'reverted']);
    expect(experiment?.faults[0]?.revertEvidence).toEqual({ restored: { hz: '10' } });
    expect(experiment?.faults[1]?.revertEvidence).toMatchObject({ toxicsRemaining: [] });
    const pids = Object.values(experiment?.environment.processes ?? {}).filter(
      (p): p is number => typeof p === 'number',
    );
    expect(await waitGone(pids, 2000)).toEqual([]);
  });
});
