// What a caller passes to runExperiment: id, abort signal, log and progress hooks, runtime and the staging guard.
import type { LoadedEnvironmentFile } from '../experiment/environment-file-schema.ts';
import type { RunEvent } from './run-events.ts';
import type { ExperimentJournal } from '../journal/journal-types.ts';
import type { RollbackLog } from '../safety/rollback/rollback-log.ts';

export interface ProgressEvent {
  experiment: string;
  phase: string;
  elapsedMs: number;
  totalMs: number;
  /** Requests scheduled in the last complete second. */
  rps: number;
  /** Failed requests so far (a running total). */
  errors: number;
  /** Failed requests in the last complete second (additive). */
  errorsPerSecond?: number;
  p99Ms: number;
  /** Sessions answered 401 in the last ledger sample (the most seen in one sample so far). */
  sessionsLost: number;
  /** False when no session was sampled (a target without a session section); absent means true. */
  hasSessions?: boolean;
  /** Sampled cache reads that answered differently from the baseline; absent without a cache check. */
  cacheStale?: number;
  /** How many sessions that sample checked: "lost n of m sampled" (additive). */
  sessionsSampled?: number;
}

export interface RunOptions {
  runId?: string;
  /** Aborts the run (SIGINT): faults reverted at once, everything stopped, status aborted. */
  signal?: AbortSignal;
  log?: (line: string) => void;
  onProgress?: (event: ProgressEvent) => void;
  /** The run as it happens, for a live view (`run --live`): start, the series each second, faults, the end. */
  onEvent?: (event: RunEvent) => void;
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
