// Fault proxy benchmark: redis-benchmark direct vs through the proxy (plain and -P 16), one-connection MB/s, and no
// fd/heap growth.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo, type Server } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Toxiproxy } from 'toxiproxy-node-client';
import { startFaultProxy } from '../src/proxy/index.ts';
import { percentile, type BenchResult } from './bench-result.ts';

const rounds = 3;
const requestsPerRun = 200_000;
const bulkBytes = 512 * 1024 * 1024;
const shortConnections = 100_000;
/**
 * Bulk bytes through the proxy as a share of direct: a copy loop that adds one read and one write per chunk, on the
 * same two cores as sender and sink, should keep at least half the rate.
 */
const bulkShareMin = 0.5;

export default async function bench(): Promise<BenchResult> {
  const redisPort = await freePort();
  const redis = spawn(
    'redis-server',
    ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  const api = await startFaultProxy();
  try {
    await waitForPort(redisPort);
    const client = new Toxiproxy(api.url);
    const proxy = await client.createProxy({
      name: 'redis',
      listen: '127.0.0.1:0',
      upstream: `127.0.0.1:${redisPort}`,
    });
    const proxyPort = portOf(proxy.listen);

    const modes = { plain: [] as string[], pipelined16: ['-P', '16'] };
    const runs: Record<string, { direct: RedisRun[]; proxy: RedisRun[] }> = {
      plain: { direct: [], proxy: [] },
      pipelined16: { direct: [], proxy: [] },
    };
    for (let round = 0; round < rounds; round++) {
      for (const [mode, extra] of Object.entries(modes)) {
        // Interleaved in the same run so machine load affects both sides alike.
        runs[mode]!.direct.push(await redisBenchmark(redisPort, extra, redis.pid));
        runs[mode]!.proxy.push(await redisBenchmark(proxyPort, extra, redis.pid));
      }
    }
    const measurements: Record<string, unknown> = { rounds, requestsPerRun, redisBenchmark: '-c 50 -t get,set' };
    const goals: BenchResult['goals'] = [];
    for (const mode of Object.keys(modes)) {
      const { direct, proxy: through } = runs[mode]!;
      const directOps = median(direct.map((r) => r.opsPerSecond));
      const proxyOps = median(through.map((r) => r.opsPerSecond));
      const ratio = round3(proxyOps / directOps);
      const addedP50Ms = round3(median(through.map((r) => r.p50Ms)) - median(direct.map((r) => r.p50Ms)));
      measurements[mode] = {
        directOpsPerSecond: Math.round(directOps),
        proxyOpsPerSecond: Math.round(proxyOps),
        ratioProxyToDirect: ratio,
        directP50Ms: median(direct.map((r) => r.p50Ms)),
        proxyP50Ms: median(through.map((r) => r.p50Ms)),
        addedP50Ms,
        cpuMicrosPerOp: { direct: medianCpu(direct), proxy: medianCpu(through) },
        perRound: direct.map((d, i) => ({ direct: d, proxy: through[i] })),
      };
      goals.push({
        name: `redis-benchmark ${mode}: proxy/direct ops/s`,
        actual: ratio,
        goal: '>= 0.6 of direct in this run',
        met: ratio >= 0.6,
      });
    }

    // interleaved like redis-benchmark above: the goal is the proxy's share of direct MB/s measured in this run
    const bulkDirect: number[] = [];
    const bulkThrough: number[] = [];
    for (let round = 0; round < rounds; round++) {
      bulkDirect.push(await bulkTransferMBps(null));
      bulkThrough.push(
        await bulkTransferMBps(async (sinkPort) => {
          const bulk = await client.createProxy({
            name: `bulk-${round}`,
            listen: '127.0.0.1:0',
            upstream: `127.0.0.1:${sinkPort}`,
          });
          return portOf(bulk.listen);
        }),
      );
    }
    const directMBps = median(bulkDirect);
    const proxyMBps = median(bulkThrough);
    const bulkRatio = round3(proxyMBps / directMBps);
    measurements.bulk = {
      bytes: bulkBytes,
      directMBps,
      proxyMBps,
      ratioProxyToDirect: bulkRatio,
      perRound: bulkDirect.map((d, i) => ({ directMBps: d, proxyMBps: bulkThrough[i] })),
    };
    goals.push({
      name: 'one connection bulk transfer through the proxy, share of direct MB/s',
      actual: `${bulkRatio} (${proxyMBps} vs ${directMBps} MB/s)`,
      goal: `>= ${bulkShareMin} of direct in this run`,
      met: bulkRatio >= bulkShareMin,
    });

    const churn = await shortConnectionChurn(client);
    measurements.shortConnections = churn;
    goals.push({
      name: `open fds after ${shortConnections} short connections (growth)`,
      actual: churn.fdGrowth,
      goal: '<= 2',
      met: churn.fdGrowth <= 2,
    });
    goals.push({
      name: `heap after ${shortConnections} short connections (growth, MB)`,
      actual: churn.heapGrowthMB,
      goal: '<= 8 MB',
      met: churn.heapGrowthMB <= 8,
    });
    return { measurements, goals };
  } finally {
    await api.stop();
    redis.kill('SIGKILL');
    await once(redis, 'exit').catch(() => undefined);
  }
}

interface RedisRun {
  opsPerSecond: number;
  p50Ms: number;
  byTest: Record<string, { rps: number; p50Ms: number }>;
  /** CPU time (user + system) per operation of each process during the run, and cores busy on average. */
  cpu: CpuPerOp;
}

interface CpuPerOp {
  benchmarkMicros: number;
  redisMicros: number;
  proxyMicros: number;
  /** The three processes' CPU over the run's wall time. */
  coresBusy: number;
  /** The whole machine's (from /proc/stat): well above coresBusy means something else ran too. */
  machineCoresBusy: number;
}

/**
 * One redis-benchmark run (SET then GET); ops/s is requests over the summed time of both tests. redis-benchmark runs
 * under `sh` so its CPU time can be read from the shell's cutime/cstime once it is reaped; redis-server's from /proc,
 * the proxy's (this process) from process.cpuUsage().
 */
async function redisBenchmark(port: number, extra: string[], redisPid: number | undefined): Promise<RedisRun> {
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
  const script = 'redis-benchmark "$@"; status=$?; echo; cat /proc/$$/stat; exit $status';
  const redisBefore = redisPid === undefined ? 0 : cpuTicks(redisPid, 11);
  const proxyBefore = process.cpuUsage();
  const machineBefore = machineBusyTicks();
  const started = performance.now();
  const stdout = await new Promise<string>((resolve, reject) =>
    execFile('sh', ['-c', script, 'sh', ...args], { timeout: 300_000 }, (error, out) =>
      error ? reject(error) : resolve(out),
    ),
  );
  const wallMicros = (performance.now() - started) * 1000;
  const machineMicros = (machineBusyTicks() - machineBefore) * tickMicros;
  const proxyCpu = process.cpuUsage(proxyBefore);
  const redisMicros = redisPid === undefined ? 0 : (cpuTicks(redisPid, 11) - redisBefore) * tickMicros;
  const lines = stdout.trim().split('\n');
  const benchmarkMicros = statTicks(lines.pop() ?? '', 13) * tickMicros;
  const byTest: RedisRun['byTest'] = {};
  for (const line of lines.slice(1)) {
    if (line.trim() === '') continue;
    const cells = line.split(',').map((c) => c.replaceAll('"', ''));
    byTest[cells[0] ?? '?'] = { rps: Number(cells[1]), p50Ms: Number(cells[4]) };
  }
  const tests = Object.values(byTest);
  if (tests.length !== 2) throw new Error(`redis-benchmark on port ${port} printed: ${stdout}`);
  const seconds = tests.reduce((sum, t) => sum + requestsPerRun / t.rps, 0);
  const ops = requestsPerRun * tests.length;
  const proxyMicros = proxyCpu.user + proxyCpu.system;
  const cpu = {
    benchmarkMicros: round3(benchmarkMicros / ops),
    redisMicros: round3(redisMicros / ops),
    proxyMicros: round3(proxyMicros / ops), // this process: the proxy, and nothing else busy while it waits
    coresBusy: round3((benchmarkMicros + redisMicros + proxyMicros) / wallMicros),
    machineCoresBusy: round3(machineMicros / wallMicros),
  };
  return {
    opsPerSecond: ops / seconds,
    p50Ms: percentile(
      tests.map((t) => t.p50Ms),
      50,
    ),
    byTest,
    cpu,
  };
}

const tickMicros = 1e6 / 100; // USER_HZ (getconf CLK_TCK) is 100 on Linux

/**
 * Two adjacent /proc/<pid>/stat fields summed, `index` counted from the state field: 11 utime+stime, 13 cutime+cstime.
 */
function statTicks(stat: string, index: number): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[index]) + Number(fields[index + 1]);
}

