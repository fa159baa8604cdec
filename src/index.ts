// The public API of cachequake: define and run experiments, define targets, and the local runtime.
export { defineExperiment } from './experiment/define-experiment.ts';
export type { Experiment, ExperimentInput } from './experiment/experiment-schema.ts';
export { loadExperiments, validateExperiment } from './experiment/load-experiment.ts';
export { runExperiment } from './engine/run-experiment.ts';
export type { RunOptions, ProgressEvent } from './engine/run-experiment.ts';
export { runSuite } from './engine/run-suite.ts';
export type { ExperimentJournal, Journal } from './journal/journal-types.ts';
export { defineTarget } from './targets/index.ts';
export { startRedis, startPostgres, startTargetProcess, freePort } from './runtimes/local/index.ts';
export { startFaultProxy } from './proxy/index.ts';
export { CachequakeError, ExitCode, errorCatalogue } from './errors/index.ts';
export type { ErrorCode, ExitClass } from './errors/index.ts';
