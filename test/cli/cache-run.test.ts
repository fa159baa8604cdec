// `cachequake run` on a cache-data target (no session): the shipped catalogue experiment passes with every product
// read right through a Redis outage, the same experiment fails on a service that makes up answers (with the stale
// ids as evidence), and a sessions.* expectation on such a target exits 2 before anything starts.
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readRunJournal } from '../fixtures/read-run-journal.ts';
import { runCli } from '../fixtures/run-cli.ts';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const placeholderTarget = fileURLToPath(
  new URL('../fixtures/targets/catalogue-placeholder/target.yaml', import.meta.url),
);
/** The shipped experiment, shortened for a test run; the outage still covers most of the fault phase. */
const shortOutage = [
  'experiments/catalogue-redis-outage.yaml',
  '--set',
  'phases.baseline=2s',
  '--set',
  'phases.fault=5s',
  '--set',
  'phases.recovery=3s',
  '--set',
  'faults.0.for=4s',
  '--set',
  'faults.0.at=500ms',
  // evidence that the outage reached the service: it went around Redis
  '--set',
  'expect.5=target.catalogue_cache_bypasses_total > 0',
];

/** A file of the single run written into a reports directory. */
async function runFile(reports: string, name: string): Promise<string> {
  const [runDir = ''] = await readdir(reports);
  return readFile(join(reports, runDir, name), 'utf8');
}

describe('cachequake run on a cache target', () => {
  it('passes catalogue-redis-outage: every product answers as at baseline, no login attempted (exit 0)', async () => {
    const reports = await mkdtemp(join(tmpdir(), 'cq-reports-'));
    const result = await runCli(['run', ...shortOutage, '--reports', reports], { cwd: repo });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/PASS\s+catalogue-redis-outage .*cache 300 ids \/ 0 stale \/ 0 unread/);
    expect(result.stdout).toMatch(/✓ cache\.stale == 0\s+actual 0/);
    expect(result.stderr).toContain('300 cached ids read at baseline');
    const [experiment] = (await readRunJournal(reports)).experiments;
    expect(experiment?.status).toBe('passed');
    expect(experiment?.cache).toMatchObject({ path: 'GET /products/{{id}}', ids: 300, stale: 0, errors: 0 });
    // baseline excluded: the sampled reads during the run and the 300 at the end
    expect(experiment?.cache?.reads).toBeGreaterThan(300 + 5 * 20);
    expect(experiment?.steps.find((s) => s.name === 'log in users')).toMatchObject({ status: 'skipped' });
    expect(experiment?.sessions.created).toBe(0);
    expect(experiment?.faults[0]).toMatchObject({ kind: 'outage', status: 'reverted' });
    expect(experiment?.series.some((p) => (p.cache?.checked ?? 0) > 0)).toBe(true);
    const summary = await runFile(reports, 'summary.md');
    expect(summary).toContain('cache stale 0 of 300');
    expect(summary).not.toContain('sessions lost');
  });

  it('fails it on a service that answers a made-up product when Redis fails: cache.stale > 0 with examples (exit 1)', async () => {
    const reports = await mkdtemp(join(tmpdir(), 'cq-reports-'));
    const result = await runCli(['run', ...shortOutage, '--target', placeholderTarget, '--reports', reports], {
      cwd: repo,
    });
    expect(result.code, result.stdout + result.stderr).toBe(1);
    expect(result.stdout).toMatch(/✗ cache\.stale == 0\s+actual [1-9]\d*/);
    const [experiment] = (await readRunJournal(reports)).experiments;
    const cache = experiment?.cache;
    expect(cache?.stale).toBeGreaterThan(0);
    // the answers are right again once Redis is back: stale during the run, not at the end
    expect(cache?.staleAtEnd).toBe(0);
    expect(cache?.staleExamples[0]?.seen).toContain('"name":"unavailable"');
    expect(cache?.staleExamples[0]?.baseline).toMatch(/^200 \{"id":\d+,"name":"product \d+"/);
    const html = await runFile(reports, 'report.html');
    expect(html).toContain('Cache stale');
    expect(html).toMatch(/\d+ of 300 cached ids answered differently from the baseline \(GET \/products\/\{\{id\}\}\)/);
  });

  it('exits 2 naming expect[i] when an expectation needs sessions the target does not have; nothing starts', async () => {
    const result = await runCli(['run', shortOutage[0] as string, '--set', 'expect.0=sessions.lost == 0'], {
      cwd: repo,
    });
    expect(result.code).toBe(2);
    expect(result.stdout + result.stderr).toContain(
      'CQ_TARGET_NO_SESSION: target catalogue-service has no session section, but experiment catalogue-redis-outage, expect[0] `sessions.lost == 0` needs one',
    );
    expect(result.stderr).not.toContain('starting redis-server');
  });
});
