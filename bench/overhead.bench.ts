// Time per experiment that is not the experiment (#18): what a suite spends beyond each experiment's declared phases
// for a single Redis, Sentinel and Cluster, their environment start, the ledger's login rate against session-service
// beside the target's own ceiling, and where the time goes (the journal's steps).
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Pool } from 'undici';
import type { ExperimentJournal, Journal } from '../src/journal/journal-types.ts';
import {
  freePort,
  startPostgres,
  startRedis,
  startTargetProcess,
  type StartedTargetProcess,
} from '../src/runtimes/local/index.ts';
import { loginRequest, renderTargetProcess, resolveTarget } from '../src/targets/index.ts';
import { percentile, type BenchResult } from './bench-result.ts';

const cli = fileURLToPath(new URL('../bin/cachequake.js', import.meta.url));
const run = promisify(execFile);
const users = 1000;
/** The ledger's default login concurrency (sessions.concurrency). */
const ledgerConcurrency = 20;
const phasesMs = 3000;

type Topology = 'single' | 'sentinel' | 'cluster';
const fault: Record<Topology, string> = {
  single: '  - { kind: flushall, at: 500ms }',
  sentinel: '  - { kind: latency, on: redis, latencyMs: 5, at: 500ms, for: 500ms }',
  cluster: '  - { kind: latency, on: redis, latencyMs: 5, at: 500ms, for: 500ms }',
};
const redisSection: Record<Topology, string> = {
  single: '',
  sentinel: 'redis: { topology: sentinel, replicas: 1, sentinels: 3 }\n',
  cluster: 'redis: { topology: cluster, shards: 3, replicas: 1 }\n',
};

/** `count` experiments of one topology, 1 s per phase, run by the CLI as one suite; their journal. */
async function suite(topology: Topology, count: number): Promise<{ journal: Journal; wallMs: number }> {
  const dir = await mkdtemp(join(tmpdir(), `cq-bench-overhead-${topology}-`));
  try {
    const experiments = join(dir, 'experiments');
    await mkdir(experiments);
    for (let i = 0; i < count; i++)
      await writeFile(
        join(experiments, `${topology}-${i}.yaml`),
        `name: ${topology}-${i}\ntarget: session-service\n${redisSection[topology]}sessions: { users: ${users} }\n` +
          `load: { rate: 200 }\nphases: { baseline: 1s, fault: 1s, recovery: 1s }\nfaults:\n${fault[topology]}\n` +
          'expect: [sessions.lost == 0]\n',
      );
    const began = performance.now();
    await run(process.execPath, [cli, 'run', experiments, '--reports', join(dir, 'reports')], {
      maxBuffer: 64 * 1024 * 1024,
    }).catch((error: { code?: number; stdout?: string }) => {
      // a failed verdict (exit 1) still has its timings; anything else is a broken bench
      if (error.code !== 1) throw new Error(`cachequake run (${topology}) exited ${error.code}: ${error.stdout}`);
    });
    const wallMs = performance.now() - began;
    const [runDir] = await readdir(join(dir, 'reports'));
    const journal = JSON.parse(
      await readFile(join(dir, 'reports', runDir as string, 'journal.json'), 'utf8'),
    ) as Journal;
    return { journal, wallMs };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const overheadMs = (e: ExperimentJournal) => Date.parse(e.endedAt) - Date.parse(e.startedAt) - phasesMs;
const loginStep = (e: ExperimentJournal) => e.steps.find((s) => s.name.startsWith('log in '));

/** Median ms per step over the experiments, longest first: where the time beyond the phases goes. */
function stepMedians(experiments: readonly ExperimentJournal[]): Record<string, number> {
  const byName = new Map<string, number[]>();
  for (const e of experiments)
    for (const step of e.steps) {
      const name = step.name.replace(/^log in \d+ users$/, 'log in the users');
      byName.set(name, [...(byName.get(name) ?? []), step.durationMs]);
    }
  return Object.fromEntries(
    [...byName]
      .map(([name, ms]) => [name, Math.round(percentile(ms, 50))] as const)
      .filter(([name]) => name !== 'run phases')
      .sort((a, b) => b[1] - a[1]),
  );
}

/** session-service's own login ceiling: closed loops of POST /login straight at it (no ledger), logins/s. */
async function targetLoginCeiling(concurrencies: number[]): Promise<Record<string, number>> {
  const redis = await startRedis();
  const postgres = await startPostgres();
  let target: StartedTargetProcess | undefined;
  try {
    const loaded = await resolveTarget('session-service');
    target = await startTargetProcess(
      renderTargetProcess(loaded, {
        port: await freePort(),
        redis: { host: '127.0.0.1', port: redis.port, url: redis.url },
        postgres: { host: '127.0.0.1', port: postgres.port, url: postgres.url },
      }),
    );
    const result: Record<string, number> = {};
    for (const concurrency of concurrencies) {
      const pool = new Pool(target.url, { connections: concurrency });
      let done = 0;
      let counter = 0;
      const ms = 3000;
      const deadline = performance.now() + ms;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (performance.now() < deadline) {
            const spec = loginRequest(loaded, {
              user: `ceiling-${concurrency}-${counter}`,
              password: 'pw',
              rememberMe: counter++ % 2 === 0,
            });
            const response = await pool.request({
              path: spec.path,
              method: spec.method,
              headers: spec.headers,
              body: spec.body,
            });
            await response.body.dump();
            if (response.statusCode < 400) done++;
          }
        }),
      );
      await pool.close();
      result[`concurrency${concurrency}`] = Math.round(done / (ms / 1000));
    }
    return result;
  } finally {
    await target?.stop();
    await postgres.stop();
    await redis.stop();
  }
}

