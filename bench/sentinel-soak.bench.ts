// Soak of the Sentinel kill-primary and failover faults at full write speed (no pause between SETs): lost writes,
// switch times and revert times per run, with the evidence for every lost write. SOAK_RUNS sets the run count
// (default 20, alternating the two faults); the evidence goes to reports/bench/sentinel-soak-evidence.json.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Redis } from 'ioredis';
import { faultImplementation } from '../src/faults/catalogue.ts';
import type { FaultContext } from '../src/runtimes/fault-context.ts';
import type { InjectedFault } from '../src/faults/fault-implementation.ts';
import { faultSchema, type FaultSpec } from '../src/faults/fault-schema.ts';
import { startLocalEnvironment } from '../src/runtimes/local/local-environment.ts';
import { waitUntil } from '../src/runtimes/local/wait-until.ts';
import type { SentinelControl, SentinelNode } from '../src/runtimes/topology/sentinel/sentinel-control.ts';
import { percentile, type BenchResult } from './bench-result.ts';
import { startAckedWriter } from './sentinel-soak/acked-writer.ts';
import { lostStretches, type LostStretch } from './sentinel-soak/lost-write-evidence.ts';
import { startNodeTimeline } from './sentinel-soak/node-timeline.ts';

const downAfterMs = 1000;
/** Writes go on this long after the switch, so the new primary takes some too. */
const writeAfterSwitchMs = 1000;

interface SoakRun {
  run: number;
  kind: 'kill-primary' | 'failover';
  oldPrimary: string;
  newPrimary?: string;
  switchMs?: number;
  acked: number;
  failed: number;
  lost: number;
  longestRefusalMs: number;
  /** kill-primary: the revert (the old primary back as a synced replica every sentinel lists healthy). */
  revertMs?: number;
  revertError?: string;
  nodesAtRevertError?: unknown[];
  /** failover: until the old primary was converted to a replica. */
  convertedMs?: number;
  /** Failovers the sentinels started after the fault (distinct +new-epoch numbers): 1 unless one flapped. */
  failoversStarted: number;
  /** The harness's longest event-loop stall during the run: the proxy links (and so every sentinel PING) wait on it. */
  eventLoopMaxMs: number;
  lostStretches: LostStretch[];
}

async function inject(env: FaultContext, input: Record<string, unknown>): Promise<InjectedFault> {
  const spec = faultSchema.parse(input);
  const impl = faultImplementation(spec.kind) as {
    inject: (c: FaultContext, s: FaultSpec, d: number) => Promise<InjectedFault>;
  };
  return impl.inject(env, spec, 1000);
}

/** One primary as every sentinel says, each other node its replica with the link up, no failover in progress. */
async function converged(sentinel: SentinelControl): Promise<boolean> {
  const primary = await sentinel.askPrimary();
  if (!primary || primary !== sentinel.primaryNode()) return false;
  for (const node of sentinel.nodes()) {
    if (node === primary) continue;
    const r = await sentinel.replication(node);
    if (r?.role !== 'slave' || r.masterPort !== primary.proxyPort || r.linkStatus !== 'up') return false;
  }
  return true;
}

async function readBack(node: SentinelNode, keys: string[]): Promise<(string | null)[]> {
  const values: (string | null)[] = [];
  for (let i = 0; i < keys.length; i += 1000)
    values.push(...(await node.server().admin.mget(...keys.slice(i, i + 1000))));
  return values;
}

