// docker-compose.yml checked as data (services, pinned images, loopback ports, proxies matching the environment file);
// live only with Docker.
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { loadEnvironmentFile } from '../../../src/experiment/load-environment-file.ts';
import { checkStagingFaults } from '../../../src/safety/staging-preflight.ts';
import { loadExperiments } from '../../../src/experiment/load-experiment.ts';
import { images, localImages } from '../../../src/runtimes/docker/images.ts';
import { useDockerEngine } from '../../fixtures/docker-engine.ts';
import { runCli } from '../../fixtures/run-cli.ts';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const at = (path: string) => `${repo}${path}`;

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  ports?: string[];
  volumes?: string[];
  environment?: Record<string, string>;
  profiles?: string[];
}
const compose = parse(readFileSync(at('docker-compose.yml'), 'utf8')) as { services: Record<string, Service> };
const services = compose.services;
const service = (name: string) => services[name] as Service;
const proxiesFile = JSON.parse(readFileSync(at('staging/toxiproxy.json'), 'utf8')) as {
  name: string;
  listen: string;
  upstream: string;
}[];

/** `127.0.0.1:8474:8474` → { host: '127.0.0.1', published: 8474, container: 8474 } */
function port(mapping: string) {
  const [host, published, container] = mapping.split(':');
  return { host, published: Number(published), container: Number(container) };
}
const publishedPorts = (name: string) => (service(name).ports ?? []).map(port);

