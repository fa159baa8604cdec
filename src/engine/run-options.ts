// What a caller passes to runExperiment: id, abort signal, log and progress hooks, runtime and the staging guard.
import type { LoadedEnvironmentFile } from '../experiment/environment-file-schema.ts';

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
  /** How many sessions that sample checked: "lost n of m sampled" (additive). */
  sessionsSampled?: number;
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
}
