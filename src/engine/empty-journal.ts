// The journal entry of an experiment before anything happened: every list empty, status `error` until the run says
// otherwise.
import type { Experiment } from '../experiment/experiment-schema.ts';
import type { ExperimentJournal } from '../journal/journal-types.ts';

export function emptyExperimentJournal(
  experiment: Experiment,
  file: string | undefined,
  startedAt = new Date(),
): ExperimentJournal {
  return {
    name: experiment.name,
    description: experiment.description,
    file,
    target: { name: experiment.target },
    status: 'error',
    startedAt: startedAt.toISOString(),
    endedAt: startedAt.toISOString(),
    durationMs: 0,
    steps: [],
    phases: [],
    faults: [],
    expectations: [],
    steadyState: { before: [], after: [], deviated: false },
    sessions: {
      created: 0,
      valid: 0,
      lost: 0,
      errors: 0,
      lostRate: 0,
      loginFailures: {},
      lostUsers: [],
      errorReasons: {},
    },
    recovery: { seconds: null, fromMs: null, bounds: null },
    metrics: {},
    series: [],
    environment: {
      runtime: experiment.runtime,
      versions: {},
      redisConfig: {},
      proxy: '',
      startedInMs: 0,
      load: { rateRps: experiment.load.rate, timeoutMs: experiment.load.timeout },
    },
  };
}
