// Every fault is sent through here: the late guard, then the bounded key backup, then the fault; its revert brings the
// backed-up keys back.
import type { CachequakeError } from '../errors/index.ts';
import { faultImplementation } from '../faults/catalogue.ts';
import type { FaultContext } from '../runtimes/fault-context.ts';
import type { InjectedFault } from '../faults/fault-implementation.ts';
import type { FaultSpec } from '../faults/fault-schema.ts';
import type { BackupBounds } from '../experiment/backup-schema.ts';
import { backupScope } from './backup-scope.ts';
import type { DestructiveClearance } from './destructive-clearance.ts';
import { guardFault } from './fault-guard.ts';
import { backupKeys, type BackupSummary, type RestoreSummary } from './key-backup.ts';
import { recordFault, type FaultRollback } from './rollback/fault-rollback.ts';

export interface FaultSafety {
  /** From the staging guard; without it destructive faults reach only a Redis this harness started. */
  clearance?: DestructiveClearance;
  /** The experiment's `backup:` (staging only). */
  backup?: BackupBounds;
  /** Called when a fault is refused (guard or backup bound): the run stops, exit 2. */
  onRefused?: (error: CachequakeError) => void;
  /** Each backup as it is taken, and its restore once done (the journal's safety block). */
  backups?: { index: number; kind: string; backup: BackupSummary; restore?: RestoreSummary }[];
  /** The run's rollback log (staging): what each fault changes is written there, fsynced, before it is sent. */
  rollback?: FaultRollback;
}

type AnyImplementation = { inject: (c: FaultContext, s: FaultSpec, d: number) => Promise<InjectedFault> };

export async function guardedInject(
  ctx: FaultContext,
  spec: FaultSpec,
  durationMs: number,
  safety: FaultSafety = {},
  index = 0,
): Promise<InjectedFault> {
  const label = `faults[${index}] (${spec.kind})`;
  const decision = await guardFault(ctx, spec, safety.clearance);
  const scope = safety.backup ? backupScope(spec, ctx.redis().admin.options.db ?? 0) : undefined;
  const backup = scope && safety.backup ? await backupKeys(() => ctx.redis(), scope, safety.backup, label) : undefined;
  const record =
    backup && ({ index, kind: spec.kind, backup: backup.summary } as NonNullable<FaultSafety['backups']>[number]);
  if (record) safety.backups?.push(record);
  const logged = safety.rollback && (await recordFault(safety.rollback, ctx, spec, index, backup?.byDb));
  const bringBack = async () => {
    const restored = await backup!.restore();
    if (record) record.restore = restored;
    if (restored.failed === 0) logged?.keysRestored();
    return restored;
  };

  let injected: InjectedFault;
  try {
    injected = await (faultImplementation(spec.kind) as AnyImplementation).inject(ctx, spec, durationMs);
  } catch (error) {
    if (backup) await bringBack().catch(() => undefined); // the fault may have half-happened: put the keys back now
    throw error; // its links entry stays open: `recover` removes whatever of it was applied
  }
  await logged?.sent().catch(() => undefined); // unreadable links: the entry stays open, recover compares by name
  const revert = injected.revert;
  if (logged && revert)
    injected = {
      ...injected,
      revert: async () => {
        const undone = await revert();
        logged.reverted();
        return undone;
      },
    };
  else logged?.reverted(); // a one-shot fault leaves nothing on the links to undo
  const evidence = { ...injected.evidence, guard: decision.detail, ...(backup ? { backup: backup.summary } : {}) };
  if (!backup) return { evidence, revert: injected.revert };
  return {
    evidence,
    revert: async () => {
      let undone: Record<string, unknown> = {};
      let failure: unknown;
      try {
        if (injected.revert) undone = await injected.revert();
      } catch (error) {
        failure = error;
      }
      const restored = await bringBack();
      if (failure) throw failure;
      return { ...undone, restore: restored };
    },
  };
}
