// --dry-run lines of the safety steps: the guard's decision, the config snapshot and restore, and each fault's backup
// and restore.
import { isDestructive } from '../faults/fault-traits.ts';
import type { Experiment } from '../experiment/experiment-schema.ts';
import type { FaultSpec } from '../faults/fault-schema.ts';
import { backupScope, describeScope } from './backup-scope.ts';

export interface SafetyPlanWhere {
  staging?: { name: string; instance?: string; markerKey?: string; maxKeys?: number };
  allowDestructive?: string;
}

const redisFaults = (e: Experiment) => e.faults.filter((f) => isDestructive(f) && !('on' in f && f.on === 'postgres'));

/** The run-level lines: who may take the destructive faults, and the config snapshot/restore around them. */
export function safetyPlanLines(e: Experiment, where: SafetyPlanWhere): string[] {
  const destructive = redisFaults(e);
  if (destructive.length === 0)
    return ['  guard: no fault changes Redis (only proxy links or PostgreSQL): no guard, no config snapshot'];
  const kinds = [...new Set(destructive.map((f) => f.kind))].join(', ');
  const lines: string[] = [];
  const staging = where.staging;
  if (!staging) {
    lines.push(
      `  guard: destructive faults (${kinds}) go only to the redis-server this run starts: before each, INFO server (run_id, process_id, tcp_port) must match it`,
    );
  } else {
    const refusal = !staging.instance
      ? `the environment file declares no redis.instance`
      : where.allowDestructive === undefined
        ? 'no --allow-destructive was given'
        : where.allowDestructive !== staging.instance
          ? `--allow-destructive names "${where.allowDestructive}", not ${staging.instance}`
          : undefined;
    lines.push(
      refusal
        ? `  guard: destructive faults (${kinds}) on ${staging.name} would be REFUSED (exit 2, nothing sent): ${refusal}`
        : `  guard: destructive faults (${kinds}) on staging instance ${staging.instance} (typed with --allow-destructive): the run reads GET ${staging.markerKey ?? 'cachequake:game-day'}, INFO keyspace and INFO server and goes on only if the marker key = "${staging.instance}"${staging.maxKeys !== undefined ? ` or it holds fewer than ${staging.maxKeys} keys over every database` : ''}; before each fault INFO server's run_id must still be the one checked`,
    );
  }
  lines.push('  before the first fault: redis: CONFIG GET * (snapshot)');
  lines.push(
    '  after the run (also after a failure or an abort): redis: CONFIG GET *, then CONFIG SET <parameter> <value before> for every parameter that differs',
  );
  return lines;
}

/** A fault's backup steps, before its own commands and after its revert (only with `backup:`). */
export function backupPlanLines(e: Experiment, fault: FaultSpec): { before: string[]; after: string[] } {
  const scope = e.backup ? backupScope(fault) : undefined;
  if (!scope || !e.backup) return { before: [], after: [] };
  const where = scope.db === undefined ? 'INFO keyspace, then for each database with keys: ' : `SELECT ${scope.db}; `;
  return {
    before: [
      `backup (${scope.why}): redis: ${where}${scope.pattern === '*' ? 'DBSIZE, ' : ''}SCAN 0 MATCH ${scope.pattern} COUNT 1000 … then DUMP <key> + PTTL <key> (pipelined, 500 a batch); refused before the fault, nothing sent, over ${e.backup.maxKeys} keys or ${e.backup.maxBytes} bytes (${describeScope(scope)})`,
    ],
    after: [
      'at revert: redis: RESTORE <key> <remaining PTTL, 0 without TTL> <dump> REPLACE for every backed-up key (keys whose TTL ran out meanwhile are left out)',
    ],
  };
}
