// The one error class of cachequake: a code from the catalogue, a short message, a hint that teaches the fix. The code
// decides the exit class (and so the exit code): it is declared once, in error-catalogue.ts.
import {
  errorCatalogue,
  exitCodeOfClass,
  type EnvironmentCode,
  type ErrorCode,
  type ExitClass,
  type InvalidInputCode,
} from './error-catalogue.ts';
import type { ExitCodeValue } from './exit-codes.ts';

/** The exit class of an error (see error-catalogue.ts). */
export type ErrorKind = ExitClass;

export interface CachequakeErrorOptions<C extends ErrorCode = ErrorCode> {
  /** Stable machine-readable code, a key of the catalogue, e.g. `CQ_REDIS_NOT_INSTALLED`. */
  code: C;
  /** How to fix it, printed under the message. */
  hint?: string;
  /** The file the problem is in, when there is one. */
  file?: string;
  cause?: unknown;
}

export type ErrorExtra = Omit<CachequakeErrorOptions, 'code'>;

export class CachequakeError extends Error {
  readonly code: ErrorCode;
  /** The exit class, from the catalogue: invalid-input, environment, deviated, aborted or internal. */
  readonly kind: ExitClass;
  readonly hint: string | undefined;
  readonly file: string | undefined;

  constructor(message: string, options: CachequakeErrorOptions) {
    super(message, { cause: options.cause });
    this.name = 'CachequakeError';
    this.code = options.code;
    this.kind = errorCatalogue[options.code].exitClass;
    this.hint = options.hint;
    this.file = options.file;
  }

  get exitCode(): ExitCodeValue {
    return exitCodeOfClass[this.kind];
  }

  /** The message as a person reads it: message, then the hint indented. */
  format(): string {
    const lines = [`${this.code}: ${this.message}`];
    if (this.hint) lines.push(...this.hint.split('\n').map((l) => `  ${l}`));
    return lines.join('\n');
  }
}

export function isCachequakeError(error: unknown): error is CachequakeError {
  return error instanceof CachequakeError;
}

/** An invalid-input error (exit 2); the compiler refuses a code of another class. */
export function invalidInput(code: InvalidInputCode, message: string, extra: ErrorExtra = {}): CachequakeError {
  return new CachequakeError(message, { code, ...extra });
}

/** An environment error (exit 3); the compiler refuses a code of another class. */
export function environmentError(code: EnvironmentCode, message: string, extra: ErrorExtra = {}): CachequakeError {
  return new CachequakeError(message, { code, ...extra });
}
