// Checks the load options and fills in the defaults; a wrong value is an invalid-input error that names it.
import { invalidInput } from '../errors/index.ts';
import type { AttachToken, LoadOptions, TrafficRoute } from './types.ts';

export const loadInvalidCode = 'CQ_LOAD_INVALID';

export interface ResolvedLoadOptions {
  origin: string;
  mix: readonly TrafficRoute[];
  rateRps: number;
  tokenSource: () => string | undefined;
  attachToken: AttachToken;
  phaseSource: () => string;
  maxInFlight: number;
  timeoutMs: number;
  maxDurationMs: number;
  maxRequests: number;
  signal: AbortSignal | undefined;
  tickMs: number;
  clock: () => number;
  originMs: number | undefined;
}

export const bearerToken: AttachToken = (headers, token) => {
  headers.authorization = `Bearer ${token}`;
};

const methods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

function describe(value: unknown): string {
  return `\`${typeof value === 'string' ? value : JSON.stringify(value)}\` (${typeof value})`;
}

function fail(field: string, expected: string, value: unknown, hint?: string): Error {
  return invalidInput(
    loadInvalidCode,
    `Expected the load option \`${field}\` to be ${expected}, got ${describe(value)}`,
    hint ? { hint } : {},
  );
}

function number(
  field: string,
  value: unknown,
  fallback: number,
  check: (n: number) => boolean,
  expected: string,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || !check(value)) throw fail(field, expected, value);
  return value;
}

export function checkRate(value: unknown): number {
  return number('rateRps', value, Number.NaN, (n) => n >= 0, 'a finite number >= 0 (requests per second)');
}

function checkRoute(route: TrafficRoute, index: number): void {
  const at = `mix[${index}]`;
  if (typeof route.method !== 'string' || !methods.includes(route.method.toUpperCase())) {
    throw fail(`${at}.method`, `one of ${methods.join(', ')}`, route.method);
  }
  if (typeof route.path !== 'string' || !route.path.startsWith('/'))
    throw fail(`${at}.path`, 'a path starting with /', route.path, 'e.g. /api/profile');
  if (typeof route.authenticated !== 'boolean') throw fail(`${at}.authenticated`, 'true or false', route.authenticated);
  if (typeof route.weight !== 'number' || !Number.isFinite(route.weight) || route.weight < 0)
    throw fail(`${at}.weight`, 'a finite number >= 0', route.weight);
}

export function resolveLoadOptions(options: LoadOptions): ResolvedLoadOptions {
  let url: URL;
  try {
    url = new URL(options.baseUrl);
  } catch (error) {
    throw invalidInput(
      loadInvalidCode,
      `Expected the load option \`baseUrl\` to be an http URL, got ${describe(options.baseUrl)}`,
      { hint: 'e.g. http://127.0.0.1:3000', cause: error },
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw fail('baseUrl', 'an http: or https: URL', options.baseUrl);
  if (!Array.isArray(options.mix) || options.mix.length === 0)
    throw fail(
      'mix',
      'a non-empty list of routes',
      options.mix,
      'e.g. [{ method: "GET", path: "/me", authenticated: true, weight: 1 }]',
    );
  options.mix.forEach(checkRoute);
  if (!options.mix.some((r) => r.weight > 0))
    throw fail(
      'mix',
      'a list with at least one route of weight > 0',
      options.mix.map((r) => r.weight),
    );
  const int = (n: number) => Number.isInteger(n) && n >= 1;
  return {
    origin: url.origin,
    mix: options.mix,
    rateRps: checkRate(options.rateRps),
    tokenSource: options.tokenSource ?? (() => undefined),
    attachToken: options.attachToken ?? bearerToken,
    phaseSource: options.phaseSource ?? (() => 'run'),
    maxInFlight: number('maxInFlight', options.maxInFlight, 256, int, 'an integer >= 1'),
    timeoutMs: number('timeoutMs', options.timeoutMs, 2000, (n) => n > 0, 'a number of ms > 0'),
    maxDurationMs: number('maxDurationMs', options.maxDurationMs, 600_000, (n) => n > 0, 'a number of ms > 0'),
    maxRequests: number('maxRequests', options.maxRequests, 1_000_000, int, 'an integer >= 1'),
    signal: options.signal,
    tickMs: number('tickMs', options.tickMs, 5, (n) => n >= 1 && n <= 100, 'a number of ms between 1 and 100'),
    clock: options.clock ?? (() => performance.now()),
    originMs: options.originMs,
  };
}
