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
import { availableParallelism } from 'node:os';
import type { JournalParallel } from '../journal/journal-parallel.ts';
import { planParallel } from './parallel-plan.ts';
import { watchCpu } from './cpu-headroom.ts';

export const toolVersion = '0.1.0';

export interface SuiteOptions extends Omit<RunOptions, 'runId'> {
  reportsDir: string;
  /** Experiments at the same time: a number, or auto (chosen from the cores and each one's declared load). */
  parallel?: number | 'auto';
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
  const requested = options.parallel ?? 1;
  const auto = requested === 'auto' ? planParallel(experiments.map((e) => e.experiment)) : undefined;
  const parallel: JournalParallel = auto
    ? { requested, level: auto.level, cores: auto.cores, budgetCores: auto.budgetCores, reason: auto.reason }
    : {
        requested,
        level: Math.max(1, Math.min(typeof requested === 'number' ? requested : 1, experiments.length)),
        cores: availableParallelism(),
      };
  onEvent?.({ type: 'suite-queued', experiments: experiments.map((e) => e.experiment.name), parallel });
  const cpu = watchCpu();
  const runOne = async (index: number) => {
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
  };
  // in order: the next starts when a slot is free and (auto) its expected cores fit beside those running
  const running = new Set<Promise<void>>();
  let usedCores = 0;
  let maxAtOnce = 0;
  try {
    for (let index = 0; index < experiments.length; index++) {
      const cost = auto?.costs[index] ?? 0;
      while (running.size >= parallel.level || (auto && running.size > 0 && usedCores + cost > auto.budgetCores + 1e-9))
        await Promise.race(running);
      usedCores += cost;
      const done: Promise<void> = runOne(index).finally(() => {
        usedCores -= cost;
        running.delete(done);
      });
      running.add(done);
      maxAtOnce = Math.max(maxAtOnce, running.size);
    }
    await Promise.all(running);
  } finally {
    parallel.maxAtOnce = maxAtOnce;
    const seen = cpu.stop();
    if (seen) parallel.cpu = seen;
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
    parallel,
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
