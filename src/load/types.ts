// The plain-data shapes of the load driver: its options, a traffic route, live snapshots and the JSON-safe result.
import type { LoadStats } from '../journal/journal-load.ts';
export type { LoadStats };

export interface TrafficRoute {
  method: string;
  /** Path and query on the base URL, starting with `/`. */
  path: string;
  /** Sends the ledger token (see LoadOptions.attachToken); a 401 then counts as `unauthorized`. */
  authenticated: boolean;
  /** Relative share of the traffic; 0 switches the route off. */
  weight: number;
  /** A string or bytes as they are, or any other value as JSON (with content-type: application/json). */
  body?: string | Uint8Array | Record<string, unknown> | unknown[];
  headers?: Readonly<Record<string, string>>;
}

/** Puts a session token on a request's headers; default: `authorization: Bearer <token>`. */
export type AttachToken = (headers: Record<string, string>, token: string) => void;

export interface LoadOptions {
  /** Where the target listens, e.g. http://127.0.0.1:3000 (only the origin is used). */
  baseUrl: string;
  mix: readonly TrafficRoute[];
  /** Requests per second scheduled, whatever the service does (open model). Change it live with setRate. */
  rateRps: number;
  /** A ledger session token for the next authenticated request; undefined counts that request as a `no-token` error. */
  tokenSource?: () => string | undefined;
  attachToken?: AttachToken;
  /**
   * The current phase name; read once per tick, so a request is tagged with the phase at its scheduled time (± tickMs).
   */
  phaseSource?: () => string;
  /**
   * Requests in flight beyond this are not sent and count as `dropped` errors. Default 256; also the pool's connection
   * count.
   */
  maxInFlight?: number;
  /** Per-request bound from the scheduled send time; then the request counts as a `timeout` error. Default 2000. */
  timeoutMs?: number;
  /** Scheduling stops after this; in-flight requests then get at most timeoutMs to finish. Default 600000. */
  maxDurationMs?: number;
  /** Scheduling stops after this many requests (dropped ones included). Default 1000000. */
  maxRequests?: number;
  /** Aborting cancels in-flight requests at once (they are counted as `cancelled`, not as errors). */
  signal?: AbortSignal;
  /** How often due requests are sent, in a batch. Default 5. */
  tickMs?: number;
  /** Monotonic clock in ms; default performance.now. */
  clock?: () => number;
  /**
   * The clock reading that is t = 0 of the per-second series (at or before the start); default the start. The engine
   * passes its phase clock and 0, so load, faults and probes share one clock.
   */
  originMs?: number;
}

/**
 * One second (counted from the start, by scheduled time) of one phase; a second that spans a phase change has two
 * points.
 */
export interface LoadSeriesPoint {
  second: number;
  /** Wall-clock start of the second, epoch ms. */
  startMs: number;
  phase: string;
  requests: number;
  errors: number;
  unauthorized: number;
  errorsByReason: Record<string, number>;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Requests scheduled in this point (a partial second counts as its share of a second). */
  rps: number;
  /** The ms of the second this point's phase was running (1000 for a whole second); rps = requests / activeMs. */
  activeMs?: number;
}

export type LoadEndReason = 'max-duration' | 'max-requests' | 'stopped' | 'aborted';

export interface LoadResult {
  /** Wall-clock start, epoch ms. */
  startedAtMs: number;
  /** From start until the last request finished (or was cancelled). */
  elapsedMs: number;
  endReason: LoadEndReason | 'running';
  /** In-flight requests cancelled by the abort signal; not counted as requests or errors. */
  cancelled: number;
  series: LoadSeriesPoint[];
  phases: Record<string, LoadStats>;
  total: LoadStats;
}

export interface LoadSnapshot {
  elapsedMs: number;
  phase: string;
  rateRps: number;
  requests: number;
  errors: number;
  unauthorized: number;
  inFlight: number;
  /** Requests scheduled in the last complete second. */
  rpsLastSecond: number;
  errorsLastSecond: number;
  /** p99 of the last complete second's requests that have finished so far (0 if none). */
  p99MsLastSecond: number;
}

export interface RunningLoad extends AsyncDisposable {
  setRate(rateRps: number): void;
  snapshot(): LoadSnapshot;
  /** The result so far; final once `done` resolved. */
  result(): LoadResult;
  /**
   * Resolves when scheduling ended and every request finished, timed out or was cancelled. Rejects only when a
   * callback of the options (tokenSource, phaseSource, attachToken) threw: the load is then cancelled like an abort.
   */
  readonly done: Promise<LoadResult>;
  /** Stops scheduling, lets in-flight requests finish (≤ timeoutMs), closes the connections. Idempotent. */
  stop(): Promise<LoadResult>;
}
