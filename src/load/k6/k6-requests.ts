// Pairs k6's per-request samples (http_reqs, http_req_duration, http_req_failed share a timestamp and tags) into
// requests with an outcome.
import { reasons } from '../classify-outcome.ts';
import type { K6Point } from './k6-json-output.ts';

export interface K6Request {
  /** When k6 stamped the samples (epoch ms): the end of the request. */
  endMs: number;
  durationMs: number;
  /** null: ok; else `unauthorized`, `status:<code>`, `timeout` or `k6:<error_code>`. */
  reason: string | null;
}

const requestMetrics = new Set(['http_reqs', 'http_req_duration', 'http_req_failed']);

/** k6 error codes that are timeouts (https://grafana.com/docs/k6/latest/javascript-api/error-codes/). */
const timeoutCodes = new Set(['1050', '1051', '1211', '1220']);

function keyOf(point: K6Point): string {
  const t = point.tags;
  return [point.timeMs, t.method, t.url, t.status, t.scenario, t.vu].join('\u0000');
}

function reasonOf(status: number, failed: boolean | undefined, errorCode: string | undefined): string | null {
  const isFailed = failed ?? !(status >= 200 && status < 400);
  if (!isFailed) return null;
  if (status === 401) return reasons.unauthorized;
  if (status > 0) return `status:${status}`;
  if (errorCode && timeoutCodes.has(errorCode)) return reasons.timeout;
  return errorCode ? `k6:${errorCode}` : 'k6:error';
}

/**
 * One request per distinct (time, method, url, status, scenario, vu). A request failed when its http_req_failed
 * sample is 1, or (without one) when its expected_response tag is "false", or (without either) its status is not 2xx/3xx.
 */
export function k6Requests(points: readonly K6Point[]): K6Request[] {
  const byKey = new Map<
    string,
    { endMs: number; durationMs?: number; failed?: boolean; status: number; errorCode?: string; expected?: string }
  >();
  for (const point of points) {
    if (!requestMetrics.has(point.metric)) continue;
    const key = keyOf(point);
    let entry = byKey.get(key);
    if (!entry) {
      entry = {
        endMs: point.timeMs,
        status: Number(point.tags.status ?? 0),
        errorCode: point.tags.error_code,
        expected: point.tags.expected_response,
      };
      byKey.set(key, entry);
    }
    if (point.metric === 'http_req_duration') entry.durationMs = point.value;
    if (point.metric === 'http_req_failed') entry.failed = point.value !== 0;
  }
  const requests: K6Request[] = [];
  for (const entry of byKey.values()) {
    const failed = entry.failed ?? (entry.expected === undefined ? undefined : entry.expected === 'false');
    requests.push({
      endMs: entry.endMs,
      durationMs: entry.durationMs ?? 0,
      reason: reasonOf(entry.status, failed, entry.errorCode),
    });
  }
  return requests.sort((a, b) => a.endMs - b.endMs);
}
