// The real session stacks of examples/targets/ (express-session, PHP sessions on php-redis, Flask-Session) under the
// bundled incident-2am and redis-outage experiments, unchanged but for --target and shorter phases: each verdict as
// docs/targets.md measured it, with the journal's evidence. A stack whose packages are missing is skipped, except on CI.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ExperimentJournal } from '../../src/journal/journal-types.ts';
import { readRunJournal } from '../fixtures/read-run-journal.ts';
import { runCli, type CliResult } from '../fixtures/run-cli.ts';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const onCi = Boolean(process.env.CI);

/** Why a stack cannot run here (its packages are missing), or undefined when it can. */
function missing(stack: 'express-session' | 'php-session' | 'flask-session'): string | undefined {
  const setup = 'CACHEQUAKE_SETUP_EXAMPLE_TARGETS=1 bash scripts/setup.sh installs it';
  const works = (command: string, args: string[]) => {
    try {
      return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    } catch {
      return undefined;
    }
  };
  if (stack === 'express-session')
    return existsSync(join(repo, 'examples/targets/express-session/node_modules/connect-redis/package.json'))
      ? undefined
      : `examples/targets/express-session/node_modules has no connect-redis (npm ci in that folder; ${setup})`;
  if (stack === 'php-session')
    return works('php', ['-m'])
      ?.split('\n')
      .map((line) => line.trim())
      .includes('redis')
      ? undefined
      : `no php with the redis module on PATH (apt-get install php-cli php-redis; ${setup})`;
  return works('/usr/bin/python3', ['-c', 'import flask, flask_session, redis']) === undefined
    ? `/usr/bin/python3 cannot import flask, flask_session and redis (apt-get install python3-flask python3-flask-session python3-redis; ${setup})`
    : undefined;
}

/** The bundled experiments, shorter: every phase still long enough for the fault and a 3 s recovery window. */
const shortened = {
  'redis-outage': ['phases.baseline=2s', 'phases.fault=6s', 'phases.recovery=5s', 'faults.0.at=1s', 'faults.0.for=4s'],
  'incident-2am': ['phases.baseline=2s', 'phases.fault=10s', 'phases.recovery=5s', 'faults.1.at=3s', 'faults.1.for=5s'],
} as const;
const users = { 'redis-outage': 300, 'incident-2am': 500 } as const;

interface StackRun {
  cli: CliResult;
  run: ExperimentJournal;
  /** errorsByReason of the load in a phase */
  reasons: (phase: 'fault' | 'recovery') => Record<string, number>;
  errors: (phase: 'fault' | 'recovery') => number;
}

async function runStack(stack: string, experiment: keyof typeof shortened): Promise<StackRun> {
  const reports = await mkdtemp(join(tmpdir(), `cq-${stack}-`));
  const sets = [...shortened[experiment], `sessions.users=${users[experiment]}`].flatMap((s) => ['--set', s]);
  const args = ['run', `experiments/${experiment}.yaml`, '--target', `examples/targets/${stack}/target.yaml`];
  const cli = await runCli([...args, ...sets, '--reports', reports], { cwd: repo });
  const [run] = (await readRunJournal(reports)).experiments;
  if (!run) throw new Error(`no experiment in the journal; stderr: ${cli.stderr}`);
  const http = (phase: 'fault' | 'recovery') => run.metrics[phase]?.http;
  return {
    cli,
    run,
    reasons: (phase) => http(phase)?.errorsByReason ?? {},
    errors: (phase) => http(phase)?.errors ?? NaN,
  };
}

/** The expectations that held and those that did not, as the journal records them. */
function verdicts(run: ExperimentJournal): Record<string, boolean> {
  return Object.fromEntries(run.expectations.map((e) => [e.expression, e.passed]));
}

/** The health path is /healthz on every example: the default steady state must probe it, before and after. */
function expectHealthzSteadyState(run: ExperimentJournal): void {
  for (const when of ['before', 'after'] as const)
    expect(run.steadyState[when], when).toEqual([expect.objectContaining({ path: '/healthz', passed: true })]);
}

/** Under incident-2am every Redis-only store loses sessions to allkeys-lru: the harness must say so, with evidence. */
function expectEvictedSessions(run: StackRun, stack: string): void {
  const { cli, run: journal } = run;
  expect(cli.code, cli.stderr).toBe(1);
  expect(journal.status).toBe('failed');
  expect(journal.target.name).toBe(stack);
  expectHealthzSteadyState(journal);
  const { sessions } = journal;
  expect(sessions.created).toBe(users['incident-2am']);
  expect(sessions.lostAtEnd).toBeGreaterThan(0);
  expect(sessions.lost).toBeGreaterThanOrEqual(sessions.lostAtEnd ?? Infinity);
  expect(sessions.lostUsers?.length).toBeGreaterThan(0);
  expect(sessions.lostUsers?.[0]).toMatch(/^cq-.+-user-\d+$/);
  expect(cli.stdout).toMatch(new RegExp(`✗ sessions\\.lost == 0\\s+actual ${sessions.lost}\\b`));
  const fill = journal.faults.find((f) => f.kind === 'fill-memory');
  expect((fill?.evidence as { evictedKeys: number }).evictedKeys).toBeGreaterThan(0);
  expect(verdicts(journal)).toMatchObject({ 'sessions.lost == 0': false, 'redis.evicted_keys > 0': true });
  // a lost session answers 401, and keeps answering it after the fault
  expect(run.reasons('fault').unauthorized).toBeGreaterThan(0);
  expect(run.reasons('recovery').unauthorized).toBeGreaterThan(0);
}

