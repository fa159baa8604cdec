// Starts the write probe an experiment asks for, against the environment's topology-aware client.
import { environmentError } from '../errors/index.ts';
import type { StartedEnvironment } from '../runtimes/started-environment.ts';
import type { Experiment } from '../experiment/experiment-schema.ts';
import { writeProbeOf } from '../experiment/redis-topology.ts';
import type { PhaseClock } from './phase-clock.ts';
import { WriteProbe } from '../probes/write-probe.ts';

export interface StartedWriteProbe {
  probe: WriteProbe;
  ratePerSecond: number;
}

/** The connected probe, or undefined when the experiment has none (or the runtime gives no client; `log` says so). */
export async function connectWriteProbe(
  experiment: Experiment,
  env: StartedEnvironment,
  clock: PhaseClock,
  runId: string,
  log: (line: string) => void,
): Promise<StartedWriteProbe | undefined> {
  const wanted = writeProbeOf(experiment.redis);
  if (!wanted) return undefined;
  if (!env.probeClient) {
    log(`write probe: not available on the ${env.runtime} runtime; writes.* metrics will have no data`);
    return undefined;
  }
  const client = env.probeClient({ commandTimeoutMs: 500, connectTimeoutMs: 1000 });
  const probe = new WriteProbe({
    client,
    keyPrefix: `cachequake:probe:${runId}:`,
    ratePerSecond: wanted.ratePerSecond,
    maxWrites: Math.min(100_000, Math.ceil((wanted.ratePerSecond * clock.endMs) / 1000) + 10),
    nowMs: () => clock.elapsedMs(),
  });
  try {
    await probe.connect();
  } catch (error) {
    probe.close();
    throw environmentError(
      'CQ_WRITE_PROBE_CONNECT_FAILED',
      `the write probe (redis.writeProbe) could not connect to Redis through the fault proxy: ${(error as Error).message}.`,
      {
        cause: error,
        hint: 'Redis answered the harness but not the probe through its proxy link: look at the Redis log and the proxy; or turn redis.writeProbe off.',
      },
    );
  }
  return { probe, ratePerSecond: wanted.ratePerSecond };
}