async function soakRun(
  env: FaultContext & { probeClient?: (o: { commandTimeoutMs: number; connectTimeoutMs: number }) => unknown },
  sentinel: SentinelControl,
  run: number,
  kind: SoakRun['kind'],
): Promise<{ result: SoakRun; events: unknown[] }> {
  const ready = await waitUntil(() => converged(sentinel), { timeoutMs: 30_000, intervalMs: 100 });
  if (!ready.ok) throw new Error(`run ${run}: the topology did not converge before the fault: ${ready.reason}`);
  const client = env.probeClient?.({ commandTimeoutMs: 500, connectTimeoutMs: 500 }) as Redis;
  client.on('error', () => {});
  await client.connect();
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const timeline = startNodeTimeline(() => sentinel.nodes());
  const prefix = `soak:${run}:`;
  const writer = startAckedWriter(client, prefix);
  await new Promise((r) => setTimeout(r, 300));
  const old = sentinel.primaryNode();
  const since = performance.now();
  const fault = await inject(env, kind === 'kill-primary' ? { kind, restart: true } : { kind });
  const evidence = fault.evidence as { switchMs?: number; newPrimary?: { node: string } };
  await new Promise((r) => setTimeout(r, writeAfterSwitchMs));
  const written = await writer.stop();
  const result: SoakRun = {
    run,
    kind,
    oldPrimary: old.name,
    ...(evidence.newPrimary ? { newPrimary: evidence.newPrimary.node } : {}),
    ...(evidence.switchMs !== undefined ? { switchMs: evidence.switchMs } : {}),
    acked: written.acked.length,
    failed: written.failed,
    lost: 0,
    longestRefusalMs: written.longestRefusalMs,
    failoversStarted: 0,
    eventLoopMaxMs: 0,
    lostStretches: [],
  };
  const t0 = performance.now();
  if (fault.revert) {
    try {
      await fault.revert();
    } catch (error) {
      const hint = (error as { hint?: string }).hint;
      result.revertError = `${error instanceof Error ? error.message : String(error)}${hint ? `\n${hint}` : ''}`;
      result.nodesAtRevertError = await Promise.all(
        sentinel.nodes().map(async (n) => ({ node: n.name, ...(await sentinel.replication(n)) })),
      );
      if (!old.running()) await sentinel.start(old).catch(() => undefined);
    }
    result.revertMs = Math.round(performance.now() - t0);
  } else {
    const converted = await waitUntil(async () => (await sentinel.replication(old))?.role === 'slave', {
      timeoutMs: 30_000,
      intervalMs: 50,
    });
    if (converted.ok) result.convertedMs = Math.round(performance.now() - t0);
  }
  // the read-back: every acknowledged key from the primary the sentinels name now
  await waitUntil(() => converged(sentinel), { timeoutMs: 30_000, intervalMs: 100 });
  const keys = written.acked.map((w) => `${prefix}${w.index}`);
  const values = await readBack(sentinel.primaryNode(), keys);
  const lost = written.acked.filter((_w, i) => values[i] === null);
  await timeline.stop();
  loop.disable();
  client.disconnect();
  const events = sentinel.events(since - 1000);
  result.failoversStarted = new Set(
    events.filter((e) => e.at >= since && e.event === '+new-epoch').map((e) => e.detail),
  ).size;
  result.eventLoopMaxMs = Math.round(loop.max / 1e6);
  result.lost = lost.length;
  result.lostStretches = lostStretches(lost, sentinel.nodes(), timeline.samples, events, since);
  return {
    result,
    events: events.map((e) => ({
      ms: Math.round(e.at - since),
      sentinel: e.sentinel,
      event: e.event,
      detail: e.detail,
    })),
  };
}

