// `cachequake report` and `cachequake compare` as a user runs them: re-rendering, comparing, and exit 2 with a clear
// message on bad input.
import { copyFile, mkdir, mkdtemp, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../fixtures/run-cli.ts';
import { fixturePath, type FixtureName } from './journal-fixtures.ts';

async function runDirOf(name: FixtureName): Promise<string> {
  const dir = join(await mkdtemp(join(tmpdir(), 'cq-report-cli-')), `20261126-000000Z-${name}`);
  await mkdir(dir);
  await copyFile(fixturePath(name), join(dir, 'journal.json'));
  return dir;
}

const noStack = /\n\s+at .*(\.ts|\.js):\d+/;
const repo = fileURLToPath(new URL('../../', import.meta.url));

describe('cachequake run writes the reports', () => {
  it('a short incident run on the naive target: report.html, junit.xml, summary.md beside the journal, the step summary appended', async () => {
    const reports = await mkdtemp(join(tmpdir(), 'cq-run-reports-'));
    const stepSummary = join(reports, 'step-summary.md');
    const short = [
      '--set',
      'phases.baseline=2s',
      '--set',
      'phases.fault=5s',
      '--set',
      'phases.recovery=2s',
      '--set',
      'sessions.users=100',
      '--set',
      'faults.1.at=1s',
      '--set',
      'faults.1.for=2s',
    ];
    const result = await runCli(
      ['run', 'experiments/incident-2am.yaml', '--target', 'naive-session-service', ...short, '--reports', reports],
      { cwd: repo, env: { GITHUB_STEP_SUMMARY: stepSummary } },
    );
    expect(result.code).toBe(1);
    const runDir = (await readdir(reports)).find((n) => /^\d{8}-/.test(n)) as string;
    expect(result.stdout).toContain(`report: ${join(reports, runDir, 'report.html')}`);
    expect(await readFile(join(reports, runDir, 'report.html'), 'utf8')).toMatch(
      /<div class="verdict failed">.*Redis used_memory reached maxmemory/,
    );
    expect(await readFile(join(reports, runDir, 'junit.xml'), 'utf8')).toMatch(
      /<failure message="sessions\.lost == 0: actual [1-9]/,
    );
    const summary = await readFile(join(reports, runDir, 'summary.md'), 'utf8');
    expect(summary).toContain('#### ❌ incident-2am — failed');
    expect(await readFile(stepSummary, 'utf8')).toBe(`${summary}\n`);
  });
});

describe('cachequake report', () => {
  it('renders report.html, junit.xml and summary.md again from a run directory and prints the final table', async () => {
    const dir = await runDirOf('failed');
    const result = await runCli(['report', dir], { env: { GITHUB_STEP_SUMMARY: '' } });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/FAILED\s+incident-2am/);
    expect(result.stdout).toContain(`report: ${join(dir, 'report.html')}`);
    for (const file of ['report.html', 'junit.xml', 'summary.md'])
      expect((await stat(join(dir, file))).size, file).toBeGreaterThan(500);
  });

  it('accepts the journal.json path itself', async () => {
    const dir = await runDirOf('passed');
    const result = await runCli(['report', join(dir, 'journal.json')]);
    expect(result.code).toBe(0);
    expect(await readFile(join(dir, 'summary.md'), 'utf8')).toContain('✅ incident-2am — passed');
  });

  it('exits 2 with the problem and the fix, never a stack trace, on a missing, empty, damaged or foreign journal', async () => {
    const base = await mkdtemp(join(tmpdir(), 'cq-report-bad-'));
    const missing = await runCli(['report', join(base, 'nope')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(
      /^CQ_FILE_NOT_FOUND: .*nope: no such run directory or journal file\n\s+Give a run directory/,
    );

    await mkdir(join(base, 'reports', '20261126-101010Z-abcd'), { recursive: true });
    const empty = await runCli(['report', join(base, 'reports')]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/CQ_JOURNAL_NOT_FOUND: .*reports has no journal\.json/);
    expect(empty.stderr).toContain('Run directories in reports/: 20261126-101010Z-abcd');

    await writeFile(join(base, 'cut.json'), '{"version": 1, "runId": "x", "experi');
    const cut = await runCli(['report', join(base, 'cut.json')]);
    expect(cut.code).toBe(2);
    expect(cut.stderr).toMatch(/CQ_JOURNAL_INVALID: .*cut\.json is not valid JSON/);

    const journal = JSON.parse(await readFile(fixturePath('failed'), 'utf8')) as { experiments: { series: unknown }[] };
    if (journal.experiments[0]) journal.experiments[0].series = 'oops';
    await writeFile(join(base, 'edited.json'), JSON.stringify(journal));
    const edited = await runCli(['report', join(base, 'edited.json')]);
    expect(edited.code).toBe(2);
    expect(edited.stderr).toMatch(
      /CQ_JOURNAL_INVALID: .*edited\.json is not a cachequake journal:\n\s+experiments\.0\.series: .*expected array/,
    );

    await writeFile(join(base, 'v2.json'), JSON.stringify({ ...journal, version: 2 }));
    const v2 = await runCli(['report', join(base, 'v2.json')]);
    expect(v2.code).toBe(2);
    expect(v2.stderr).toContain('journal version 2, this cachequake reads version 1');

    for (const r of [missing, empty, cut, edited, v2]) expect(r.stderr).not.toMatch(noStack);
  });
});

describe('cachequake compare', () => {
  it('prints per experiment and metric what changed and writes compare.html and compare.md', async () => {
    const a = await runDirOf('passed');
    const b = await runDirOf('failed');
    const out = join(await mkdtemp(join(tmpdir(), 'cq-compare-out-')), 'cmp');
    const result = await runCli(['compare', a, b, '--out', out], { env: { GITHUB_STEP_SUMMARY: '' } });
    expect(result.code).toBe(1); // an expectation went from pass to fail: a regression
    expect(result.stdout).toContain('#### incident-2am: regressed, ✅ passed → ❌ failed');
    expect(result.stdout).toContain('target: `session-service` → `naive-session-service`');
    expect(result.stdout).toMatch(/\| `sessions\.lost` \| 0 \| 175 \| \+175 \| 🔴 worse \|/);
    expect(result.stdout).toMatch(/\| `recovery\.seconds` \| 0 s \| ∞ \| → ∞ \| 🔴 worse \|/);
    expect(result.stdout).toMatch(/\| `sessions\.lost == 0` \| ✅ 0 \| ❌ 175 \|/);
    expect(await readFile(join(out, 'compare.md'), 'utf8')).toBe(
      result.stdout.slice(0, result.stdout.indexOf('\ncompare: ')),
    );
    expect((await stat(join(out, 'compare.html'))).size).toBeGreaterThan(50_000);
  });

  it('exits 2 when either run has no journal', async () => {
    const a = await runDirOf('passed');
    const result = await runCli(['compare', a, join(tmpdir(), 'no-such-run-dir')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^CQ_FILE_NOT_FOUND: .*no-such-run-dir/);
    expect(result.stderr).not.toMatch(noStack);
  });
});
