// Turns any thrown value into the journal's error record: code, exit class, message, hint, and the stack only for bugs.
import { isCachequakeError } from '../errors/index.ts';
import type { JournalError } from '../journal/journal-types.ts';

export function toJournalError(error: unknown): JournalError {
  if (isCachequakeError(error))
    return {
      code: error.code,
      exitClass: error.kind,
      message: error.message,
      ...(error.hint ? { hint: error.hint } : {}),
      ...(error.kind === 'internal' && error.stack ? { stack: error.stack } : {}),
    };
  if (error instanceof Error)
    return { code: 'CQ_INTERNAL', exitClass: 'internal', message: error.message, stack: error.stack };
  return { code: 'CQ_INTERNAL', exitClass: 'internal', message: String(error) };
}
