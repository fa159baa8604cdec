// Runs a list of experiments (N at a time, each with its own ports), collects the journal and writes it.
import {
  journalVersion,
  type ExperimentJournal,
  type ExperimentStatus,
  type Journal,
} from '../journal/journal-types.ts';
import { join } from 'node:path';
import { newRunId, writeJournal } from '../journal/write-journal.ts';
import type { LoadedExperiment } from '../experiment/load-experiment.ts';
import { RollbackLog } from '../safety/rollback/rollback-log.ts';
import { rollbackEnvironment } from '../safety/rollback/rollback-environment.ts';
import { emptyExperimentJournal } from './empty-journal.ts';
import { startPartialJournal } from './partial-journal.ts';
import { runExperiment, type RunOptions } from './run-experiment.ts';

export const toolVersion = '0.1.0';

export interface SuiteOptions extends Omit<RunOptions, 'runId'> {
  reportsDir: string;
  parallel?: number;
  runId?: string;
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
  let next = 0;
  const worker = async () => {
    while (next < experiments.length) {
      const index = next++;
      const item = experiments[index] as LoadedExperiment;
      if (options.signal?.aborted) {
        results[index] = skippedJournal(item);
        continue;
      }
      results[index] = await runExperiment(item, {
        ...options,
        runId: `${runId.slice(-4)}${index}`,
        rollback,
        onJournal: (live) => partial.track(index, live),
      });
      partial.write();
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
    experiments: results,
  };
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
