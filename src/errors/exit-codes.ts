// The process exit codes of every cachequake command, one per failure class.
export const ExitCode = {
  /** Everything passed. */
  ok: 0,
  /** An expectation failed (or a lint found an error-level problem): the system under test deviated. */
  failed: 1,
  /** Invalid input: an experiment, manifest, config file or CLI option is wrong. Nothing was started. */
  invalidInput: 2,
  /** The environment is missing something: redis-server, PostgreSQL, Docker, k6, a free port. */
  environment: 3,
  /** The run was aborted: SIGINT/SIGTERM or an abort condition. Faults were reverted. */
  aborted: 4,
  /** A bug in cachequake itself: the stack is printed. */
  internal: 70,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];
