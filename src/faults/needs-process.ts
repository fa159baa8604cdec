// Which faults need the server's process (signals, a restart on the same port): runtimes that do not run it refuse them
// up front.
import type { FaultSpec } from './fault-schema.ts';

export function faultNeedsProcess(fault: FaultSpec): boolean {
  return (
    fault.kind === 'kill' ||
    fault.kind === 'kill-primary' ||
    fault.kind === 'freeze-primary' ||
    fault.kind === 'restart' ||
    (fault.kind === 'freeze' && fault.method === 'sigstop')
  );
}
