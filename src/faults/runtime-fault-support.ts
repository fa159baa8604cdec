// The faults the Docker runtime cannot run yet (kill, restart, freeze by SIGSTOP: the process is in a container);
// refused before anything starts.
import { invalidInput } from '../errors/index.ts';
import type { FaultSpec } from './fault-schema.ts';
import { faultNeedsProcess } from './needs-process.ts';

export function checkDockerFaults(experiments: readonly { name: string; faults: readonly FaultSpec[] }[]): void {
  for (const experiment of experiments) {
    experiment.faults.forEach((fault, index) => {
      if (!faultNeedsProcess(fault)) return;
      throw invalidInput(
        'CQ_FAULT_NEEDS_PROCESS',
        `experiment ${experiment.name}, faults[${index}] (${fault.kind}): not supported on the docker runtime yet — it needs the server process, which runs in a container; nothing was started.`,
        {
          hint:
            fault.kind === 'freeze'
              ? 'Use method: debug-sleep, or run on the local runtime.'
              : 'Run this experiment on the local runtime (the default).',
        },
      );
    });
  }
}
