// The runtime selector: a staging environment file wins, then --runtime / the experiment's runtime (local or docker).
import type { LoadedTarget } from '../targets/index.ts';
import type { RedisOptions } from './local/types.ts';
import type { RedisTopology } from './topology/topology-options.ts';
import { invalidInput } from '../errors/index.ts';
import { startLocalEnvironment } from './local/local-environment.ts';
import { startStagingEnvironment, type StagingEnvironment } from './staging/staging-environment.ts';
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
  staging?: StagingEnvironment;
  log?: (line: string) => void;
}

export function runtimeOf(plan: Pick<RuntimePlan, 'runtime' | 'staging'>): RuntimeName {
  return plan.staging ? 'staging' : plan.runtime;
}

export async function startEnvironment(plan: RuntimePlan): Promise<StartedEnvironment> {
  const topology = plan.topology?.kind ?? 'single';
  if (topology !== 'single' && (plan.staging || plan.runtime !== 'local')) {
    throw invalidInput(
      'CQ_TOPOLOGY_RUNTIME',
      `redis.topology: ${topology} runs on the local runtime only, not on ${runtimeOf(plan)}.`,
      {
        hint: plan.staging
          ? 'A staging environment file describes the Redis it has; run Sentinel/Cluster experiments locally.'
          : 'Use --runtime local (or runtime: local in the experiment).',
      },
    );
  }
  if (plan.staging) return startStagingEnvironment({ environment: plan.staging, target: plan.target, log: plan.log });
  if (plan.runtime === 'docker') {
    // loaded only when asked for: testcontainers is a large import
    const { startDockerEnvironment } = await import('./docker/docker-environment.ts');
    return startDockerEnvironment(plan);
  }
  return startLocalEnvironment(plan);
}
