// What a caller passes to runExperiment: id, abort signal, log and progress hooks, runtime and the staging guard.
import type { LoadedEnvironmentFile } from '../experiment/environment-file-schema.ts';
import type { ExperimentJournal } from '../journal/journal-types.ts';
import type { RollbackLog } from '../safety/rollback/rollback-log.ts';

export interface ProgressEvent {
  experiment: string;
  phase: string;
  elapsedMs: number;
  totalMs: number;
  rps: number;
  errors: number;
  p99Ms: number;
  sessionsLost: number;
}

export interface RunOptions {
  runId?: string;
  /** Aborts the run (SIGINT): faults reverted at once, everything stopped, status aborted. */
  signal?: AbortSignal;
  log?: (line: string) => void;
  onProgress?: (event: ProgressEvent) => void;
  /** Where services run; default: the experiment's `runtime` (local). */
  runtime?: 'local' | 'docker';
  /** A loaded staging environment file (--env): the staging runtime, only the faults it permits. */
  environment?: LoadedEnvironmentFile;
  /** The instance name typed with --allow-destructive (the staging guard). */
  allowDestructive?: string;
  /** The run's rollback log (runSuite opens it in the run directory): on staging every change is written there first. */
  rollback?: RollbackLog;
  /** Called with the experiment's journal as soon as it exists (it fills in as the run goes: the partial journal). */
  onJournal?: (journal: ExperimentJournal) => void;
}
