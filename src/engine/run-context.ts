// What every phase of a run shares: the experiment, the caller's options, the journal being written, the step
// recorder, the run's abort signal, the safety state and the teardown every started thing registers with.
import { CachequakeError } from '../errors/index.ts';
import { validateExperiment, type LoadedExperiment } from '../experiment/load-experiment.ts';
import type { Experiment } from '../experiment/experiment-schema.ts';
import type { ExperimentJournal } from '../journal/journal-types.ts';
import type { StartedEnvironment } from '../runtimes/started-environment.ts';
import { RunSafety } from '../safety/run-safety.ts';
import { emptyExperimentJournal } from './empty-journal.ts';
import type { RunOptions } from './run-options.ts';
import { StepRecorder } from './step-recorder.ts';
import { Teardown } from './teardown.ts';

export interface RunContext {
  readonly loaded: LoadedExperiment;
  readonly experiment: Experiment;
  readonly options: RunOptions;
  readonly runId: string;
  readonly log: (line: string) => void;
  readonly steps: StepRecorder;
  readonly journal: ExperimentJournal;
  readonly startedAt: Date;
  readonly safety: RunSafety;
  /** Aborted by the caller's signal, an abort condition or a refused fault; its reason says which. */
  readonly abort: AbortController;
  readonly teardown: Teardown;
  /** Set once the environment started: its target's log goes into the journal even when the run failed. */
  env: StartedEnvironment | undefined;
  /** Stops listening to the caller's signal. */
  detachSignal(): void;
}

/** Normalises the input (throws invalid input, starting nothing) and wires the caller's abort signal. */
export function createRunContext(
  input: LoadedExperiment | Experiment | Record<string, unknown>,
  options: RunOptions,
): RunContext {
  const loaded: LoadedExperiment =
    'experiment' in input && 'dir' in input
      ? (input as LoadedExperiment)
      : { file: undefined, dir: process.cwd(), experiment: validateExperiment(input) };
  const { experiment } = loaded;
  const steps = new StepRecorder();
  const startedAt = new Date();
  const abort = new AbortController();
  // the caller's own reason (a halt from the live view says who) when it gave one, else an interrupt
  const onOuterAbort = () =>
    abort.abort(
      options.signal?.reason instanceof CachequakeError
        ? options.signal.reason
        : new CachequakeError('interrupted (SIGINT/SIGTERM)', { code: 'CQ_INTERRUPTED' }),
    );
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  if (options.signal?.aborted) onOuterAbort();
  const runId = options.runId ?? Math.random().toString(36).slice(2, 8);
  const journal = { ...emptyExperimentJournal(experiment, loaded.file, startedAt), steps: steps.steps };
  options.onJournal?.(journal);
  const rollback = options.rollback && { log: options.rollback, experiment: runId };
  return {
    loaded,
    experiment,
    options,
    runId,
    log: options.log ?? (() => {}),
    steps,
    journal,
    startedAt,
    safety: new RunSafety(experiment, options.environment, rollback),
    abort,
    teardown: new Teardown(),
    env: undefined,
    detachSignal: () => options.signal?.removeEventListener('abort', onOuterAbort),
  };
}
