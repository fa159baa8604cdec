// The redis-servers this process started (local processes, containers): the guard lets destructive faults reach only
// these without a clearance.
import type { RedisIdentity } from './redis-identity.ts';

export interface StartedRedisEntry extends RedisIdentity {
  /** local: a child process; docker: a container. */
  readonly runtime: 'local' | 'docker';
}

const started = new Map<string, StartedRedisEntry>();

/** Called by a runtime once the server it started answers: its identity as INFO server reports it. */
export function registerStartedRedis(entry: StartedRedisEntry): void {
  started.set(entry.runId, entry);
}

/** Called when the runtime stops it: the run_id dies with the process. */
export function unregisterStartedRedis(runId: string): void {
  started.delete(runId);
}

/**
 * Whether a live server is one this process started: the same run_id, and for a local process also the same
 * process id and port (a copied run_id elsewhere does not pass).
 */
export function startedByHarness(identity: RedisIdentity): StartedRedisEntry | undefined {
  const entry = started.get(identity.runId);
  if (!entry) return undefined;
  if (entry.runtime === 'local' && (entry.processId !== identity.processId || entry.tcpPort !== identity.tcpPort))
    return undefined;
  return entry;
}
