// Re-exports the error class and exit codes.
export { CachequakeError, isCachequakeError, invalidInput, environmentError } from './cachequake-error.ts';
export type { ErrorKind, CachequakeErrorOptions } from './cachequake-error.ts';
export { ExitCode } from './exit-codes.ts';
export type { ExitCodeValue } from './exit-codes.ts';
