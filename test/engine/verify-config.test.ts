// `cachequake verify-config`: the incident's redis.conf is linted and fails the experiment that noeviction passes.
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../fixtures/run-cli.ts';

const repo = fileURLToPath(new URL('../../', import.meta.url));

describe('cachequake verify-config', () => {
  it('lints the candidate, runs under baseline and candidate, compares, and fails the config that logs users out', async () => {
    const reports = await mkdtemp(join(tmpdir(), 'cq-verify-'));
    const result = await runCli(
      [
        'verify-config',
        'examples/configs/incident.conf',
        'test/fixtures/experiments/short-incident.yaml',
        '--baseline',
        'examples/configs/noeviction.conf',
        '--reports',
        reports,
      ],
      { cwd: repo },
    );
    expect(result.code, result.stdout + result.stderr).toBe(1);
    expect(result.stdout).toContain('allkeys-policy'); // the lint rule that names the incident
    expect(result.stdout).toContain('candidate: maxmemory 21474836480 bytes scaled to 33554432 for the test');
    expect(result.stdout).toMatch(/PASS\s+short-incident[\s\S]*FAILED\s+short-incident/); // baseline passes, candidate fails
    expect(result.stdout).toMatch(/✗ sessions\.lost == 0\s+actual [1-9]/);
    expect(result.stdout).toContain('verdict: the candidate config FAILED');
    const runs = (await readdir(reports)).sort();
    expect(runs).toHaveLength(2);
    expect(runs.map((r) => r.split('-').at(-1))).toEqual(['baseline', 'candidate']);
    expect(await readdir(join(reports, runs[1] as string))).toEqual(
      expect.arrayContaining(['journal.json', 'report.html', 'compare.html', 'compare.md']),
    );
  });
});