export default async function bench(): Promise<BenchResult> {
  const runs = Number(process.env.SOAK_RUNS ?? 20);
  const env = await startLocalEnvironment({
    runId: 'sentinelsoak',
    redis: {},
    topology: { kind: 'sentinel', replicas: 2, sentinels: 3, downAfterMs, masterName: 'cachequake' },
    postgres: false,
  });
  const results: SoakRun[] = [];
  const allEvents: unknown[] = [];
  try {
    const sentinel = env.sentinel as SentinelControl;
    for (let run = 1; run <= runs; run++) {
      const kinds = (process.env.SOAK_KINDS ?? 'kill-primary,failover').split(',') as SoakRun['kind'][];
      const kind = kinds[(run - 1) % kinds.length] as SoakRun['kind'];
      const { result, events } = await soakRun(env, sentinel, run, kind);
      results.push(result);
      allEvents.push({ run, events });
      const { lostStretches: stretches, ...line } = result;
      process.stdout.write(
        `  ${JSON.stringify(line)}${stretches.length ? ` ${stretches.length} lost stretch(es)` : ''}\n`,
      );
    }
  } finally {
    await env.stop();
  }
  const here = dirname(fileURLToPath(import.meta.url));
  const out = join(here, '..', 'reports', 'bench', 'sentinel-soak-evidence.json');
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, `${JSON.stringify({ runs: results, sentinelEvents: allEvents }, null, 2)}\n`);

  const kills = results.filter((r) => r.kind === 'kill-primary');
  const failovers = results.filter((r) => r.kind === 'failover');
  const switches = (list: SoakRun[]) => list.flatMap((r) => (r.switchMs === undefined ? [] : [r.switchMs]));
  const killSwitchMedianMs = percentile(switches(kills), 50);
  const failoverSwitchMedianMs = percentile(switches(failovers), 50);
  const sum = (list: SoakRun[], f: (r: SoakRun) => number) => list.reduce((s, r) => s + f(r), 0);
  const revertErrors = results.filter((r) => r.revertError).length;
  return {
    measurements: {
      runs: results.length,
      downAfterMs,
      killPrimary: {
        runs: kills.length,
        ackedWrites: sum(kills, (r) => r.acked),
        lostWrites: sum(kills, (r) => r.lost),
        runsWithLoss: kills.filter((r) => r.lost > 0).length,
        switchMedianMs: killSwitchMedianMs,
        switchMaxMs: Math.max(...switches(kills)),
        revertMedianMs: percentile(
          kills.flatMap((r) => (r.revertMs === undefined ? [] : [r.revertMs])),
          50,
        ),
        revertErrors,
        runsWithASecondFailover: kills.filter((r) => r.failoversStarted > 1).length,
        eventLoopMaxMs: Math.max(...kills.map((r) => r.eventLoopMaxMs)),
      },
      failover: {
        runs: failovers.length,
        ackedWrites: sum(failovers, (r) => r.acked),
        lostWrites: sum(failovers, (r) => r.lost),
        runsWithLoss: failovers.filter((r) => r.lost > 0).length,
        switchMedianMs: failoverSwitchMedianMs,
        switchMaxMs: Math.max(...switches(failovers)),
        runsWithASecondFailover: failovers.filter((r) => r.failoversStarted > 1).length,
        eventLoopMaxMs: Math.max(...failovers.map((r) => r.eventLoopMaxMs)),
      },
      perRun: results.map(({ lostStretches: _s, ...r }) => r),
    },
    // a kind that did not run (SOAK_KINDS) has no goals: a median of nothing is no evidence either way
    goals: [
      ...(kills.length
        ? [
            {
              name: 'kill-primary at full write speed: acknowledged writes lost',
              actual: sum(kills, (r) => r.lost),
              goal: '0 in every run',
              met: kills.every((r) => r.lost === 0),
            },
            {
              name: 'kill-primary: the old primary back as a healthy replica at every revert',
              actual: `${revertErrors} failed`,
              goal: '0 failed',
              met: revertErrors === 0,
            },
            {
              name: 'kill-primary switch time, slowest run against the median',
              actual: `${Math.max(...switches(kills))} ms vs median ${killSwitchMedianMs} ms`,
              goal: '<= 3x the median',
              met: Math.max(...switches(kills)) <= 3 * killSwitchMedianMs,
            },
          ]
        : []),
      ...(failovers.length
        ? [
            {
              name: 'failover switch time, slowest run against the median',
              actual: `${Math.max(...switches(failovers))} ms vs median ${failoverSwitchMedianMs} ms`,
              goal: '<= 3x the median',
              met: Math.max(...switches(failovers)) <= 3 * failoverSwitchMedianMs,
            },
          ]
        : []),
    ],
  };
}
