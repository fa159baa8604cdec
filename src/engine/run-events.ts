// What a run tells a watcher as it happens (RunOptions.onEvent): the journal's own data, handed over as it is written.
import type { ExperimentStatus, JournalFault, JournalPhase, SeriesPoint } from '../journal/journal-types.ts';
import type { JournalParallel } from '../journal/journal-parallel.ts';

/** A suite run is about to start these experiments, in this order. */
export interface SuiteQueuedEvent {
  type: 'suite-queued';
  experiments: string[];
  /** How many go at the same time, and why (--parallel auto). */
  parallel?: JournalParallel;
}

/** An experiment's load started: t = 0 is `t0EpochMs`; its phases and (pending) faults as the journal holds them. */
export interface ExperimentStartedEvent {
  type: 'experiment-started';
  index?: number;
  experiment: string;
  t0EpochMs: number;
  phases: JournalPhase[];
  faults: JournalFault[];
}

/** Once a second: the journal's 1-second series so far (built as the final journal builds it). */
export interface SeriesEvent {
  type: 'series';
  index?: number;
  experiment: string;
  elapsedMs: number;
  phase: string;
  series: SeriesPoint[];
}

/**
 * A fault's injection began (`injectingSinceMs`, from t = 0: what the journal will call appliedAtMs once it took
 * effect), or it was applied, failed, or was reverted: its journal record as it is now.
 */
export interface FaultEvent {
  type: 'fault';
  index?: number;
  experiment: string;
  fault: JournalFault;
  injectingSinceMs?: number;
}

/** An experiment ended with this status. */
export interface ExperimentEndedEvent {
  type: 'experiment-ended';
  index?: number;
  experiment: string;
  status: ExperimentStatus;
  reason?: string;
}

export type RunEvent = SuiteQueuedEvent | ExperimentStartedEvent | SeriesEvent | FaultEvent | ExperimentEndedEvent;
