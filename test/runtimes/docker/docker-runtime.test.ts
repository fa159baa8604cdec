// The Docker runtime: refusals and the missing-engine exit run everywhere; the containers themselves only where a
// Docker engine answers.
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { promisify } from 'node:util';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { Journal } from '../../../src/journal/journal-types.ts';
import { dockerRedisCommand } from '../../../src/runtimes/docker/docker-redis-command.ts';
import { selectImages } from '../../../src/runtimes/docker/images.ts';
import { useDockerEngine } from '../../fixtures/docker-engine.ts';
import { cliPath, runCli } from '../../fixtures/run-cli.ts';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
// a real engine: the one that answers, or a private dockerd started (and stopped after) with the local images
const engine = await useDockerEngine();
afterAll(() => engine.stop(), 120_000);
const docker = engine.missing === undefined;
const reason = engine.missing ?? '';
const skipNote = docker ? '' : ` (skipped: ${reason})`;
if (!docker) console.log(`skipping the live Docker runtime tests: ${reason}`);
/** For the missing-engine tests: an engine that cannot answer. */
const noEngine = { DOCKER_HOST: 'unix:///nonexistent/docker.sock' };
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

  it('without a Docker engine, --runtime docker exits 3 with "no Docker engine" and the hint, starting nothing', async () => {
    const result = await runCli(['run', 'experiments/flushall.yaml', '--runtime', 'docker'], {
      cwd: repo,
      env: noEngine,
    });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('CQ_DOCKER_UNAVAILABLE: no Docker engine:');
    expect(result.stderr).toContain('docker info');
    expect(result.stdout).not.toContain('running');
  });

  it('the same for an experiment that says runtime: docker', async () => {
    const result = await runCli(['run', 'experiments/flushall.yaml', '--set', 'runtime=docker'], {
      cwd: repo,
      env: noEngine,
    });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('no Docker engine');
  });

  it('--runtime auto with no redis-server on PATH and no Docker engine exits 3 naming both', async () => {
    const result = await runCli(['run', 'experiments/flushall.yaml', '--runtime', 'auto'], {
      cwd: repo,
      env: { ...noEngine, PATH: '/nonexistent', CACHEQUAKE_REDIS_SERVER: '' },
    });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(
      'CQ_NO_RUNTIME: --runtime auto found no runtime: redis-server not installed (local), and no Docker engine (docker).',
    );
  });

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
    `runs experiments/flushall.yaml in containers (Redis, a Toxiproxy-compatible proxy, PostgreSQL) and passes${skipNote}`,
    async () => {
      const reports = await mkdtemp(join(tmpdir(), 'cq-docker-'));
      try {
        const result = await runCli(
          ['run', 'experiments/flushall.yaml', '--runtime', 'docker', ...short, '--reports', reports],
          { cwd: repo, timeoutMs: 600_000 },
        );
        // the run completes (its verdict under this machine's load is compared with the local runtime's below);
        // what this test checks is that the toxic sits in the Toxiproxy container, seen at its mapped port
        expect([0, 1], result.stdout + result.stderr).toContain(result.code);
        const [runDir] = await readdir(reports);
        const [experiment] = (
          JSON.parse(await readFile(join(reports, runDir as string, 'journal.json'), 'utf8')) as Journal
        ).experiments;
        expect(experiment?.environment.runtime).toBe('docker');
        expect(experiment?.environment.versions.redis).toBe(selectImages().redis.split(':')[1]);
        expect(experiment?.sessions.lost).toBe(0);
      } finally {
        await rm(reports, { recursive: true, force: true });
      }
    },
    600_000,
  );

  it.skipIf(!docker)(
    `puts latency on the Redis link through the Toxiproxy container, probed at its mapped port${skipNote}`,
    async () => {
      const reports = await mkdtemp(join(tmpdir(), 'cq-docker-'));
      try {
        const result = await runCli(
          ['run', 'experiments/redis-latency.yaml', '--runtime', 'docker', ...short, '--reports', reports],
          { cwd: repo, timeoutMs: 600_000 },
        );
        // the run completes (its verdict under this machine's load is compared with the local runtime's below);
        // what this test checks is that the toxic sits in the Toxiproxy container, seen at its mapped port
        expect([0, 1], result.stdout + result.stderr).toContain(result.code);
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

// The same experiment, the same short phases, on both runtimes: the verdict (exit code and status) must agree.
const verdictCases: { experiment: string; target: string; extra: string[] }[] = [
  // the two verdicts that matter: a target that survives (passes) and the incident target that loses sessions
  // (fails) — each on both runtimes; latency has its own test above. Kept to four: each case is two full runs.
  { experiment: 'flushall', target: 'session-service', extra: [] },
  // the 10 s outage does not fit the short 4 s fault phase
  { experiment: 'redis-outage', target: 'session-service', extra: ['--set', 'faults.0.for=2s'] },
  ...['session-service', 'naive-session-service'].map((target) => ({
    experiment: 'incident-2am',
    target,
    extra: ['--set', 'phases.fault=6s', '--set', 'faults.1.at=1s', '--set', 'faults.1.for=4s'],
  })),
];

async function verdict(experiment: string, target: string, runtime: 'local' | 'docker', extra: string[]) {
  const reports = await mkdtemp(join(tmpdir(), `cq-verdict-${runtime}-`));
  try {
    const args = ['run', `experiments/${experiment}.yaml`, '--runtime', runtime, '--target', target];
    const result = await runCli([...args, ...short, ...extra, '--reports', reports], {
      cwd: repo,
      timeoutMs: 300_000,
    });
    const [runDir] = await readdir(reports);
    const journal = runDir
      ? (JSON.parse(await readFile(join(reports, runDir, 'journal.json'), 'utf8')) as Journal)
      : undefined;
    const [entry] = journal?.experiments ?? [];
    return {
      code: result.code,
      status: entry?.status,
      runtime: entry?.environment.runtime,
      guard: entry?.safety?.guard,
      output: result.stdout + result.stderr,
    };
  } finally {
    await rm(reports, { recursive: true, force: true });
  }
}

describe.skipIf(!docker)(`docker runtime verdicts match the local runtime's${skipNote}`, () => {
  for (const { experiment, target, extra } of verdictCases)
    it(`${experiment} on ${target}`, async () => {
      const local = await verdict(experiment, target, 'local', extra);
      const inContainers = await verdict(experiment, target, 'docker', extra);
      expect(inContainers.runtime).toBe('docker');
      expect(local.runtime).toBe('local');
      expect({ code: inContainers.code, status: inContainers.status }, inContainers.output).toEqual({
        code: local.code,
        status: local.status,
      });
      // FLUSHALL reaches the container's Redis only because the docker runtime recorded it as started here
      if (experiment === 'flushall') {
        expect(inContainers.guard?.basis).toBe('harness-started');
        expect(inContainers.guard?.detail).toContain('this harness started');
      }
    }, 600_000);
});

const dockerCli = async (...args: string[]) =>
  (await promisify(execFile)('docker', args, { env: process.env })).stdout.split('\n').filter(Boolean);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(!docker)(`the harness's own reaper, Ryuk disabled${skipNote}`, () => {
  it('SIGKILL of the harness mid-run leaves no container, network or volume of that run after 10 s', async () => {
    const volumesBefore = new Set(await dockerCli('volume', 'ls', '-q'));
    const reports = await mkdtemp(join(tmpdir(), 'cq-docker-kill-'));
    const harness = spawn(
      process.execPath,
      [
        cliPath,
        'run',
        'experiments/redis-latency.yaml',
        '--runtime',
        'docker',
        '--set',
        'phases.fault=120s',
        '--reports',
        reports,
      ],
      { cwd: repo, env: { ...process.env, TESTCONTAINERS_RYUK_DISABLED: 'true' }, stdio: 'ignore' },
    );
    try {
      // mid-run: the run's Redis, PostgreSQL and proxy containers are up
      let runId: string | undefined;
      for (let waited = 0; waited < 180_000 && !runId; waited += 500) {
        await sleep(500);
        const labels = await dockerCli(
          'ps',
          '--filter',
          'label=cachequake.run',
          '--format',
          '{{.Label "cachequake.run"}}',
        );
        if (labels.length >= 3) runId = labels[0];
      }
      expect(runId, 'the run never had its three containers up').toBeDefined();
      const networks = await dockerCli('ps', '--filter', `label=cachequake.run=${runId}`, '--format', '{{.Networks}}');
      harness.kill('SIGKILL');
      await sleep(10_000);
      expect(await dockerCli('ps', '-a', '-q', '--filter', `label=cachequake.run=${runId}`)).toEqual([]);
      const left = new Set(await dockerCli('network', 'ls', '--format', '{{.Name}}'));
      for (const name of new Set(networks.flatMap((n) => n.split(',')).filter((n) => n !== 'bridge')))
        expect(left.has(name), name).toBe(false);
      expect((await dockerCli('volume', 'ls', '-q')).filter((v) => !volumesBefore.has(v))).toEqual([]);
    } finally {
      harness.kill('SIGKILL');
      await rm(reports, { recursive: true, force: true });
    }
  }, 300_000);
});
