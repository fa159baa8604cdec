// The Docker runtime: refusals and the missing-engine exit run everywhere; the containers themselves only where a
// Docker engine answers.
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Journal } from '../../../src/journal/journal-types.ts';
import { dockerEngineAvailable } from '../../../src/runtimes/docker/docker-engine.ts';
import { dockerRedisCommand } from '../../../src/runtimes/docker/docker-redis-command.ts';
import { images } from '../../../src/runtimes/docker/images.ts';
import { runCli } from '../../fixtures/run-cli.ts';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const docker = await dockerEngineAvailable();
const reason = 'no Docker engine on this machine (testcontainers finds no container runtime)';
if (!docker) console.log(`skipping the live Docker runtime tests: ${reason}`);
const short = [
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
];

describe('docker runtime', () => {
  it('renders the redis-server command line: persistence off by default, the directives, the harness-owned settings last', () => {
    expect(
      dockerRedisCommand({ config: { maxmemory: '32mb', 'maxmemory-policy': 'allkeys-lru', save: '60 1000' } }),
    ).toEqual([
      'redis-server',
      '--save',
      '',
      '--appendonly',
      'no',
      '--maxmemory',
      '32mb',
      '--maxmemory-policy',
      'allkeys-lru',
      '--save',
      '60',
      '1000',
      '--port',
      '6379',
      '--protected-mode',
      'no',
      '--enable-debug-command',
      'yes',
    ]);
    expect(dockerRedisCommand({ configFile: '/x/candidate.conf' }).slice(0, 2)).toEqual([
      'redis-server',
      '/usr/local/etc/redis/candidate.conf',
    ]);
  });

  it.skipIf(docker)(
    'without a Docker engine, --runtime docker exits 3 with "no Docker engine" and the hint, starting nothing',
    async () => {
      const result = await runCli(['run', 'experiments/flushall.yaml', '--runtime', 'docker'], { cwd: repo });
      expect(result.code).toBe(3);
      expect(result.stderr).toContain('CQ_DOCKER_UNAVAILABLE: no Docker engine:');
      expect(result.stderr).toContain('docker info');
      expect(result.stdout).not.toContain('running');
    },
  );

  it.skipIf(docker)('the same for an experiment that says runtime: docker', async () => {
    const result = await runCli(['run', 'experiments/flushall.yaml', '--set', 'runtime=docker'], { cwd: repo });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('no Docker engine');
  });

  it.skipIf(docker)(
    '--runtime auto with no redis-server on PATH and no Docker engine exits 3 naming both',
    async () => {
      const result = await runCli(['run', 'experiments/flushall.yaml', '--runtime', 'auto'], {
        cwd: repo,
        env: { PATH: '/nonexistent', CACHEQUAKE_REDIS_SERVER: '' },
      });
      expect(result.code).toBe(3);
      expect(result.stderr).toContain(
        'CQ_NO_RUNTIME: --runtime auto found no runtime: redis-server not installed (local), and no Docker engine (docker).',
      );
    },
  );

  it('refuses kill on the docker runtime before looking for an engine: exit 2', async () => {
    const result = await runCli(['run', 'experiments/redis-restart-data-loss.yaml', '--runtime', 'docker'], {
      cwd: repo,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('CQ_FAULT_NEEDS_PROCESS');
  });

  it('rejects an unknown --runtime: exit 2', async () => {
    const result = await runCli(['run', 'experiments/flushall.yaml', '--runtime', 'kubernetes'], { cwd: repo });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Expected --runtime to be local, docker or auto, got "kubernetes"');
  });

  it.skipIf(!docker)(
    `runs experiments/flushall.yaml in containers (Redis ${images.redis}, a real Toxiproxy, PostgreSQL) and passes (skipped without Docker: ${reason})`,
    async () => {
      const reports = await mkdtemp(join(tmpdir(), 'cq-docker-'));
      try {
        const result = await runCli(
          ['run', 'experiments/flushall.yaml', '--runtime', 'docker', ...short, '--reports', reports],
          { cwd: repo, timeoutMs: 600_000 },
        );
        expect(result.code, result.stdout + result.stderr).toBe(0);
        const [runDir] = await readdir(reports);
        const [experiment] = (
          JSON.parse(await readFile(join(reports, runDir as string, 'journal.json'), 'utf8')) as Journal
        ).experiments;
        expect(experiment?.environment.runtime).toBe('docker');
        expect(experiment?.environment.versions.redis).toBe(images.redis.split(':')[1]);
        expect(experiment?.sessions.lost).toBe(0);
      } finally {
        await rm(reports, { recursive: true, force: true });
      }
    },
    600_000,
  );

  it.skipIf(!docker)(
    `puts latency on the Redis link through the Toxiproxy container, probed at its mapped port (skipped without Docker: ${reason})`,
    async () => {
      const reports = await mkdtemp(join(tmpdir(), 'cq-docker-'));
      try {
        const result = await runCli(
          ['run', 'experiments/redis-latency.yaml', '--runtime', 'docker', ...short, '--reports', reports],
          { cwd: repo, timeoutMs: 600_000 },
        );
        expect(result.code, result.stdout + result.stderr).toBe(0);
        const [runDir] = await readdir(reports);
        const [experiment] = (
          JSON.parse(await readFile(join(reports, runDir as string, 'journal.json'), 'utf8')) as Journal
        ).experiments;
        const probe = (experiment?.faults[0]?.evidence as { linkProbe: { after: { ok: boolean; ms: number } } })
          .linkProbe.after;
        expect(probe.ok).toBe(true);
        expect(probe.ms).toBeGreaterThanOrEqual(200);
      } finally {
        await rm(reports, { recursive: true, force: true });
      }
    },
    600_000,
  );
});
