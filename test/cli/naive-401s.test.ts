// A naive-target run whose only failures are 401s (FLUSHALL on sessions kept only in Redis): every output tells logged
// out users from a failing service — the terminal's Why and evidence, summary.md, junit.xml, the class metrics — and
// the progress shows rates and "lost n of m sampled"; the start line names only what starts (no PostgreSQL).
import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readRunJournal } from '../fixtures/read-run-journal.ts';
import { runCli } from '../fixtures/run-cli.ts';

const repo = fileURLToPath(new URL('../../', import.meta.url));

describe('a naive-target run with only 401s', () => {
  it('says everywhere that users were logged out and the service did not fail', async () => {
    const reports = await mkdtemp(join(tmpdir(), 'cq-401s-'));
    const result = await runCli(
      [
        'run',
        'experiments/flushall.yaml',
        '--target',
        'targets/naive-session-service/target.yaml',
        '--set',
        'phases.baseline=2s',
        '--set',
        'phases.fault=5s',
        '--set',
        'phases.recovery=1s',
        '--set',
        'faults.0.at=1s',
        '--set',
        'sessions.users=60',
        '--set',
        'load.rate=60',
        '--set',
        'expect=["http.unauthorized_rate{phase=fault} < 1%", "http.server_error_rate{phase=fault} == 0", "http.error_rate{phase=fault} < 1%"]',
        '--reports',
        reports,
      ],
      { cwd: repo },
    );
    expect(result.code, result.stdout + result.stderr).toBe(1);
    const [e] = (await readRunJournal(reports)).experiments;
    const fault = e?.metrics.fault?.http;
    expect(Object.keys(fault?.errorsByReason ?? {})).toEqual(['unauthorized']);
    // error_rate keeps its meaning (every class); the 401s are all in unauthorized_rate, no 5xx
    const [unauthorized, server, all] = e?.expectations ?? [];
    expect(unauthorized?.passed).toBe(false);
    expect(unauthorized?.actual).toBeCloseTo(fault?.errorRate ?? NaN, 6);
    expect(server).toMatchObject({ passed: true, actual: 0 });
    expect(all?.actual).toBeCloseTo(unauthorized?.actual ?? NaN, 6);
    // the series keeps the classes per second
    expect(e?.series.some((p) => (p.errorsByClass?.unauthorized ?? 0) > 0)).toBe(true);
    expect(e?.series.every((p) => (p.errorsByClass?.serverError ?? 0) === 0)).toBe(true);

    // the terminal explains: the same Why as the report, then the evidence
    expect(result.stdout).toMatch(/Why: .*sampled sessions still valid fell from 100% to \d+%/);
    expect(result.stdout).toMatch(/of requests failed during the faults — [\d.]+% session lost \(401\/403\), no 5xx/);
    expect(result.stdout).toMatch(
      /requests in the fault phase: [\d.]+% failed \([\d,]+ of [\d,]+\): [\d,]+ session lost/,
    );
    expect(result.stdout).toMatch(
      /fault 1 flushall applied t=3(\.\d+)? s \(lag [\d.]+ ms\), not reversible; no key backup/,
    );
    expect(result.stdout).toMatch(/keysBefore [\d,]+; keysAfter 0/);
    // progress: rates per second and "lost n of m sampled"; the start line names no PostgreSQL
    expect(result.stderr).toMatch(/\d+ req\/s +\d+ errors\/s .*lost \d+ of \d+ sampled/);
    expect(result.stderr).not.toMatch(/errors \d+ .*sessions lost \(sample\)/);
    expect(result.stderr).toMatch(/starting redis-server and the fault proxy/);
    expect(result.stderr).not.toContain('PostgreSQL');

    const [runDir] = await readdir(reports);
    const summary = await readFile(join(reports, runDir as string, 'summary.md'), 'utf8');
    expect(summary).toMatch(
      /Failed requests in the fault phase: [\d,]+ of [\d,]+ — [\d,]+ session lost \(401\/403\), no 5xx/,
    );
    expect(summary).toMatch(/flushall t=3 s.*not reversible/);
    const junit = await readFile(join(reports, runDir as string, 'junit.xml'), 'utf8');
    expect(junit).toMatch(/failed requests in the fault phase: [\d,]+ session lost \(401\/403\), no 5xx/);
  }, 90_000);
});
