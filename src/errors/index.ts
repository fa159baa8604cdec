// Re-exports the error class, the catalogue of codes and the exit codes.
export { CachequakeError, isCachequakeError, invalidInput, environmentError } from './cachequake-error.ts';
export type { ErrorKind, CachequakeErrorOptions, ErrorExtra } from './cachequake-error.ts';
export { errorCatalogue, errorCodes, exitClassOf, exitCodeOfClass, isErrorCode } from './error-catalogue.ts';
export type {
  CatalogueEntry,
  CodeOfClass,
  EnvironmentCode,
  ErrorCode,
  ExitClass,
  InvalidInputCode,
} from './error-catalogue.ts';
export { ExitCode } from './exit-codes.ts';
export type { ExitCodeValue } from './exit-codes.ts';