export default async function bench(): Promise<BenchResult> {
  const single = await suite('single', 5);
  const sentinel = await suite('sentinel', 3);
  const cluster = await suite('cluster', 3);
  const ceiling = await targetLoginCeiling([ledgerConcurrency, 64]);

  const median = (values: number[]) => Math.round(percentile(values, 50));
  const overhead = (j: Journal) => median(j.experiments.map(overheadMs));
  const startMs = (j: Journal) => median(j.experiments.map((e) => e.environment.startedInMs));
  const loginRates = single.journal.experiments
    .map((e) => loginStep(e))
    .filter((s) => s !== undefined)
    .map((s) => Math.round(users / (s.durationMs / 1000)));
  const loginRate = median(loginRates);
  const ceilingAtLedger = ceiling[`concurrency${ledgerConcurrency}`] ?? 0;
  const singleOverhead = overhead(single.journal);
  const singleStart = startMs(single.journal);
  const where = {
    single: stepMedians(single.journal.experiments),
    sentinel: stepMedians(sentinel.journal.experiments),
    cluster: stepMedians(cluster.journal.experiments),
  };
  const topologyFigures = (journal: Journal) => ({
    statuses: journal.experiments.map((e) => e.status),
    overheadMs: journal.experiments.map(overheadMs),
    overheadMedianMs: overhead(journal),
    environmentStartMedianMs: startMs(journal),
    ratioStartToSingleStart: Math.round((startMs(journal) / singleStart) * 100) / 100,
  });
  const top = (steps: Record<string, number>) =>
    Object.entries(steps)
      .slice(0, 3)
      .map(([name, ms]) => `${name} ${ms} ms`)
      .join(', ');
  return {
    measurements: {
      declaredPhasesMs: phasesMs,
      usersLoggedIn: users,
      single: {
        experiments: single.journal.experiments.length,
        statuses: single.journal.experiments.map((e) => e.status),
        overheadMs: single.journal.experiments.map(overheadMs),
        overheadMedianMs: singleOverhead,
        environmentStartMedianMs: singleStart,
        suiteWallMs: Math.round(single.wallMs),
      },
      // baseline in the same run: the single server's start
      sentinel: topologyFigures(sentinel.journal),
      cluster: topologyFigures(cluster.journal),
      ledgerLoginUsersPerSecond: loginRates,
      // straight at the target (Redis and PostgreSQL unproxied, nothing else in this process); in an experiment the
      // harness's embedded fault proxy carries the target's Redis and PostgreSQL traffic in the ledger's own process
      targetLoginCeilingPerSecond: ceiling,
      // the harness is not the bottleneck when this is near 1: the ledger logs in as fast as the target lets it
      ratioLedgerToTargetCeilingAtLedgerConcurrency: Math.round((loginRate / ceilingAtLedger) * 100) / 100,
      whereTheTimeGoesMedianMs: where,
    },
    goals: [
      {
        name: 'overhead beyond the declared phases per single-server experiment, median',
        actual: `${singleOverhead} ms (longest steps: ${top(where.single)})`,
        goal: '< 800 ms',
        met: singleOverhead < 800,
      },
      {
        name: 'Sentinel start (1 primary, 1 replica, 3 sentinels, the target), median',
        actual: `${startMs(sentinel.journal)} ms`,
        goal: '< 1000 ms',
        met: startMs(sentinel.journal) < 1000,
      },
      {
        name: 'Cluster start (3 shards × 1 replica, the target), median',
        actual: `${startMs(cluster.journal)} ms`,
        goal: '< 1000 ms',
        met: startMs(cluster.journal) < 1000,
      },
      {
        name: 'overhead per Sentinel experiment, median',
        actual: `${overhead(sentinel.journal)} ms (longest steps: ${top(where.sentinel)})`,
        goal: '< 1500 ms',
        met: overhead(sentinel.journal) < 1500,
      },
      {
        name: 'overhead per Cluster experiment, median',
        actual: `${overhead(cluster.journal)} ms (longest steps: ${top(where.cluster)})`,
        goal: '< 1500 ms',
        met: overhead(cluster.journal) < 1500,
      },
      {
        name: 'ledger login against session-service, median',
        actual: `${loginRate} users/s (the target's own ceiling at ${ledgerConcurrency} connections: ${ceilingAtLedger}/s)`,
        goal: '>= 5000 users/s',
        met: loginRate >= 5000,
      },
    ],
  };
}
