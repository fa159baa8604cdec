// docker-compose.yml checked as data (services, pinned images, loopback ports, proxies matching the environment file);
// live only with Docker.
import { existsSync, readFileSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadEnvironmentFile } from '../../../src/experiment/load-environment-file.ts';
import { checkStagingFaults } from '../../../src/safety/staging-preflight.ts';
import { loadExperiments } from '../../../src/experiment/load-experiment.ts';
import { dockerEngineAvailable } from '../../../src/runtimes/docker/docker-engine.ts';
import { images } from '../../../src/runtimes/docker/images.ts';
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

const docker = await dockerEngineAvailable();
const composeReason = 'no Docker engine on this machine (docker info does not answer)';
if (!docker) console.log(`skipping the live docker compose test: ${composeReason}`);

describe('docker compose stack, live', () => {
  it.skipIf(!docker)(
    `comes up and passes experiments/redis-latency.yaml through --env staging/compose.env.yaml (skipped without Docker: ${composeReason})`,
    async () => {
      const run = promisify(execFile);
      await run('docker', ['compose', 'up', '-d', '--build', '--wait'], { cwd: repo, timeout: 600_000 });
      try {
        const result = await runCli(
          [
            'run',
            'experiments/redis-latency.yaml',
            '--env',
            'staging/compose.env.yaml',
            '--set',
            'phases.fault=5s',
            '--set',
            'sessions.users=200',
          ],
          { cwd: repo },
        );
        expect(result.code, result.stdout + result.stderr).toBe(0);
      } finally {
        await run('docker', ['compose', 'down', '-v'], { cwd: repo, timeout: 120_000 });
      }
    },
    900_000,
  );
});
