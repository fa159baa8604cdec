// summary.md from real journals: the compact table per experiment, the cause in a sentence, appended to
// $GITHUB_STEP_SUMMARY.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { reporters, writeReports } from '../../src/reports/index.ts';
import { loadFixture } from './journal-fixtures.ts';

describe('summary.md', () => {
  it('shows a failed incident run: verdict, the cause chain and every expectation with its actual value', () => {
    const journal = loadFixture('failed');
    const md = reporters.markdown.render(journal);
    const e = journal.experiments[0];
    expect(md).toContain('#### ❌ incident-2am — failed');
    expect(md).toContain(`sessions lost ${e?.sessions.lost} of ${e?.sessions.created}`);
    expect(md).toContain('Redis maxmemory 32 MB allkeys-lru');
    expect(md).toMatch(
      /> 4 of 5 expectation\(s\) failed .* Why: Redis used_memory reached maxmemory \(32 MB\) at t=\d+ s; Redis evicted [\d,]+ keys from t=\d+ s; sampled sessions still valid fell from 100% to \d+%/,
    );
    expect(md).toContain('| --- | --- | ---: |');
    expect(md).toContain(`| ❌ | \`sessions.lost == 0\` | ${e?.sessions.lost} |`);
    expect(md).toContain('| ✅ | `redis.evicted_keys > 0` |');
    expect(md).toContain('| ❌ | `recovery.seconds < 5` | ∞ |');
    expect(md).toMatch(/Faults: 1\. fill-memory t=2 s→8(\.\d+)? s reverted · 2\. latency t=4 s→7(\.\d+)? s reverted/);
  });

  it('names lost and refused probe writes in the cause chain when the write probe ran', () => {
    const journal = loadFixture('passed');
    const e = journal.experiments[0] as NonNullable<(typeof journal.experiments)[0]>;
    e.writes = {
      ratePerSecond: 50,
      attempted: 500,
      acknowledged: 470,
      failed: 30,
      lost: 12,
      unverified: 0,
      refusedMs: 810,
      refusedFromMs: 7250,
      lostKeys: ['cachequake:probe:x:140'],
      errors: { 'Connection is closed.': 30 },
    };
    const md = reporters.markdown.render(journal);
    expect(md).toContain(
      '12 of 470 acknowledged probe writes were lost; Redis refused writes for up to 810 ms from t=7.25 s',
    );
    delete e.writes;
    expect(reporters.markdown.render(journal)).not.toContain('probe writes');
  });

  it('shows an errored run with its code, message and the first line of the hint', () => {
    const md = reporters.markdown.render(loadFixture('error'));
    expect(md).toContain('#### 💥 incident-2am — error');
    expect(md).toMatch(
      /> The run did not complete: CQ_REDIS_CONFIG_INVALID: redis-server rejected the directive 'maxmemory-policy bogus': .*noeviction\.\n>\n> Fix the directive/,
    );
    expect(md).toContain('_No expectations were evaluated._');
  });

  it('keeps a pipe in an expectation from breaking the table', () => {
    const journal = loadFixture('passed');
    const first = journal.experiments[0]?.expectations[0];
    if (first) first.actualText = 'a | b';
    expect(reporters.markdown.render(journal)).toContain('| a \\| b |');
  });

  it('is written beside the journal with report.html and junit.xml, and appended to $GITHUB_STEP_SUMMARY', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cq-md-'));
    const summary = join(dir, 'step-summary.md');
    await writeFile(summary, 'earlier step\n');
    const written = await writeReports(loadFixture('passed'), join(dir, 'run'), { GITHUB_STEP_SUMMARY: summary });
    expect(written.stepSummary).toBe(summary);
    expect(written.warnings).toEqual([]);
    const appended = await readFile(summary, 'utf8');
    expect(appended.startsWith('earlier step\n### ✅ cachequake passed: 1 passed')).toBe(true);
    expect(await readFile(written.markdown, 'utf8')).toContain('#### ✅ incident-2am — passed');
    expect(await readFile(written.junit, 'utf8')).toContain('<testsuites');
    expect(await readFile(written.html, 'utf8')).toContain('<!doctype html>');
  });

  it('reports an unwritable $GITHUB_STEP_SUMMARY as a warning and still writes the reports', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cq-md-'));
    const written = await writeReports(loadFixture('passed'), dir, {
      GITHUB_STEP_SUMMARY: join(dir, 'missing-dir', 'summary.md'),
    });
    expect(written.stepSummary).toBeUndefined();
    expect(written.warnings[0]).toMatch(/could not append to \$GITHUB_STEP_SUMMARY .*ENOENT/);
  });
});
