// What guardedInject writes to the rollback log around one fault: the links before it is sent (and what it added after),
// its key backup as a file, and each of them marked undone once the run set it back.
import type { FaultContext, LinkName } from '../../runtimes/fault-context.ts';
import type { FaultSpec } from '../../faults/fault-schema.ts';
import type { SavedKey } from '../key-backup.ts';
import { addedSince, readLinkState } from './link-state.ts';
import type { BackupLine, LinkState } from './rollback-entries.ts';
import type { RollbackLog } from './rollback-log.ts';

/** The run's log and the experiment's id in it; given to the fault scheduler only on staging. */
export interface FaultRollback {
  log: RollbackLog;
  experiment: string;
}

/** One fault's entries in the log. */
export interface FaultEntries {
  /** After the fault was sent: what it added to the links (or its links entry done when it changed none). */
  sent(): Promise<void>;
  /** After the fault's own revert. */
  reverted(): void;
  /** After its keys were restored (or when it has none). */
  keysRestored(): void;
}

function links(ctx: FaultContext): { name: string; path: string }[] {
  const found: { name: string; path: string }[] = [];
  for (const on of ['redis', 'postgres'] as LinkName[]) {
    try {
      const proxy = ctx.link(on);
      found.push({ name: proxy.name, path: proxy.getPath() });
    } catch {
      // the environment declares no such link
    }
  }
  return found;
}

function* backupLines(byDb: ReadonlyMap<number, readonly SavedKey[]>): Generator<BackupLine> {
  for (const [db, keys] of byDb)
    for (const k of keys)
      yield { db, key: k.key.toString('base64'), dump: k.dump.toString('base64'), pttl: k.pttl, dumpedAt: k.dumpedAt };
}

/** Before the fault is sent: writes (and fsyncs) the links' state and the key backup. */
export async function recordFault(
  rollback: FaultRollback,
  ctx: FaultContext,
  spec: FaultSpec,
  index: number,
  backup: ReadonlyMap<number, readonly SavedKey[]> | undefined,
): Promise<FaultEntries> {
  const { log, experiment } = rollback;
  const base = `${experiment}-f${index}`;
  const linkId = `${base}-links`;
  const keysId = `${base}-keys`;
  const paths = links(ctx);
  const before: LinkState[] = [];
  for (const { path } of paths) {
    const { body: _body, ...state } = await readLinkState(path);
    before.push(state);
  }
  const common = { experiment, fault: index, kind: spec.kind };
  if (before.length) log.change({ type: 'links', id: linkId, ...common, links: before });
  if (backup) {
    const file = log.writeBackup(keysId, backupLines(backup));
    const keys = [...backup.values()].reduce((n, k) => n + k.length, 0);
    log.change({ type: 'keys', id: keysId, ...common, file, keys, dbs: [...backup.keys()] });
  }
  let linksOpen = before.length > 0;
  return {
    async sent() {
      if (!linksOpen) return;
      const added: { link: string; toxics: string[]; rules: string[] }[] = [];
      let disabled = false;
      for (const [i, { path }] of paths.entries()) {
        const now = await readLinkState(path);
        const was = before[i] as LinkState;
        const diff = addedSince(was, now);
        if (diff.toxics.length || diff.rules.length) added.push({ link: was.name, ...diff });
        if (was.enabled && !now.enabled) disabled = true;
      }
      if (added.length || disabled) log.applied({ id: linkId, added });
      else {
        log.undone(linkId); // the fault changed no link: nothing to undo there
        linksOpen = false;
      }
    },
    reverted() {
      if (linksOpen) log.undone(linkId);
      linksOpen = false;
    },
    keysRestored() {
      if (backup) log.undone(keysId);
    },
  };
}
