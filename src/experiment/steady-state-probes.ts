// The steady-state probes of a run: the experiment's own, or by default GET on the target manifest's health.path.
import type { LoadedTarget } from '../targets/index.ts';
import type { Experiment, SteadyStateProbe } from './experiment-schema.ts';

export function steadyStateProbes(
  experiment: Pick<Experiment, 'steadyState'>,
  target: LoadedTarget,
): SteadyStateProbe[] {
  if (experiment.steadyState) return experiment.steadyState;
  const path = target.manifest.health.path;
  return [{ name: `GET ${path} (health.path of ${target.name})`, get: path, status: 200 }];
}
