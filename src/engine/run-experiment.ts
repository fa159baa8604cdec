// Runs one experiment in phases, as chaostoolkit reads one: prepare → steady state before → method (faults, load,
// probes) → verify → summarise and judge; the rollbacks and every other cleanup on the teardown, always.
import { isCachequakeError } from '../errors/index.ts';
import type { LoadedExperiment } from '../experiment/load-experiment.ts';
import type { Experiment } from '../experiment/experiment-schema.ts';
import type { ExperimentJournal } from '../journal/journal-types.ts';
import { toJournalError } from './journal-error.ts';
import { runMethod } from './method.ts';
import { prepare, realDependencies, type RunDependencies } from './prepare.ts';
import { createRunContext, type RunContext } from './run-context.ts';
import type { RunOptions } from './run-options.ts';
import { steadyStateBefore, SteadyStateDeviation } from './steady-state.ts';
import { summarise } from './summarise.ts';
import { judge, verify } from './verify.ts';

export type { ProgressEvent, RunOptions } from './run-options.ts';
export type { RunDependencies } from './prepare.ts';

type ExperimentInput = LoadedExperiment | Experiment | Record<string, unknown>;

/** runExperiment on the given dependencies (tests swap one to reach a failure a real run rarely shows). */
export function runExperimentWith(deps: RunDependencies) {
  return async (input: ExperimentInput, options: RunOptions = {}): Promise<ExperimentJournal> => {
    const ctx = createRunContext(input, options); // invalid input throws here: nothing was started
    try {
      const run = await prepare(ctx, deps);
      await steadyStateBefore(ctx, run);
      const method = await runMethod(ctx, run);
      await verify(ctx, run, method);
      summarise(ctx.journal, method, run.target.manifest.metrics?.breakerStateMetric);
      judge(ctx, method);
    } catch (error) {
      recordFailure(ctx, error);
    } finally {
      await finish(ctx);
    }
    return ctx.journal;
  };
}

/** Runs an experiment given as a loaded file, or as an object (typed with defineExperiment). */
export const runExperiment = runExperimentWith(realDependencies);

function recordFailure({ journal, abort, log }: RunContext, error: unknown): void {
  // the system under test deviated: a verdict (failed, exit 1), not an error of the run
  if (error instanceof SteadyStateDeviation) journal.status = 'failed';
  else journal.status = abort.signal.aborted ? 'aborted' : 'error';
  journal.error = toJournalError(error);
  if (!isCachequakeError(error)) log(`error: ${(error as Error).message}`);
}

/** The teardown (journaled, never thrown), the safety block, a refused fault's error and the run's times. */
async function finish(ctx: RunContext): Promise<void> {
  const { journal, safety } = ctx;
  ctx.detachSignal();
  const targetLog = ctx.env?.target?.logTail(40); // empty on staging: the target's output is not ours to see
  if (targetLog) journal.environment.targetLog = targetLog.split('\n');
  await ctx.teardown.run(ctx.steps);
  journal.safety = await safety.journal();
  if (safety.refusal) {
    journal.status = 'error';
    journal.error = toJournalError(safety.refusal);
  }
  const endedAt = new Date();
  journal.endedAt = endedAt.toISOString();
  journal.durationMs = endedAt.getTime() - ctx.startedAt.getTime();
}
