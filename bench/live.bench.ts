// The live view's cost (`run --live`): harness CPU at 1,000 req/s with a live view and a page following its event
// stream, against the same run without; runs alternate so that machine noise falls on both.
import { startLiveServer } from '../src/live/live-server.ts';
import { LiveState } from '../src/live/live-state.ts';
import { runExperiment } from '../src/engine/run-experiment.ts';
import type { RunEvent } from '../src/engine/run-events.ts';
import { percentile, type BenchResult } from './bench-result.ts';

const experiment = {
  name: 'live-overhead',
  sessions: { users: 200, samplePerSecond: 20 },
  load: { rate: 1000 },
  phases: { baseline: '3s', fault: '8s', recovery: '3s' },
  faults: [
    { kind: 'config-set', parameters: { hz: 20 }, at: '1s', for: '3s' },
    { kind: 'latency', latencyMs: 1, at: '4s', for: '3s' },
  ],
  steadyState: [],
};

/** Follows /events as a page does (in this process, so its CPU counts too: an upper bound). */
async function follow(url: string, signal: AbortSignal): Promise<{ bytes: number }> {
  const seen = { bytes: 0 };
  const res = await fetch(`${url}events`, { signal });
  void (async () => {
    try {
      for await (const chunk of res.body as AsyncIterable<Uint8Array>) seen.bytes += chunk.length;
    } catch {
      // aborted at the end
    }
  })();
  return seen;
}

/** Harness cores from t = 0 to the end of one run; with `live`, a live view and one follower. */
async function coresOfRun(live: boolean): Promise<{ cores: number; rps: number; streamBytes: number }> {
  const state = new LiveState();
  const server = live ? await startLiveServer({ state, onHalt: () => {} }) : undefined;
  const stop = new AbortController();
  const seen = server ? await follow(server.url, stop.signal) : { bytes: 0 };
  let cpuStart = process.cpuUsage();
  let wallStart = performance.now();
  const onEvent = live ? (event: RunEvent) => state.apply(event) : undefined;
  try {
    const journal = await runExperiment(experiment, {
      onEvent,
      onProgress: (e) => {
        if (e.elapsedMs === 0) {
          cpuStart = process.cpuUsage();
          wallStart = performance.now();
        }
      },
    });
    const cpu = process.cpuUsage(cpuStart);
    const cores = (cpu.user + cpu.system) / 1000 / (performance.now() - wallStart);
    if (journal.status !== 'passed') throw new Error(`the run ${journal.status}: ${JSON.stringify(journal.error)}`);
    return { cores, rps: journal.metrics.run?.http.rps ?? 0, streamBytes: seen.bytes };
  } finally {
    stop.abort();
    await server?.close();
  }
}

export default async function bench(): Promise<BenchResult> {
  const plain: number[] = [];
  const withLive: number[] = [];
  let streamBytes = 0;
  let rps = 0;
  for (let i = 0; i < 3; i++) {
    plain.push((await coresOfRun(false)).cores);
    const live = await coresOfRun(true);
    withLive.push(live.cores);
    streamBytes = live.streamBytes;
    rps = live.rps;
  }
  const extra = percentile(withLive, 50) - percentile(plain, 50);
  const round = (n: number) => Math.round(n * 1000) / 1000;
  return {
    measurements: {
      loadRateRps: 1000,
      achievedRps: Math.round(rps),
      harnessCoresWithoutLive: plain.map(round),
      harnessCoresWithLive: withLive.map(round),
      ratioLiveToWithout: round(percentile(withLive, 50) / percentile(plain, 50)),
      extraCores: round(extra),
      streamBytesPerRun: streamBytes,
    },
    goals: [
      {
        name: 'the live view and one page following it at 1,000 req/s, median extra harness CPU',
        actual: `${round(extra)} cores (${round(percentile(withLive, 50))} vs ${round(percentile(plain, 50))})`,
        goal: '< 0.05 core',
        met: extra < 0.05,
      },
    ],
  };
}
