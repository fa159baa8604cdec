// Runs a list of experiments (N at a time, each with its own ports), collects the journal and writes it.
import {
  journalVersion,
  type ExperimentJournal,
  type ExperimentStatus,
  type Journal,
} from '../journal/journal-types.ts';
import type { JournalShard } from '../journal/journal-shard.ts';
import { newRunId, writeJournal } from '../journal/write-journal.ts';
import type { LoadedExperiment } from '../experiment/load-experiment.ts';
import { emptyExperimentJournal } from './empty-journal.ts';
import { runExperiment, type RunOptions } from './run-experiment.ts';

export const toolVersion = '0.1.0';

export interface SuiteOptions extends Omit<RunOptions, 'runId'> {
  reportsDir: string;
  parallel?: number;
  runId?: string;
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
      results[index] = await runExperiment(item, { ...options, runId: `${runId.slice(-4)}${index}` });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.parallel ?? 1, experiments.length)) }, worker));
  const journal: Journal = {
    version: journalVersion,
    runId,
    tool: { name: 'cachequake', version: toolVersion },
    startedAt,
    endedAt: new Date().toISOString(),
    status: overallStatus(results.map((r) => r.status)),
    ...(options.shard && { shard: options.shard }),
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
