// Vitest for the mutation check (stryker.config.json): the expectation language's and the fault records' tests only,
// which need no service, so every mutant runs in seconds.
import base from './vitest.config.ts';

export default {
  ...base,
  test: {
    ...base.test,
    include: ['test/expectations/*.test.ts', 'test/faults/fault-records.test.ts'],
  },
};
