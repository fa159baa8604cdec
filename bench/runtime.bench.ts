// Time until Redis and PostgreSQL are both ready, started in parallel (the template copy), against initdb per run as
// the baseline; and, for information, the same for the docker runtime's containers (its images, DOCKER_HOST's engine
// or a private one started for the bench).
import { rm } from 'node:fs/promises';
import { startPostgres, startRedis } from '../src/runtimes/local/index.ts';
import { templateDir } from '../src/runtimes/local/postgres-template.ts';
import { requirePostgresBinDir } from '../src/runtimes/local/binaries.ts';
import { percentile, type BenchResult } from './bench-result.ts';
import { useDockerEngine } from '../test/fixtures/docker-engine.ts';
import { selectImages } from '../src/runtimes/docker/images.ts';

/** Redis and PostgreSQL containers ready (testcontainers' own wait strategies), started in parallel. */
async function timeContainersReady(): Promise<number> {
  const { GenericContainer, Wait } = await import('testcontainers');
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  const images = selectImages();
  const started = performance.now();
  const both = await Promise.allSettled([
    new GenericContainer(images.redis)
      .withExposedPorts(6379)
      .withCommand(['redis-server', '--protected-mode', 'no', '--save', ''])
      .withWaitStrategy(Wait.forLogMessage('Ready to accept connections'))
      .start(),
    new PostgreSqlContainer(images.postgres).start(),
  ]);
  const elapsed = performance.now() - started;
  for (const r of both) if (r.status === 'fulfilled') await r.value.stop();
  for (const r of both) if (r.status === 'rejected') throw r.reason;
  return elapsed;
}

async function dockerMedian(): Promise<{ medianMs?: number; runs: number; note?: string }> {
  const engine = await useDockerEngine();
  if (engine.missing) return { runs: 0, note: engine.missing };
  try {
    await timeContainersReady(); // warm-up
    const runs = 5;
    const times: number[] = [];
    for (let i = 0; i < runs; i++) times.push(await timeContainersReady());
    return { medianMs: percentile(times, 50), runs };
  } finally {
    await engine.stop();
  }
}

async function timeBothReady(): Promise<number> {
  const started = performance.now();
  const [redis, postgres] = await Promise.allSettled([startRedis(), startPostgres()]);
  const elapsed = performance.now() - started;
  // stop whatever started, also when the other one failed
  for (const r of [redis, postgres]) if (r.status === 'fulfilled') await r.value.stop();
  for (const r of [redis, postgres]) if (r.status === 'rejected') throw r.reason;
  return elapsed;
}

export default async function bench(): Promise<BenchResult> {
  await timeBothReady(); // warm-up: makes the template and warms the page cache
  const runs = 15;
  const templated: number[] = [];
  for (let i = 0; i < runs; i++) templated.push(await timeBothReady());

  // Baseline: the same start with initdb on every run (the template removed before each start).
  const baseline: number[] = [];
  const template = templateDir(requirePostgresBinDir());
  for (let i = 0; i < 3; i++) {
    // a background spare copy may still be writing
    await rm(template, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
    baseline.push(await timeBothReady());
  }
  const medianMs = percentile(templated, 50);
  const baselineMedianMs = percentile(baseline, 50);
  const docker = await dockerMedian();
  return {
    measurements: {
      runs,
      medianMs: round(medianMs),
      p95Ms: round(percentile(templated, 95)),
      minMs: round(Math.min(...templated)),
      maxMs: round(Math.max(...templated)),
      baselineInitdbEachRunMedianMs: round(baselineMedianMs),
      ratioToInitdbBaseline: round(medianMs / baselineMedianMs, 3),
      // information, not a goal: the docker runtime's Redis + PostgreSQL containers, in the same run
      dockerRuns: docker.runs,
      ...(docker.medianMs === undefined ? {} : { dockerMedianMs: round(docker.medianMs) }),
      ...(docker.note === undefined ? {} : { dockerSkipped: docker.note }),
    },
    goals: [
      {
        name: 'Redis + PostgreSQL ready in parallel, median',
        actual: `${round(medianMs)} ms`,
        goal: '< 300 ms',
        met: medianMs < 300,
      },
      {
        name: 'template copy vs initdb per run',
        actual: `${round(medianMs / baselineMedianMs, 3)}x`,
        goal: '< 1 (faster than initdb)',
        met: medianMs < baselineMedianMs,
      },
    ],
  };
}

function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
