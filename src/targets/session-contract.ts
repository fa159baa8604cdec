// The session contract as plain requests: build the login, read the token, send it, and judge a check by its status.
import { invalidInput } from '../errors/index.ts';
import type { LoadedTarget } from './load-target.ts';
import { renderJsonTemplate, renderTemplate } from './placeholders.ts';
import type { HttpMethod, TargetManifest, TokenCarrier, TrafficEntry } from './target-manifest-schema.ts';

export interface RequestSpec {
  method: HttpMethod;
  /** Path and query, to append to the target's base URL. */
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface ResponseSpec {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface Credentials {
  user: string;
  password: string;
  rememberMe: boolean;
}

/** 2xx valid, 401 lost (the user must log in again), anything else an error. */
export type CheckOutcome = 'valid' | 'lost' | 'error';

export type TokenResult = { ok: true; token: string } | { ok: false; reason: string };

type SessionSection = NonNullable<TargetManifest['session']>;

/** The target's session section; a target without one has no logins, and `needs` says what wanted one. */
export function sessionOf(target: LoadedTarget, needs = 'a session ledger'): SessionSection {
  const { session } = target.manifest;
  if (session) return session;
  throw invalidInput(
    'CQ_TARGET_NO_SESSION',
    `target ${target.name} has no session section, but ${needs} needs one; nothing was started.`,
    {
      file: target.file,
      hint: 'A target without logins has no session ledger: drop sessions.* expectations and auth: true traffic, or add session (login, check, token) to the manifest.',
    },
  );
}

export function loginRequest(target: LoadedTarget, credentials: Credentials): RequestSpec {
  const { login } = sessionOf(target);
  const values = { user: credentials.user, password: credentials.password, rememberMe: credentials.rememberMe };
  const body = renderJsonTemplate(login.body, values, 'session.login.body') as Record<string, unknown>;
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(login.headers ?? {}))
    headers[k.toLowerCase()] = renderTemplate(v, values, `session.login.headers.${k}`);
  const path = renderTemplate(login.path, values, 'session.login.path');
  if (login.method === 'GET' || login.method === 'HEAD') return { method: login.method, path, headers };
  if (login.format === 'form') {
    const form = new URLSearchParams(
      Object.entries(body).map(([k, v]): [string, string] => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
    );
    return {
      method: login.method,
      path,
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: form.toString(),
    };
  }
  return {
    method: login.method,
    path,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  };
}

/** Reads the session token from a login response as the manifest says. */
export function readSessionToken(target: LoadedTarget, response: ResponseSpec): TokenResult {
  const { login } = sessionOf(target);
  const okStatus = login.okStatus
    ? login.okStatus.includes(response.status)
    : response.status >= 200 && response.status < 300;
  if (!okStatus) return { ok: false, reason: `login answered ${response.status}: ${response.body.slice(0, 200)}` };
  const source = login.token;
  if (source.from === 'json') {
    let value: unknown;
    try {
      value = JSON.parse(response.body);
    } catch {
      return { ok: false, reason: `login body is not JSON: ${response.body.slice(0, 200)}` };
    }
    for (const key of source.field.split('.'))
      value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
    return typeof value === 'string' || typeof value === 'number'
      ? { ok: true, token: String(value) }
      : { ok: false, reason: `login body has no ${source.field}` };
  }
  if (source.from === 'header') {
    const value = headerValue(response.headers, source.name);
    return value ? { ok: true, token: value } : { ok: false, reason: `login response has no ${source.name} header` };
  }
  const cookies = response.headers['set-cookie'];
  for (const line of Array.isArray(cookies) ? cookies : cookies ? [cookies] : []) {
    const [pair] = line.split(';');
    const eq = pair?.indexOf('=') ?? -1;
    if (pair && eq > 0 && pair.slice(0, eq).trim() === source.name)
      return { ok: true, token: decodeURIComponent(pair.slice(eq + 1).trim()) };
  }
  return { ok: false, reason: `login response sets no ${source.name} cookie` };
}

/** The headers that carry `token` as the manifest says. */
export function authHeaders(carrier: TokenCarrier, token: string): Record<string, string> {
  if (carrier.in === 'bearer') return { authorization: `Bearer ${token}` };
  if (carrier.in === 'cookie') return { cookie: `${carrier.name}=${encodeURIComponent(token)}` };
  return { [carrier.name.toLowerCase()]: token };
}

export function checkRequest(target: LoadedTarget, token: string, user: string): RequestSpec {
  const { check, token: carrier } = sessionOf(target);
  const path = renderTemplate(check.path, { user }, 'session.check.path');
  return { method: check.method, path, headers: { ...lowerKeys(check.headers), ...authHeaders(carrier, token) } };
}

export function classifyCheck(status: number): CheckOutcome {
  if (status >= 200 && status < 300) return 'valid';
  return status === 401 ? 'lost' : 'error';
}

/** One request of the traffic mix; an authenticated entry needs a token (and its user for `{{user}}`); `{{id}}` is `id`. */
export function trafficRequest(
  target: LoadedTarget,
  entry: TrafficEntry,
  session?: { token: string; user: string },
  id?: number,
): RequestSpec {
  const values = { user: session?.user ?? '', id: id ?? target.manifest.cache?.ids.from };
  const path = renderTemplate(entry.path, values, 'traffic.path');
  const headers: Record<string, string> =
    entry.auth && session
      ? authHeaders(sessionOf(target, `traffic ${entry.path} (auth: true)`).token, session.token)
      : {};
  if (entry.body === undefined) return { method: entry.method, path, headers };
  return {
    method: entry.method,
    path,
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify(renderJsonTemplate(entry.body, { user: values.user }, 'traffic.body')),
  };
}

/** A weighted picker over the traffic mix: `pick(Math.random())` returns an entry with probability weight/total. */
export function trafficPicker(target: LoadedTarget): (random01: number) => TrafficEntry {
  const entries = target.manifest.traffic;
  const total = entries.reduce((sum, e) => sum + e.weight, 0);
  const cumulative: number[] = [];
  let sum = 0;
  for (const entry of entries) cumulative.push((sum += entry.weight / total));
  return (random01) => {
    const index = cumulative.findIndex((edge) => random01 < edge);
    return entries[index === -1 ? entries.length - 1 : index] as TrafficEntry;
  };
}

function headerValue(headers: ResponseSpec['headers'], name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

function lowerKeys(headers: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
}
