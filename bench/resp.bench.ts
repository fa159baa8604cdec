// RESP layer benchmark: redis-benchmark direct vs the plain proxy vs the proxy parsing RESP with no rules, -P 16 and
// plain, same run.
import { execFile } from 'node:child_process';
import { Toxiproxy } from 'toxiproxy-node-client';
import { startFaultProxy } from '../src/proxy/index.ts';
import { startRedis } from '../src/runtimes/local/index.ts';
import { percentile, type BenchResult } from './bench-result.ts';

const rounds = 3;
const requestsPerRun = 200_000;

interface Run {
  opsPerSecond: number;
  p50Ms: number;
}

export default async function bench(): Promise<BenchResult> {
  await using redis = await startRedis({});
  await using api = await startFaultProxy();
  const client = new Toxiproxy(api.url);
  const upstream = `127.0.0.1:${redis.port}`;
  const plain = await client.createProxy({ name: 'plain', listen: '127.0.0.1:0', upstream });
  const resp = await client.createProxy({ name: 'resp', listen: '127.0.0.1:0', upstream });
  const armed = await fetch(`${api.url}/proxies/resp/redis-rules`, { method: 'POST', body: '{"rules":[]}' });
  if (!armed.ok) throw new Error(`arming RESP tracking failed: HTTP ${armed.status}`);
  const ports = { direct: redis.port, plainProxy: portOf(plain.listen), respLayer: portOf(resp.listen) };

  const modes = { pipelined16: ['-P', '16'], plain: [] as string[] };
  const measurements: Record<string, unknown> = { rounds, requestsPerRun, redisBenchmark: '-c 50 -t get,set' };
  const goals: BenchResult['goals'] = [];
  for (const [mode, extra] of Object.entries(modes)) {
    const runs: Record<keyof typeof ports, Run[]> = { direct: [], plainProxy: [], respLayer: [] };
    for (let round = 0; round < rounds; round++) {
      // Interleaved so machine load hits all three alike.
      for (const [name, port] of Object.entries(ports) as [keyof typeof ports, number][])
        runs[name].push(await redisBenchmark(port, extra));
    }
    const ops = (name: keyof typeof ports): number =>
      Math.round(
        percentile(
          runs[name].map((r) => r.opsPerSecond),
          50,
        ),
      );
    const p50 = (name: keyof typeof ports): number =>
      percentile(
        runs[name].map((r) => r.p50Ms),
        50,
      );
    const ratio = round3(ops('respLayer') / ops('direct'));
    measurements[mode] = {
      directOpsPerSecond: ops('direct'),
      plainProxyOpsPerSecond: ops('plainProxy'),
      respLayerOpsPerSecond: ops('respLayer'),
      ratioRespToDirect: ratio,
      ratioRespToPlainProxy: round3(ops('respLayer') / ops('plainProxy')),
      ratioPlainProxyToDirect: round3(ops('plainProxy') / ops('direct')),
      p50Ms: { direct: p50('direct'), plainProxy: p50('plainProxy'), respLayer: p50('respLayer') },
      perRound: runs,
    };
    if (mode === 'pipelined16')
      goals.push({
        name: 'redis-benchmark -P 16 through the RESP layer (no rules): ops/s vs direct',
        actual: ratio,
        goal: '>= 0.5',
        met: ratio >= 0.5,
      });
  }
  return { measurements, goals };
}

/** One redis-benchmark run (SET then GET); ops/s is requests over the summed time of both tests. */
async function redisBenchmark(port: number, extra: string[]): Promise<Run> {
  const args = [
    '-h',
    '127.0.0.1',
    '-p',
    String(port),
    '-c',
    '50',
    '-n',
    String(requestsPerRun),
    '-t',
    'get,set',
    '--csv',
    ...extra,
  ];
  const stdout = await new Promise<string>((resolve, reject) =>
    execFile('redis-benchmark', args, { timeout: 300_000 }, (error, out) => (error ? reject(error) : resolve(out))),
  );
  const tests = stdout
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split(',').map((c) => c.replaceAll('"', '')));
  if (tests.length !== 2) throw new Error(`redis-benchmark on port ${port} printed: ${stdout}`);
  const seconds = tests.reduce((sum, cells) => sum + requestsPerRun / Number(cells[1]), 0);
  return {
    opsPerSecond: (requestsPerRun * tests.length) / seconds,
    p50Ms: percentile(
      tests.map((cells) => Number(cells[4])),
      50,
    ),
  };
}

function portOf(listen: string): number {
  return Number(listen.slice(listen.lastIndexOf(':') + 1));
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
