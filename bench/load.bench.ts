// Load driver bench: CPU of this process while the open-model driver holds 1,000 req/s, against closed-loop sending of
// as many.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { Pool } from 'undici';
import type { Dispatcher } from 'undici';
import { startLoad } from '../src/load/index.ts';
import type { TrafficRoute } from '../src/load/index.ts';
import type { BenchResult } from './bench-result.ts';

const targetRps = 1000;
const durationMs = 5000;
const closedLoopConcurrency = 16;
/** The CPU goal counts only a run whose achieved rate is this close to the target. */
const rateTolerance = 0.05;

/** A trivial server in its own process, so its CPU is not counted here; prints its port. */
const serverScript = `
const http = require('node:http');
const server = http.createServer((req, res) => { req.resume(); res.end('ok'); });
server.keepAliveTimeout = 30000;
server.listen(0, '127.0.0.1', () => process.stdout.write(server.address().port + '\\n'));
process.on('disconnect', () => process.exit(0));
`;

async function startServer(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['-e', serverScript], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [chunk] = (await Promise.race([
    once(child.stdout as NodeJS.ReadableStream, 'data'),
    once(child, 'exit').then(() => [undefined]),
  ])) as [Buffer | undefined];
  if (!chunk) throw new Error('the bench server exited before printing its port');
  return { child, url: `http://127.0.0.1:${chunk.toString().trim()}` };
}

function cpuMsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

/** Sends `count` GETs with `concurrency` requests always in flight, each sent when one finishes. */
async function closedLoop(url: string, count: number, concurrency: number): Promise<{ errors: number }> {
  const pool = new Pool(url, { connections: concurrency, pipelining: 1 });
  let started = 0;
  let errors = 0;
  const worker = () =>
    new Promise<void>((resolve) => {
      const next = (): void => {
        if (started >= count) return resolve();
        started++;
        let status = 0;
        const handler: Dispatcher.DispatchHandler = {
          // undici insists on every handler method being present.
          onRequestStart: () => {},
          onResponseData: () => {},
          onResponseStart: (_c, code) => void (status = code),
          onResponseEnd: () => {
            if (status >= 400) errors++;
            next();
          },
          onResponseError: () => {
            errors++;
            next();
          },
        };
        pool.dispatch({ method: 'GET', path: '/' }, handler);
      };
      next();
    });
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    await pool.destroy();
  }
  return { errors };
}

export default async function bench(): Promise<BenchResult> {
  const { child, url } = await startServer();
  try {
    // Warm up the JIT and the server on both code paths, then measure.
    await closedLoop(url, 2000, closedLoopConcurrency);
    const mix: TrafficRoute[] = [{ method: 'GET', path: '/', authenticated: false, weight: 1 }];
    await startLoad({ baseUrl: url, mix, rateRps: targetRps, maxDurationMs: 1000 }).done;

    const cpuStart = process.cpuUsage();
    const wallStart = performance.now();
    const result = await startLoad({
      baseUrl: url,
      mix,
      rateRps: targetRps,
      maxDurationMs: durationMs,
      maxRequests: (targetRps * durationMs) / 1000 + 10,
    }).done;
    const openCpuMs = cpuMsSince(cpuStart);
    const openWallMs = performance.now() - wallStart;

    const closedCpuStart = process.cpuUsage();
    const closedWallStart = performance.now();
    const closed = await closedLoop(url, result.total.requests, closedLoopConcurrency);
    const closedCpuMs = cpuMsSince(closedCpuStart);
    const closedWallMs = performance.now() - closedWallStart;
    if (closed.errors > 0)
      throw new Error(`the closed-loop baseline had ${closed.errors} errors: it did not measure sending`);

    const openCores = openCpuMs / openWallMs;
    const achievedRps = result.total.rps;
    const rateHeld = Math.abs(achievedRps - targetRps) <= rateTolerance * targetRps;
    return {
      measurements: {
        targetRps,
        durationMs,
        requests: result.total.requests,
        achievedRps,
        errors: result.total.errors,
        latencyP50Ms: result.total.p50Ms,
        latencyP99Ms: result.total.p99Ms,
        openModelCpuMs: Math.round(openCpuMs),
        openModelWallMs: Math.round(openWallMs),
        openModelCores: Number(openCores.toFixed(3)),
        openModelCpuUsPerRequest: Math.round((openCpuMs * 1000) / result.total.requests),
        closedLoopConcurrency,
        closedLoopCpuMs: Math.round(closedCpuMs),
        closedLoopWallMs: Math.round(closedWallMs),
        closedLoopRps: Math.round((result.total.requests * 1000) / closedWallMs),
        closedLoopErrors: closed.errors,
        closedLoopCpuUsPerRequest: Math.round((closedCpuMs * 1000) / result.total.requests),
        cpuRatioOpenToClosed: Number((openCpuMs / closedCpuMs).toFixed(2)),
      },
      goals: [
        {
          // a driver that fell behind spends less CPU: the figure counts only when the rate was held without errors
          name: 'driver CPU at 1,000 req/s (cores)',
          actual: `${openCores.toFixed(3)} at ${Math.round(achievedRps)} req/s, ${result.total.errors} errors`,
          goal: `< 0.5, counted only at ${targetRps} req/s ± ${rateTolerance * 100}% and 0 errors`,
          met: openCores < 0.5 && rateHeld && result.total.errors === 0,
        },
        {
          name: 'achieved rate / target rate',
          actual: Number((achievedRps / targetRps).toFixed(3)),
          goal: '>= 0.99',
          met: achievedRps / targetRps >= 0.99,
        },
        {
          name: 'errors at 1,000 req/s on a healthy server',
          actual: result.total.errors,
          goal: '== 0',
          met: result.total.errors === 0,
        },
      ],
    };
  } finally {
    child.kill('SIGKILL');
    await once(child, 'exit').catch(() => {});
  }
}
