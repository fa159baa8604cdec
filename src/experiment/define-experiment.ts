// defineExperiment(): returns its input unchanged; it exists so TypeScript experiments are typed and autocompleted.
import type { ExperimentInput } from './experiment-schema.ts';

export function defineExperiment<const T extends ExperimentInput>(experiment: T): T {
  return experiment;
}
