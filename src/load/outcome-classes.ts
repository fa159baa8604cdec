// Sorts the load's error reasons into the classes that call for different responses: users logged out (401/403), a
// failing service (5xx), timeouts, connection errors, and the rest.
import type { ErrorsByClass, OutcomeClass } from '../journal/journal-load.ts';
import { reasons } from './classify-outcome.ts';

export type { ErrorsByClass, OutcomeClass };

export interface OutcomeClassInfo {
  key: OutcomeClass;
  /** What a person reads: in cards, charts, the terminal. */
  label: string;
  /** The expectation metrics of the class (count and share of the requests), without the `http.` prefix. */
  countMetric: string;
  rateMetric: string;
  description: string;
}

export const outcomeClasses: readonly OutcomeClassInfo[] = [
  {
    key: 'unauthorized',
    label: 'session lost (401/403)',
    countMetric: 'unauthorized_or_forbidden',
    rateMetric: 'unauthorized_rate',
    description: '401 answers to authenticated requests and any 403: users logged out, not a failing service',
  },
  {
    key: 'serverError',
    label: 'server errors (5xx)',
    countMetric: 'server_errors',
    rateMetric: 'server_error_rate',
    description: '5xx answers: the service failed',
  },
  {
    key: 'timeout',
    label: 'timeouts',
    countMetric: 'timeouts',
    rateMetric: 'timeout_rate',
    description: 'requests without an answer within load.timeout (from the scheduled send time)',
  },
  {
    key: 'connectionError',
    label: 'connection errors',
    countMetric: 'connection_errors',
    rateMetric: 'connection_error_rate',
    description: 'requests that failed on the socket: refused, reset, closed',
  },
  {
    key: 'other',
    label: 'other errors',
    countMetric: 'other_errors',
    rateMetric: 'other_error_rate',
    description: 'other 4xx answers, requests dropped at load.maxInFlight, no ledger session to send',
  },
];

const connectionCode = /^(E[A-Z]+|UND_ERR_[A-Z_]+|SocketError)$/;

/** The class of one error reason (as LoadStats.errorsByReason keys it). */
export function outcomeClassOf(reason: string): OutcomeClass {
  if (reason === reasons.unauthorized || reason === 'status:403') return 'unauthorized';
  if (reason === reasons.timeout) return 'timeout';
  if (reason.startsWith('status:')) return reason.startsWith('status:5') ? 'serverError' : 'other';
  if (reason === reasons.dropped || reason === reasons.noToken) return 'other';
  return connectionCode.test(reason) ? 'connectionError' : 'other';
}

/** Errors counted per class; every class present (0 when none). */
export function errorsByClass(errorsByReason: Readonly<Record<string, number>>): ErrorsByClass {
  const out: ErrorsByClass = { unauthorized: 0, serverError: 0, timeout: 0, connectionError: 0, other: 0 };
  for (const [reason, count] of Object.entries(errorsByReason)) out[outcomeClassOf(reason)] += count;
  return out;
}