function cpuTicks(pid: number, index: number): number {
  return statTicks(readFileSync(`/proc/${pid}/stat`, 'utf8'), index);
}

/** Busy ticks of all CPUs: user, nice, system, irq, softirq, steal. */
function machineBusyTicks(): number {
  const fields = (readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
  return [0, 1, 2, 5, 6, 7].reduce((sum, i) => sum + (fields[i] ?? 0), 0);
}

function medianCpu(runs: RedisRun[]): CpuPerOp {
  const of = (key: keyof CpuPerOp): number => median(runs.map((r) => r.cpu[key]));
  return {
    benchmarkMicros: of('benchmarkMicros'),
    redisMicros: of('redisMicros'),
    proxyMicros: of('proxyMicros'),
    coresBusy: of('coresBusy'),
    machineCoresBusy: of('machineCoresBusy'),
  };
}

/**
 * Streams `bulkBytes` over one connection from a separate Node process (client and sink both there), either straight
 * to its sink or through a proxy in this process; returns MB/s (10^6 bytes) measured by the sink.
 */
async function bulkTransferMBps(throughProxy: ((sinkPort: number) => Promise<number>) | null): Promise<number> {
  const peer = spawn(process.execPath, ['--input-type=module', '-e', bulkPeerSource(bulkBytes)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  try {
    const lines = linesOf(peer);
    const sinkPort = Number(await lines.next());
    const target = throughProxy ? await throughProxy(sinkPort) : sinkPort;
    peer.stdin?.write(`${target}\n`);
    return Number(await lines.next());
  } finally {
    peer.kill('SIGKILL');
  }
}

function bulkPeerSource(totalBytes: number): string {
  return `
    import { createServer, connect } from 'node:net';
    import { createInterface } from 'node:readline';
    const total = ${totalBytes};
    let received = 0, started = 0;
    const sink = createServer((s) => s.on('data', (d) => {
      received += d.length;
      if (received >= total) { console.log(((total / 1e6) / ((performance.now() - started) / 1000)).toFixed(1)); process.exit(0); }
    })).listen(0, '127.0.0.1', () => console.log(sink.address().port));
    createInterface({ input: process.stdin }).once('line', (port) => {
      const chunk = Buffer.alloc(1024 * 1024, 120);
      const socket = connect(Number(port), '127.0.0.1', () => {
        started = performance.now();
        let sent = 0;
        const pump = () => { while (sent < total) { sent += chunk.length; if (!socket.write(chunk)) return socket.once('drain', pump); } };
        pump();
      });
    });`;
}

function linesOf(child: ChildProcess): { next(): Promise<string> } {
  const queue: string[] = [];
  const waiters: ((line: string) => void)[] = [];
  let buffered = '';
  child.stdout?.on('data', (data: Buffer) => {
    buffered += data.toString();
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      const waiter = waiters.shift();
      if (waiter) waiter(line);
      else queue.push(line);
    }
  });
  return {
    next: () =>
      new Promise<string>((resolve, reject) => {
        const ready = queue.shift();
        if (ready !== undefined) return resolve(ready);
        waiters.push(resolve);
        child.once('exit', (code) => reject(new Error(`bulk peer exited ${code} early`)));
      }),
  };
}

/** Opens and closes many short connections (write, echo, close) and compares fds and heap before and after. */
async function shortConnectionChurn(client: Toxiproxy): Promise<{
  connections: number;
  seconds: number;
  fdBefore: number;
  fdAfter: number;
  fdGrowth: number;
  heapBeforeMB: number;
  heapAfterMB: number;
  heapGrowthMB: number;
}> {
  const echo: Server = createServer((s) => s.on('error', () => {}).pipe(s));
  echo.listen(0, '127.0.0.1');
  await once(echo, 'listening');
  const proxy = await client.createProxy({
    name: 'churn',
    listen: '127.0.0.1:0',
    upstream: `127.0.0.1:${(echo.address() as AddressInfo).port}`,
  });
  const port = portOf(proxy.listen);
  const churn = async (count: number): Promise<void> => {
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next++ < count) await oneShortConnection(port);
    };
    await Promise.all(Array.from({ length: 50 }, worker));
  };
  try {
    await churn(2_000);
    await settle();
    const fdBefore = openFds();
    const heapBefore = heapUsedMB();
    const started = performance.now();
    await churn(shortConnections);
    const seconds = round3((performance.now() - started) / 1000);
    await settle();
    const fdAfter = openFds();
    const heapAfter = heapUsedMB();
    return {
      connections: shortConnections,
      seconds,
      fdBefore,
      fdAfter,
      fdGrowth: fdAfter - fdBefore,
      heapBeforeMB: round3(heapBefore),
      heapAfterMB: round3(heapAfter),
      heapGrowthMB: round3(heapAfter - heapBefore),
    };
  } finally {
    echo.close();
  }
}

async function oneShortConnection(port: number): Promise<void> {
  const socket = connect({ port, host: '127.0.0.1', noDelay: true });
  socket.on('error', () => {});
  await once(socket, 'connect');
  socket.write('x');
  await once(socket, 'data');
  socket.end();
  await once(socket, 'close');
}

async function settle(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 500));
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  for (let i = 0; i < 3; i++) gc();
}

const openFds = (): number => readdirSync('/proc/self/fd').length;
const heapUsedMB = (): number => process.memoryUsage().heapUsed / 1e6;
const portOf = (listen: string): number => Number(listen.slice(listen.lastIndexOf(':') + 1));
const round3 = (n: number): number => Math.round(n * 1000) / 1000;
const median = (values: number[]): number => percentile(values, 50);

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

async function waitForPort(port: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      const socket = connect(port, '127.0.0.1');
      await once(socket, 'connect');
      socket.destroy();
      return;
    } catch (error) {
      if (Date.now() > deadline)
        throw new Error(`redis-server did not listen on ${port} within 10 s`, { cause: error });
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
