// cachequake/vitest: run experiments inside vitest suites and assert on the journal with
// expect(result).toKeepAllSessions() and friends.
import { expect } from 'vitest';
import './assertion-types.ts'; // the matcher types on vitest's Assertion, kept in the emitted index.d.ts
import { toKeepAllSessions, toKeepCacheCorrect, toPassExpectations, toRecoverWithin } from './journal-matchers.ts';

expect.extend({ toKeepAllSessions, toKeepCacheCorrect, toRecoverWithin, toPassExpectations });

export { runExperiment } from '../engine/run-experiment.ts';
export type { RunOptions, ProgressEvent } from '../engine/run-experiment.ts';
export { defineExperiment } from '../experiment/define-experiment.ts';
export type { ExperimentJournal } from '../journal/journal-types.ts';
export { toKeepAllSessions, toKeepCacheCorrect, toRecoverWithin, toPassExpectations } from './journal-matchers.ts';
