// The runtime selector: a staging environment file wins, then --runtime / the experiment's runtime (local or docker).
import type { Experiment } from '../experiment/experiment-schema.ts';
import type { LoadedTarget } from '../targets/index.ts';
import type { RedisOptions } from '../runtimes/local/types.ts';
import type { RedisTopology } from '../topology/topology-options.ts';
import { invalidInput } from '../errors/index.ts';
import type { LoadedEnvironmentFile } from './environment-file-schema.ts';
import { startLocalEnvironment } from './local-environment.ts';
import { startStagingEnvironment } from './staging-environment.ts';
import type { RuntimeName, StartedEnvironment } from './started-environment.ts';

export interface RuntimePlan {
  runId: string;
  target: LoadedTarget;
  redis: RedisOptions;
  /** Default: one redis-server. Sentinel and Cluster run on the local runtime only. */
  topology?: RedisTopology;
  postgres: boolean;
  runtime: Exclude<RuntimeName, 'staging'>;
  /** A loaded --env file: the staging runtime, whatever `runtime` says. */
  staging?: LoadedEnvironmentFile;
  /** The experiment, for runtimes that refuse some faults before starting anything. */
  experiment?: Experiment;
  log?: (line: string) => void;
}

export function runtimeOf(plan: Pick<RuntimePlan, 'runtime' | 'staging'>): RuntimeName {
  return plan.staging ? 'staging' : plan.runtime;
}

export async function startEnvironment(plan: RuntimePlan): Promise<StartedEnvironment> {
  const topology = plan.topology?.kind ?? 'single';
  if (topology !== 'single' && (plan.staging || plan.runtime !== 'local')) {
    throw invalidInput('CQ_TOPOLOGY_RUNTIME', `redis.topology: ${topology} runs on the local runtime only, not on ${runtimeOf(plan)}.`, {
      hint: plan.staging ? 'A staging environment file describes the Redis it has; run Sentinel/Cluster experiments locally.' : 'Use --runtime local (or runtime: local in the experiment).',
    });
  }
  if (plan.staging) return startStagingEnvironment({ environment: plan.staging, target: plan.target, log: plan.log });
  if (plan.runtime === 'docker') {
    // loaded only when asked for: testcontainers is a large import
    const { startDockerEnvironment } = await import('../runtimes/docker/docker-environment.ts');
    return startDockerEnvironment(plan);
  }
  return startLocalEnvironment(plan);
}
