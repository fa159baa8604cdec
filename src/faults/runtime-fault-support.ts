// The faults the Docker runtime cannot run: those that need the server process and whose record does not say how it
// is done to a container; refused before anything starts.
import { invalidInput } from '../errors/index.ts';
import type { FaultSpec } from './fault-schema.ts';
import { processNeedOf } from './fault-traits.ts';

/** Docker runs every fault that needs no process, and the process faults it does to the server's container. */
export function dockerSupports(fault: FaultSpec): boolean {
  const need = processNeedOf(fault);
  return need === undefined || need.container !== undefined;
}

export function checkDockerFaults(experiments: readonly { name: string; faults: readonly FaultSpec[] }[]): void {
  for (const experiment of experiments) {
    experiment.faults.forEach((fault, index) => {
      const need = processNeedOf(fault);
      if (!need || need.container !== undefined) return;
      throw invalidInput(
        'CQ_FAULT_NEEDS_PROCESS',
        `experiment ${experiment.name}, faults[${index}] (${fault.kind}): not supported on the docker runtime — it needs the server process, and the docker runtime has no container form of it; nothing was started.`,
        {
          hint: need.instead
            ? `${need.instead}, or run on the local runtime.`
            : 'Run this experiment on the local runtime (the default).',
        },
      );
    });
  }
}
