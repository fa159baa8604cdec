// Turns a response status or a transport error into an outcome: ok, or an error reason such as `status:503` or
// `ECONNREFUSED`.

/** Reasons the driver itself produces, next to `status:<code>` and error codes. */
export const reasons = {
  timeout: 'timeout',
  dropped: 'dropped',
  unauthorized: 'unauthorized',
  noToken: 'no-token',
} as const;

/** null for 2xx/3xx; `unauthorized` for a 401 on an authenticated request; `status:<code>` otherwise. */
export function classifyStatus(status: number, authenticated: boolean): string | null {
  if (status >= 200 && status < 400) return null;
  if (status === 401 && authenticated) return reasons.unauthorized;
  return statusReason(status);
}

const statusReasons = new Map<number, string>();

/** Cached so a run of 503s does not build a string per request. */
function statusReason(status: number): string {
  let reason = statusReasons.get(status);
  if (reason === undefined) {
    reason = `status:${status}`;
    statusReasons.set(status, reason);
  }
  return reason;
}

const timeoutCodes = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ETIMEDOUT',
]);

/** The error's code (ECONNREFUSED, ECONNRESET, UND_ERR_SOCKET …), `timeout` for any timeout, else its name. */
export function classifyError(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return timeoutCodes.has(code) ? reasons.timeout : code;
  return error instanceof Error ? error.name : 'error';
}
