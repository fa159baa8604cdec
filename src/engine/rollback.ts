// The rollbacks, as chaostoolkit runs them: the faults reverted and the Redis config and keys set back, registered
// with the teardown as soon as there is something to roll back, so a failure or Ctrl-C still rolls back.
import type { FaultScheduler } from './fault-scheduler.ts';
import type { RunContext } from './run-context.ts';

/** Once the environment runs: the config snapshot and key backups taken later are restored at teardown. */
export function deferRestore(ctx: RunContext): void {
  ctx.teardown.defer('restore the Redis config and keys', () => ctx.safety.restore());
}

/** Once the faults are scheduled: every fault still applied is reverted at teardown (a no-op when none is). */
export function deferFaultRevert(ctx: RunContext, scheduler: FaultScheduler): void {
  ctx.teardown.defer('revert the faults', () => scheduler.revertAll());
}
