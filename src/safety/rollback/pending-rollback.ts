// Before a staging run: refuses while a run directory under --reports holds a rollback log, against the same Redis or
// Toxiproxy, with changes still applied (a harness killed mid-fault), until `cachequake recover` undid them.
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { environmentError } from '../../errors/index.ts';
import type { LoadedEnvironmentFile } from '../../experiment/environment-file-schema.ts';
import { rollbackEnvironment, sharesState } from './rollback-environment.ts';
import { readRollbackLog, type ReadRollbackLog } from './rollback-read.ts';

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Run directories under `reportsDir` whose log has changes still applied on `environment`'s Redis or Toxiproxy. */
export function pendingRollbacks(reportsDir: string, environment: LoadedEnvironmentFile): ReadRollbackLog[] {
  const now = rollbackEnvironment(environment);
  let names: string[];
  try {
    names = readdirSync(reportsDir);
  } catch {
    return []; // no reports yet
  }
  const found: ReadRollbackLog[] = [];
  for (const name of names.sort()) {
    let log: ReadRollbackLog;
    try {
      log = readRollbackLog(join(reportsDir, name));
    } catch {
      continue; // not a run directory, or a run from before rollback logs
    }
    const logged = log.header.environment;
    if (logged && log.open.length > 0 && sharesState(logged, now)) found.push(log);
  }
  return found;
}

/** Throws CQ_ROLLBACK_PENDING (exit 3) naming each such run directory and the command that undoes it. */
export function refuseWhileRollbackPending(reportsDir: string, environment: LoadedEnvironmentFile): void {
  const pending = pendingRollbacks(reportsDir, environment);
  if (pending.length === 0) return;
  const shown = (dir: string) => relative(process.cwd(), dir) || dir;
  const lines = pending.map((log) => {
    const { header, open } = log;
    const running = !log.ended && header.pid !== process.pid && processAlive(header.pid);
    const what = open.map((c) => (c.type === 'config' ? 'config' : `faults[${c.fault}] ${c.kind} ${c.type}`));
    return `${shown(log.dir)} (run ${header.runId}${running ? `, harness pid ${header.pid} still running` : ''}): ${what.join(', ')} still applied`;
  });
  throw environmentError(
    'CQ_ROLLBACK_PENDING',
    `refusing to start against ${environment.environment.name}: an earlier run left changes on its Redis or Toxiproxy that were never undone:\n${lines.map((l) => `  ${l}`).join('\n')}\nnothing was started.`,
    {
      hint: `Undo them with: ${pending.map((l) => `cachequake recover ${shown(l.dir)}`).join(' && ')}\n(or start anyway with --force, leaving them applied).`,
    },
  );
}
