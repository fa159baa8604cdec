// Builds the error for a bad expression: the expression, the column, what arrived, what is allowed, and the fix.
import { CachequakeError, invalidInput } from '../errors/index.ts';

export const expectationInvalidCode = 'CQ_EXPECTATION_INVALID';

/** A CachequakeError that also carries the 1-based column of the problem in the expression. */
export type ExpectationError = CachequakeError & { readonly column: number; readonly expression: string };

export function expectationError(expression: string, column: number, problem: string, fix?: string): ExpectationError {
  const caret = `${' '.repeat(Math.max(0, column - 1))}^`;
  const hint = [expression, caret, ...(fix ? [fix] : [])].join('\n');
  const error = invalidInput(
    expectationInvalidCode,
    `Invalid expectation "${expression}" at column ${column}: ${problem}`,
    { hint },
  );
  return Object.assign(error, { column, expression });
}

export function isExpectationError(error: unknown): error is ExpectationError {
  return error instanceof CachequakeError && error.code === expectationInvalidCode && 'column' in error;
}
