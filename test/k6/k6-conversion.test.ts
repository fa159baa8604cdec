// k6's JSON output → the built-in driver's LoadResult, on a checked-in sample in k6's documented format; the live run
// skips without k6.
import { chmod, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isCachequakeError } from '../../src/errors/index.ts';
import { findK6 } from '../../src/load/k6/k6-binary.ts';
import { parseK6JsonOutput, parseK6Time } from '../../src/load/k6/k6-json-output.ts';
import { k6LoadResult } from '../../src/load/k6/k6-load-result.ts';
import { k6Requests } from '../../src/load/k6/k6-requests.ts';
import { k6Thresholds } from '../../src/load/k6/k6-thresholds.ts';
import type { Journal } from '../../src/journal/journal-types.ts';
import { runCli } from '../fixtures/run-cli.ts';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/k6/${name}`, import.meta.url));
const t0 = Date.parse('2026-05-04T10:00:00Z');
const phases = [
  { name: 'baseline', startMs: 0, endMs: 2000 },
  { name: 'fault', startMs: 2000, endMs: 4000 },
  { name: 'recovery', startMs: 4000, endMs: 6000 },
];

async function sampleResult() {
  const output = parseK6JsonOutput(await readFile(fixture('sample-output.json'), 'utf8'));
  return { output, result: k6LoadResult(k6Requests(output.points), { startedAtMs: t0, phases }) };
}

describe('k6 JSON output → LoadResult', () => {
  it('reads Metric declarations (with thresholds) and Points with nanosecond timestamps', async () => {
    const { output } = await sampleResult();
    expect(output.metrics.get('http_req_duration')).toMatchObject({
      type: 'trend',
      contains: 'time',
      thresholds: ['p(95)<200', 'avg<100'],
    });
    expect(output.points.filter((p) => p.metric === 'http_reqs')).toHaveLength(30);
    expect(parseK6Time('2026-05-04T12:00:00.018750000+02:00') - t0).toBeCloseTo(18.75, 6);
  });

  it('files each request under the second and phase it started in, with per-phase stats like the built-in driver', async () => {
    const { result } = await sampleResult();
    expect(result.total.requests).toBe(30);
    expect(Object.keys(result.phases).sort()).toEqual(['baseline', 'fault', 'recovery']);
    expect(result.phases.baseline).toMatchObject({ requests: 10, errors: 0 });
    expect(result.phases.fault).toMatchObject({
      requests: 10,
      errors: 3,
      unauthorized: 1,
      errorsByReason: { 'status:503': 1, unauthorized: 1, timeout: 1 },
    });
    expect(result.phases.recovery).toMatchObject({ requests: 10, errors: 0 });
    expect(result.phases.fault?.errorRate).toBeCloseTo(0.3, 5);
    expect(result.phases.baseline?.p99Ms).toBeLessThan(20);
    expect(result.phases.fault?.p50Ms).toBeGreaterThan(230);
    expect(result.phases.fault?.maxMs).toBeGreaterThanOrEqual(1990);
    expect(result.phases.baseline?.rps).toBeCloseTo(5, 1);
    // one point per second, tagged by phase, 5 requests each
    expect(result.series.map((p) => [p.second, p.phase, p.requests])).toEqual([
      [0, 'baseline', 5],
      [1, 'baseline', 5],
      [2, 'fault', 5],
      [3, 'fault', 5],
      [4, 'recovery', 5],
      [5, 'recovery', 5],
    ]);
    expect(result.series[3]).toMatchObject({ errors: 2, errorsByReason: { unauthorized: 1, timeout: 1 } });
    expect(result.startedAtMs).toBe(t0);
  });

  it("reports k6's own thresholds from --summary-export (true there means crossed)", async () => {
    const summary = JSON.parse(await readFile(fixture('sample-summary.json'), 'utf8')) as unknown;
    expect(k6Thresholds(summary)).toEqual([
      { metric: 'http_req_duration', expression: 'avg<100', passed: true },
      { metric: 'http_req_duration', expression: 'p(95)<200', passed: false },
      { metric: 'http_req_failed', expression: 'rate<0.01', passed: false },
    ]);
  });

  it('skips a truncated last line (k6 stopped mid-write) but names any other bad line', () => {
    const good =
      '{"type":"Point","data":{"time":"2026-05-04T10:00:00.5Z","value":1,"tags":{"status":"200"}},"metric":"http_reqs"}';
    expect(parseK6JsonOutput(`${good}\n{"type":"Poi`).points).toHaveLength(1);
    try {
      parseK6JsonOutput(`${good}\nnot json\n${good}\n`, 'points.json');
      expect.unreachable();
    } catch (error) {
      expect(isCachequakeError(error) && error.code).toBe('CQ_K6_OUTPUT_INVALID');
      expect((error as Error).message).toContain('points.json:2:');
    }
  });
});

