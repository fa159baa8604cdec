// A TypeScript experiment in a project that installed cachequake: imports the package by name.
import { defineExperiment } from 'cachequake';

const users: number = 20;

export default defineExperiment({
  name: 'adopt-flushall-ts',
  target: 'session-service',
  sessions: { users },
  phases: { baseline: '1s', fault: '1s', recovery: '1s' },
  faults: [{ kind: 'flushall' }],
  expect: ['sessions.lost == 0'],
});
