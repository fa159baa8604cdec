// Runs a list of experiments (N at a time, each with its own ports), collects the journal and writes it.
import {
  journalVersion,
  type ExperimentJournal,
  type ExperimentStatus,
  type Journal,
  type JournalHalt,
  type JournalNote,
} from '../journal/journal-types.ts';
import type { JournalShard } from '../journal/journal-shard.ts';
import { join } from 'node:path';
import { newRunId, writeJournal } from '../journal/write-journal.ts';
import type { LoadedExperiment } from '../experiment/load-experiment.ts';
import { RollbackLog } from '../safety/rollback/rollback-log.ts';
import { rollbackEnvironment } from '../safety/rollback/rollback-environment.ts';
import { emptyExperimentJournal } from './empty-journal.ts';
import type { RunEvent } from './run-events.ts';
import { startPartialJournal } from './partial-journal.ts';
import { runExperiment, type RunOptions } from './run-experiment.ts';

export const toolVersion = '0.1.0';

export interface SuiteOptions extends Omit<RunOptions, 'runId'> {
  reportsDir: string;
  parallel?: number;
  runId?: string;
  /**
   * Notes and a halt gathered by a live view while the run goes on (the caller adds to it); copied into the journal
   * at the end.
   */
  annotations?: { notes: JournalNote[]; halt?: JournalHalt };
  /** The shard these experiments are (`run --shard i/n`), recorded in the journal. */
  shard?: JournalShard;
}

export interface SuiteResult {
  journal: Journal;
  journalFile: string;
}

export async function runSuite(experiments: LoadedExperiment[], options: SuiteOptions): Promise<SuiteResult> {
  const runId = options.runId ?? newRunId();
  const startedAt = new Date().toISOString();
  const runDir = join(options.reportsDir, runId);
  const { environment } = options;
  // before anything starts: on staging each change is logged there, fsynced, before it is made (`cachequake recover`)
  const rollback = RollbackLog.create(runDir, {
    runId,
    startedAt,
    runtime: environment ? 'staging' : (options.runtime ?? 'local'),
    ...(environment ? { environment: rollbackEnvironment(environment) } : {}),
  });
  const tool = { name: 'cachequake', version: toolVersion } as const;
  const partial = startPartialJournal(runDir, { version: journalVersion, runId, tool, startedAt });
  rollback.onAppend = partial.write; // the journal on disk shows each fault the log shows
  const results: ExperimentJournal[] = new Array(experiments.length);
  const { onEvent } = options;
  onEvent?.({ type: 'suite-queued', experiments: experiments.map((e) => e.experiment.name) });
  let next = 0;
  const worker = async () => {
    while (next < experiments.length) {
      const index = next++;
      const item = experiments[index] as LoadedExperiment;
      const result = options.signal?.aborted
        ? skippedJournal(item)
        : await runExperiment(item, {
            ...options,
            runId: `${runId.slice(-4)}${index}`,
            rollback,
            onJournal: (live) => partial.track(index, live),
            onEvent: onEvent && ((event) => onEvent({ ...event, index } as RunEvent)),
          });
      results[index] = result;
      partial.write();
      const reason = result.abort?.reason ?? result.error?.message;
      onEvent?.({ type: 'experiment-ended', index, experiment: result.name, status: result.status, reason });
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(options.parallel ?? 1, experiments.length)) }, worker));
  } finally {
    partial.stop();
    rollback.end();
  }
  const journal: Journal = {
    version: journalVersion,
    runId,
    tool,
    startedAt,
    endedAt: new Date().toISOString(),
    status: overallStatus(results.map((r) => r.status)),
    ...(options.shard && { shard: options.shard }),
    experiments: results,
  };
  if (options.annotations?.notes.length) journal.notes = [...options.annotations.notes];
  if (options.annotations?.halt) journal.halt = { ...options.annotations.halt };
  const journalFile = await writeJournal(options.reportsDir, journal);
  return { journal, journalFile };
}

export function overallStatus(statuses: ExperimentStatus[]): ExperimentStatus {
  for (const status of ['aborted', 'error', 'failed'] as const) if (statuses.includes(status)) return status;
  return 'passed';
}

function skippedJournal(item: LoadedExperiment): ExperimentJournal {
  return {
    ...emptyExperimentJournal(item.experiment, item.file),
    status: 'aborted',
    abort: { reason: 'not started: the run was interrupted' },
  };
}
