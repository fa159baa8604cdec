// Cluster fault kinds are refused at validation (exit 2, naming faults[i].kind / .shard / .to) outside topology cluster
// or past redis.shards; the API refuses a bad rewriteAddresses with a 400.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFaultProxy, type StartedFaultProxy } from '../../../src/proxy/index.ts';
import { runCli } from '../../fixtures/run-cli.ts';
import { startProxyLinks } from '../../../src/runtimes/proxy-links.ts';
import { startClusterTopology } from '../../../src/runtimes/topology/cluster/start-cluster-topology.ts';
import { CachequakeError } from '../../../src/errors/index.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cq-cluster-validate-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function validate(redis: string, fault: string) {
  const file = join(dir, `e${Math.random().toString(36).slice(2)}.yaml`);
  await writeFile(file, `name: v\ntarget: session-service\nredis: ${redis}\nfaults:\n  - ${fault}\n`);
  return runCli(['validate', file]);
}

describe('experiment validation', () => {
  it.each([
    ['{ topology: single }', '{ kind: kill-shard, shard: 0 }', 'faults.0.kind', 'needs redis.topology: cluster'],
    [
      '{ topology: sentinel }',
      '{ kind: migrate-slots, shard: 0, to: 1 }',
      'faults.0.kind',
      'needs redis.topology: cluster',
    ],
    ['{ topology: cluster }', '{ kind: freeze-shard, shard: 3 }', 'faults.0.shard', 'shards 0 … 2'],
    ['{ topology: cluster, shards: 4 }', '{ kind: migrate-slots, shard: 1, to: 4 }', 'faults.0.to', 'shards 0 … 3'],
    ['{ topology: cluster }', '{ kind: migrate-slots, shard: 1, to: 1 }', 'faults.0.to', 'name another shard'],
    ['{ topology: cluster, replicas: 0 }', '{ kind: failover-shard, shard: 1 }', 'faults.0.kind', 'replicas is 0'],
  ])(
    'redis %s with %s: exit 2 naming %s',
    async (redis, fault, path, message) => {
      const result = await validate(redis, fault);
      expect(result.code).toBe(2);
      const output = result.stdout + result.stderr;
      expect(output).toContain(message);
      expect(output.replace(/\[(\d+)\]/g, '.$1')).toContain(path);
      expect(output).not.toMatch(/\n\s+at /); // no stack trace
    },
    30_000,
  );

  it('a valid cluster experiment passes', async () => {
    const result = await validate(
      '{ topology: cluster, shards: 3, replicas: 1 }',
      '{ kind: migrate-slots, shard: 0, to: 2, slots: 32, hold: 50ms }',
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  }, 30_000);
});

describe('the /redis-rules API', () => {
  let api: StartedFaultProxy;
  beforeAll(async () => {
    api = await startFaultProxy();
    await fetch(`${api.url}/proxies`, {
      method: 'POST',
      body: JSON.stringify({ name: 'n', listen: '127.0.0.1:0', upstream: '127.0.0.1:1' }),
    });
  });
  afterAll(async () => {
    await api.stop();
  });
  const post = async (body: string) => {
    const response = await fetch(`${api.url}/proxies/n/redis-rules`, { method: 'POST', body });
    return { status: response.status, text: await response.text() };
  };

  it.each([
    ['{"rewriteAddresses":"yes"}', 'rewriteAddresses must be true or false, got "yes"'],
    ['{"rewriteAddresses":1,"rules":[]}', 'rewriteAddresses must be true or false, got 1'],
    ['{}', 'expected {"rules":[…]} and/or {"rewriteAddresses":true|false}'],
  ])('%s: 400 %s', async (body, message) => {
    const response = await post(body);
    expect(response.status).toBe(400);
    expect((JSON.parse(response.text) as { error: string }).error).toContain(message);
  });

  it('rewriteAddresses alone switches it and keeps the rules; rules alone keep it', async () => {
    await post('{"rules":[{"name":"r","action":"error","commands":["SET"],"error":"OOM"}]}');
    const on = JSON.parse((await post('{"rewriteAddresses":true}')).text);
    expect(on).toMatchObject({
      tracking: true,
      rewriteAddresses: true,
      rules: [{ name: 'r' }],
      rewrites: { replies: 0, moved: 0, ask: 0 },
    });
    const rulesOnly = JSON.parse((await post('{"rules":[]}')).text);
    expect(rulesOnly).toMatchObject({ rewriteAddresses: true, rules: [] });
    const off = JSON.parse((await post('{"rewriteAddresses":false}')).text);
    expect(off).toMatchObject({ rewriteAddresses: false, rewrites: null });
  });
});

describe('a real Toxiproxy in front', () => {
  it('the cluster topology refuses it (exit 3) before starting a node: it cannot rewrite the addresses', async () => {
    // Another proxy server reached through TOXIPROXY_URL's path: not the embedded one of this run.
    const other = await startFaultProxy();
    try {
      const links = await startProxyLinks('cq-ext-', other.url);
      expect(links.embedded).toBe(false);
      const error = await startClusterTopology({}, { kind: 'cluster', shards: 3, replicas: 1 }, links).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(CachequakeError);
      expect((error as CachequakeError).code).toBe('CQ_CLUSTER_NEEDS_EMBEDDED_PROXY');
      expect((error as CachequakeError).exitCode).toBe(3);
      expect((error as CachequakeError).message).toContain('redirected past the proxy');
      const proxies = (await (await fetch(`${other.url}/proxies`)).json()) as Record<string, unknown>;
      expect(Object.keys(proxies)).toEqual([]);
      await links.stop();
    } finally {
      await other.stop();
    }
  });
});
