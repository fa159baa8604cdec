// The faults the Docker runtime cannot run yet: those whose record needs the server process (it is in a container);
// refused before anything starts.
import { invalidInput } from '../errors/index.ts';
import type { FaultSpec } from './fault-schema.ts';
import { processNeedOf } from './fault-traits.ts';

/** Docker runs every fault that needs no process: the links and a Redis connection are all it gives faults. */
export function dockerSupports(fault: FaultSpec): boolean {
  return processNeedOf(fault) === undefined;
}

export function checkDockerFaults(experiments: readonly { name: string; faults: readonly FaultSpec[] }[]): void {
  for (const experiment of experiments) {
    experiment.faults.forEach((fault, index) => {
      const need = processNeedOf(fault);
      if (!need) return;
      throw invalidInput(
        'CQ_FAULT_NEEDS_PROCESS',
        `experiment ${experiment.name}, faults[${index}] (${fault.kind}): not supported on the docker runtime yet — it needs the server process, which runs in a container; nothing was started.`,
        {
          hint: need.instead
            ? `${need.instead}, or run on the local runtime.`
            : 'Run this experiment on the local runtime (the default).',
        },
      );
    });
  }
}
