// The one error class of cachequake: a code from the catalogue, a short message, a hint that teaches the fix.
import { ExitCode, type ExitCodeValue } from './exit-codes.ts';

export type ErrorKind = 'invalid-input' | 'environment' | 'aborted' | 'failed';

const exitCodeOf: Record<ErrorKind, ExitCodeValue> = {
  'invalid-input': ExitCode.invalidInput,
  environment: ExitCode.environment,
  aborted: ExitCode.aborted,
  failed: ExitCode.failed,
};

export interface CachequakeErrorOptions {
  /** Stable machine-readable code, e.g. `CQ_REDIS_NOT_INSTALLED`. */
  code: string;
  kind: ErrorKind;
  /** How to fix it, printed under the message. */
  hint?: string;
  /** The file the problem is in, when there is one. */
  file?: string;
  cause?: unknown;
}

export class CachequakeError extends Error {
  readonly code: string;
  readonly kind: ErrorKind;
  readonly hint: string | undefined;
  readonly file: string | undefined;

  constructor(message: string, options: CachequakeErrorOptions) {
    super(message, { cause: options.cause });
    this.name = 'CachequakeError';
    this.code = options.code;
    this.kind = options.kind;
    this.hint = options.hint;
    this.file = options.file;
  }

  get exitCode(): ExitCodeValue {
    return exitCodeOf[this.kind];
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

/** Shorthands for the two commonest kinds. */
export function invalidInput(
  code: string,
  message: string,
  extra: Omit<CachequakeErrorOptions, 'code' | 'kind'> = {},
): CachequakeError {
  return new CachequakeError(message, { code, kind: 'invalid-input', ...extra });
}

export function environmentError(
  code: string,
  message: string,
  extra: Omit<CachequakeErrorOptions, 'code' | 'kind'> = {},
): CachequakeError {
  return new CachequakeError(message, { code, kind: 'environment', ...extra });
}