type Stack = Parameters<typeof missing>[0];
const reasons = new Map<Stack, string | undefined>();
function missingOnce(stack: Stack): string | undefined {
  if (!reasons.has(stack)) {
    reasons.set(stack, missing(stack));
    if (reasons.get(stack) && !onCi) console.warn(`session-stacks: SKIPPED ${stack}: ${reasons.get(stack)}`);
  }
  return reasons.get(stack);
}

/** One run is ~20 s here; the budget leaves room for a slower machine. */
const runTimeoutMs = 90_000;

function stackTest(stack: Stack, name: string, body: () => Promise<void>) {
  const reason = missingOnce(stack);
  it.skipIf(reason !== undefined && !onCi)(
    name,
    async () => {
      if (reason) throw new Error(`CI is set and the ${stack} example cannot run: ${reason}`);
      await body();
    },
    runTimeoutMs,
  );
}

describe('express-session + connect-redis (node-redis)', () => {
  stackTest(
    'express-session',
    'redis-outage: no session lost, but requests hang until the client times out (node-redis queues while offline)',
    async () => {
      const run = await runStack('express-session', 'redis-outage');
      expect(run.cli.code, run.cli.stderr).toBe(1);
      expect(run.run.status).toBe('failed');
      expectHealthzSteadyState(run.run);
      expect(run.run.sessions).toMatchObject({ created: 300, lost: 0, errors: 0 });
      const fault = run.reasons('fault');
      expect(fault.unauthorized).toBeUndefined();
      expect(fault.timeout ?? 0).toBeGreaterThan(0.8 * run.errors('fault'));
      expect(run.errors('recovery')).toBe(0);
      expect(verdicts(run.run)).toMatchObject({
        'sessions.lost == 0': true,
        'http.error_rate{phase=fault} < 1%': false,
        'http.latency.p99{phase=fault} < 250ms': false,
      });
    },
  );

  stackTest('express-session', 'incident-2am: sessions evicted by allkeys-lru are lost (401)', async () => {
    expectEvictedSessions(await runStack('express-session', 'incident-2am'), 'express-session');
  });
});

describe('PHP sessions with session.save_handler=redis (php -S)', () => {
  stackTest(
    'php-session',
    'redis-outage: users are logged out (401, no 5xx) though their sessions are still in Redis',
    async () => {
      const run = await runStack('php-session', 'redis-outage');
      expect(run.cli.code, run.cli.stderr).toBe(1);
      expect(run.run.status).toBe('failed');
      expectHealthzSteadyState(run.run);
      const { sessions } = run.run;
      expect(sessions.created).toBe(300);
      expect(sessions.lost).toBeGreaterThan(0);
      // every loss is a 401 during the run; at the end each session reads back fine
      expect(sessions.loggedOutDuringRun).toBe(sessions.lost);
      expect(sessions).toMatchObject({ lostAtEnd: 0, valid: 300, errors: 0 });
      expect(run.cli.stdout).toMatch(new RegExp(`✗ sessions\\.lost == 0\\s+actual ${sessions.lost}\\b`));
      const fault = run.reasons('fault');
      expect(fault.unauthorized ?? 0).toBeGreaterThan(0.9 * run.errors('fault'));
      expect(Object.keys(fault).filter((r) => r.startsWith('status:5'))).toEqual([]);
      expect(run.errors('recovery')).toBe(0);
      expect(verdicts(run.run)).toMatchObject({
        'sessions.lost == 0': false,
        'http.error_rate{phase=fault} < 1%': false,
      });
    },
  );

  stackTest('php-session', 'incident-2am: sessions evicted by allkeys-lru are lost (401)', async () => {
    expectEvictedSessions(await runStack('php-session', 'incident-2am'), 'php-session');
  });
});

describe('Flask + Flask-Session on Redis (flask run)', () => {
  stackTest(
    'flask-session',
    'redis-outage: no session lost; every request that needs Redis fails with 500',
    async () => {
      const run = await runStack('flask-session', 'redis-outage');
      expect(run.cli.code, run.cli.stderr).toBe(1);
      expect(run.run.status).toBe('failed');
      expectHealthzSteadyState(run.run);
      expect(run.run.sessions).toMatchObject({ created: 300, lost: 0, errors: 0 });
      const fault = run.reasons('fault');
      expect(fault.unauthorized).toBeUndefined();
      expect(fault['status:500']).toBeGreaterThan(0.5 * run.errors('fault'));
      expect(run.errors('recovery')).toBe(0);
      expect(verdicts(run.run)).toMatchObject({
        'sessions.lost == 0': true,
        'http.error_rate{phase=fault} < 1%': false,
      });
    },
  );

  stackTest('flask-session', 'incident-2am: sessions evicted by allkeys-lru are lost (401)', async () => {
    expectEvictedSessions(await runStack('flask-session', 'incident-2am'), 'flask-session');
  });
});