describe('docker-compose.yml', () => {
  it('has redis, postgres, toxiproxy, session-service and an optional k6 (profile)', () => {
    expect(Object.keys(services).sort()).toEqual(['k6', 'postgres', 'redis', 'session-service', 'toxiproxy']);
    expect(service('k6').profiles).toEqual(['k6']);
    for (const name of ['redis', 'postgres', 'toxiproxy', 'session-service'])
      expect(service(name).profiles).toBeUndefined();
  });

  it('pins every image (a tag, never latest) to the tags of src/runtimes/docker/images.ts', () => {
    const expected = { redis: images.redis, postgres: images.postgres, toxiproxy: images.toxiproxy, k6: images.k6 };
    for (const [name, image] of Object.entries(expected)) expect(service(name).image, name).toBe(image);
    for (const image of Object.values(images)) expect(image).toMatch(/:[0-9][\w.-]*$/);
    const dockerfile = readFileSync(at(service('session-service').build!.dockerfile), 'utf8');
    expect(dockerfile).toContain(`FROM ${images.node}`);
    expect(`${readFileSync(at('docker-compose.yml'), 'utf8')}${dockerfile}`).not.toMatch(/:latest\b/);
  });

  it('docker-compose.local.yml swaps in exactly the local images of images.ts, session-service prebuilt', () => {
    const local = parse(readFileSync(at('docker-compose.local.yml'), 'utf8')) as { services: Record<string, Service> };
    expect(local.services.redis?.image).toBe(localImages.redis);
    expect(local.services.postgres?.image).toBe(localImages.postgres);
    expect(local.services.toxiproxy?.image).toBe(localImages.toxiproxy);
    expect(local.services['session-service']?.image).toMatch(/^cachequake\.local\//);
    expect(images.toxiproxy).toBe('ghcr.io/shopify/toxiproxy:2.12.0');
  });

  it('publishes every port on loopback only, and the environment file points at those ports', async () => {
    for (const name of Object.keys(services))
      for (const p of publishedPorts(name)) expect(p.host, `${name} ${JSON.stringify(p)}`).toBe('127.0.0.1');
    const { environment: env } = await loadEnvironmentFile(at('staging/compose.env.yaml'));
    const published = (name: string) => publishedPorts(name).map((p) => p.published);
    expect(published('session-service')).toContain(Number(new URL(env.target.url).port));
    expect(published('toxiproxy')).toContain(Number(new URL(env.toxiproxy.url).port));
    expect(published('redis')).toContain(Number(new URL(env.redis.adminUrl).port));
    expect(env.metrics?.url).toBe(`${env.target.url}/metrics`);
  });

  it('creates at start exactly the proxies the environment file names, in front of the redis and postgres services', async () => {
    const toxiproxy = service('toxiproxy');
    expect(toxiproxy.volumes).toContain('./staging/toxiproxy.json:/config/toxiproxy.json:ro');
    expect(toxiproxy.command).toContain('-config=/config/toxiproxy.json');
    const { environment: env } = await loadEnvironmentFile(at('staging/compose.env.yaml'));
    expect(proxiesFile.map((p) => p.name).sort()).toEqual(Object.values(env.toxiproxy.proxies).sort());
    const byName = Object.fromEntries(proxiesFile.map((p) => [p.name, p]));
    expect(byName[env.toxiproxy.proxies.redis]?.upstream).toBe('redis:6379');
    expect(byName[env.toxiproxy.proxies.postgres as string]?.upstream).toBe('postgres:5432');
    // the service reaches Redis and PostgreSQL through those proxies, so faults on the links reach it
    const listenPort = (name: string) => Number(byName[name]?.listen.split(':').at(-1));
    const serviceEnv = service('session-service').environment ?? {};
    expect(serviceEnv.REDIS_URL).toBe(`redis://toxiproxy:${listenPort(env.toxiproxy.proxies.redis)}`);
    expect(serviceEnv.DATABASE_URL).toMatch(
      new RegExp(`@toxiproxy:${listenPort(env.toxiproxy.proxies.postgres as string)}/`),
    );
    for (const p of proxiesFile)
      expect(publishedPorts('toxiproxy').map((x) => x.container)).toContain(Number(p.listen.split(':').at(-1)));
  });

  it('session-service has a Dockerfile in its folder, the bundled network and Redis experiments are permitted by the environment file, kill is not', async () => {
    expect(existsSync(at('targets/session-service/Dockerfile'))).toBe(true);
    const loaded = await loadEnvironmentFile(at('staging/compose.env.yaml'));
    const experiments = await loadExperiments(
      [
        'experiments/redis-latency.yaml',
        'experiments/redis-outage.yaml',
        'experiments/postgres-outage.yaml',
        'experiments/flushall.yaml',
      ].map(at),
    );
    expect(() =>
      checkStagingFaults(
        loaded,
        experiments.map((e) => e.experiment),
      ),
    ).not.toThrow();
    const kill = await loadExperiments([at('experiments/redis-restart-data-loss.yaml')]);
    expect(() =>
      checkStagingFaults(
        loaded,
        kill.map((e) => e.experiment),
      ),
    ).toThrow(/does not permit kill/);
  });
});

// a real engine: the one that answers, or a private dockerd started (and stopped after) with the local images
const engine = await useDockerEngine();
afterAll(() => engine.stop(), 120_000);
const docker = engine.missing === undefined;
const composeReason = engine.missing ?? '';
if (!docker) console.log(`skipping the live docker compose test: ${composeReason}`);
const exec = promisify(execFile);

/** `docker compose` (v2) where present, else docker-compose 1.29, which rejects the top-level `name:` key. */
async function composeCommand(): Promise<{ command: string; args: string[]; v2: boolean }> {
  const local = process.env.CACHEQUAKE_IMAGES === 'local' ? ['-f', at('docker-compose.local.yml')] : [];
  const v2 = await exec('docker', ['compose', 'version']).then(
    () => true,
    () => false,
  );
  if (v2) return { command: 'docker', args: ['compose', '-f', at('docker-compose.yml'), ...local], v2 };
  const dir = at('.cache/compose-v1');
  await mkdir(dir, { recursive: true });
  const { name, ...rest } = parse(readFileSync(at('docker-compose.yml'), 'utf8')) as { name: string };
  // docker-compose 1.29 reads YAML 1.1, where a bare no is false: write 1.1 so such strings are quoted
  await writeFile(join(dir, 'docker-compose.yml'), stringify(rest, { version: '1.1' }));
  const files = ['-f', join(dir, 'docker-compose.yml'), ...local];
  return { command: 'docker-compose', args: ['--project-directory', repo, '-p', name, ...files], v2 };
}

async function waitHealthy(url: string, timeoutMs: number): Promise<void> {
  const began = Date.now();
  for (;;) {
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    if (Date.now() - began > timeoutMs) throw new Error(`${url} did not answer 200 within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

describe.skipIf(!docker)(`docker compose stack, live (skipped: ${composeReason})`, () => {
  it('comes up, passes experiments/redis-latency.yaml through --env staging/compose.env.yaml, and the guard refuses FLUSHALL on the unprepared Redis', async () => {
    const compose = await composeCommand();
    const local = process.env.CACHEQUAKE_IMAGES === 'local';
    const up = compose.v2
      ? ['up', '-d', '--wait', local ? '--no-build' : '--build']
      : ['up', '-d', local ? '--no-build' : '--build'];
    const run = (args: string[], timeout: number) =>
      exec(compose.command, [...compose.args, ...args], { cwd: repo, timeout, env: process.env });
    try {
      await run(up, 600_000);
      const { environment: env } = await loadEnvironmentFile(at('staging/compose.env.yaml'));
      await waitHealthy(`${env.target.url}/health`, 120_000);
      const passed = await runCli(
        [
          'run',
          'experiments/redis-latency.yaml',
          '--env',
          'staging/compose.env.yaml',
          '--set',
          'phases.fault=5s',
          '--set',
          'sessions.users=200',
          '--reports',
          at('.cache/compose-reports'),
        ],
        { cwd: repo, timeoutMs: 300_000 },
      );
      expect(passed.code, passed.stdout + passed.stderr).toBe(0);

      // not prepared (no marker) and more keys than redis.maxKeys: FLUSHALL must not be sent
      const redis = new Redis(env.redis.adminUrl);
      try {
        const maxKeys = env.redis.maxKeys as number;
        for (let i = 0; i <= maxKeys; i += 10_000) {
          const batch = redis.pipeline();
          for (let j = i; j < Math.min(i + 10_000, maxKeys + 1); j++) batch.set(`filler:${j}`, 'x');
          await batch.exec();
        }
        const refused = await runCli(
          [
            'run',
            'experiments/flushall.yaml',
            '--env',
            'staging/compose.env.yaml',
            '--allow-destructive',
            'compose-redis',
            '--reports',
            at('.cache/compose-reports'),
          ],
          { cwd: repo, timeoutMs: 300_000 },
        );
        expect(refused.code, refused.stdout + refused.stderr).toBe(2);
        expect(refused.stderr).toContain('CQ_DESTRUCTIVE_REFUSED');
        // every filler key is still there (the service's own sessions expire meanwhile, so DBSIZE would drift)
        expect((await redis.keys('filler:*')).length).toBe(maxKeys + 1);
      } finally {
        redis.disconnect();
      }
    } finally {
      await run(['down', '-v', '--remove-orphans'], 180_000);
      await rm(at('.cache/compose-reports'), { recursive: true, force: true });
    }
  }, 900_000);
});