const k6 = findK6();
describe('k6 driver, live', () => {
  if (!k6)
    console.log(
      'skipping the live k6 tests: no k6 on PATH (install it: https://grafana.com/docs/k6/latest/set-up/install-k6/)',
    );

  it('without k6 on PATH, cachequake run exits 3 with the install hint', async () => {
    const result = await runCli(
      ['run', fileURLToPath(new URL('../../examples/k6/flushall-k6.yaml', import.meta.url))],
      { env: { PATH: '/nonexistent' } },
    );
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('CQ_K6_NOT_INSTALLED');
    expect(result.stderr).toContain('install-k6');
  });

  it.skipIf(!k6)('runs examples/k6/flushall-k6.yaml under k6 (skipped here: no k6 on PATH)', async () => {
    const reports = await mkdtemp(join(tmpdir(), 'cq-k6-'));
    try {
      const result = await runCli([
        'run',
        fileURLToPath(new URL('../../examples/k6/flushall-k6.yaml', import.meta.url)),
        '--set',
        'phases.baseline=2s',
        '--set',
        'phases.fault=3s',
        '--set',
        'phases.recovery=3s',
        '--set',
        'faults.0.at=1s',
        '--reports',
        reports,
      ]);
      expect(result.code).toBe(0);
      const [runDir] = await readdir(reports);
      const journal = JSON.parse(await readFile(join(reports, runDir as string, 'journal.json'), 'utf8')) as Journal;
      const [experiment] = journal.experiments;
      expect(experiment?.metrics.run?.http.requests).toBeGreaterThan(500);
      expect(experiment?.expectations.some((e) => e.expression.startsWith('k6 threshold http_req_failed'))).toBe(true);
    } finally {
      await rm(reports, { recursive: true, force: true });
    }
  });
});

/**
 * A directory with an executable `k6` that runs the stand-in fixture on this Node: not k6, a program that speaks its
 * CLI and output.
 */
async function standInK6(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'cq-stand-in-k6-'));
  await writeFile(join(dir, 'k6'), `#!/bin/sh\nexec "${process.execPath}" "${fixture('stand-in-k6.mjs')}" "$@"\n`);
  await chmod(join(dir, 'k6'), 0o755);
  return dir;
}

describe('k6 driver plumbing, with a stand-in k6 (a fixture program, not k6)', () => {
  const experiment = fileURLToPath(new URL('../../examples/k6/flushall-k6.yaml', import.meta.url));
  const short = [
    '--set',
    'phases.baseline=2s',
    '--set',
    'phases.fault=2s',
    '--set',
    'phases.recovery=2s',
    '--set',
    'faults.0.at=500ms',
    '--set',
    'load.rate=40',
    '--set',
    'sessions.users=50',
  ];

  it('runs the script through `k6 run --out json --summary-export`, reads its points into the journal per phase, and reports its thresholds', async () => {
    const bin = await standInK6();
    const reports = await mkdtemp(join(tmpdir(), 'cq-k6-'));
    try {
      const result = await runCli(['run', experiment, ...short, '--reports', reports], {
        env: { PATH: `${bin}:${process.env.PATH ?? ''}` },
      });
      expect(result.code, result.stdout + result.stderr).toBe(0);
      const [runDir] = await readdir(reports);
      const [entry] = (JSON.parse(await readFile(join(reports, runDir as string, 'journal.json'), 'utf8')) as Journal)
        .experiments;
      for (const phase of ['baseline', 'fault', 'recovery'])
        expect(entry?.metrics[phase]?.http.requests, phase).toBeGreaterThan(40);
      expect(entry?.metrics.run?.http.errors).toBe(0);
      expect(entry?.series.filter((p) => p.requests > 0).length).toBeGreaterThanOrEqual(5);
      expect(entry?.expectations.at(-1)).toMatchObject({
        expression: 'k6 threshold http_req_failed: rate<0.05',
        passed: true,
        actualText: 'held',
      });
    } finally {
      await rm(reports, { recursive: true, force: true });
      await rm(bin, { recursive: true, force: true });
    }
  });

  it("a script k6 rejects (exit 107) is the user's input: exit 2 with k6's words", async () => {
    const bin = await standInK6();
    try {
      const result = await runCli(['run', experiment, ...short], {
        env: { PATH: `${bin}:${process.env.PATH ?? ''}`, STAND_IN_K6_EXIT: '107' },
      });
      expect(result.code).toBe(2);
      expect(result.stdout + result.stderr).toContain('CQ_K6_SCRIPT_INVALID');
    } finally {
      await rm(bin, { recursive: true, force: true });
    }
  });
});
