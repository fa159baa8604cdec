// `cachequake target check`: the target started once with a throwaway Redis (and PostgreSQL when it needs one), one
// user logged in, checked and logged out (when it has a session), the cache read path read twice (when it has a
// cache), every traffic entry called once; each call a row naming its manifest field.
import { Agent } from 'undici';
import { isCachequakeError } from '../errors/index.ts';
import { httpCall, type CallResult } from '../ledger/http-call.ts';
import { startLocalEnvironment } from '../runtimes/local/local-environment.ts';
import {
  checkRequest,
  classifyCheck,
  loginRequest,
  readSessionToken,
  sessionOf,
  cacheReadRequest,
  cacheAnswer,
  trafficRequest,
  type CacheSection,
  type LoadedTarget,
  type RequestSpec,
} from '../targets/index.ts';

export interface TargetCheckRow {
  /** What was tried, e.g. `log in`. */
  step: string;
  /** The manifest field a failure points at, e.g. `session.login.path`. */
  field: string;
  /** `POST /login`, or empty for the start. */
  request: string;
  /** The HTTP status, when there was an answer. */
  status?: number;
  durationMs: number;
  ok: boolean;
  /** Not tried because an earlier call failed (counted as failed, never named first). */
  skipped?: boolean;
  /** Why it failed, or a note on success. */
  note: string;
  /** More lines on a failure, e.g. the last lines the target printed. */
  detail?: string;
}

export interface TargetCheckResult {
  target: string;
  rows: TargetCheckRow[];
  /** The rows that failed, the ones tried first, then the ones skipped. */
  failed: TargetCheckRow[];
}

const timeoutMs = 5000;

export async function checkTarget(
  target: LoadedTarget,
  log: (line: string) => void = () => {},
): Promise<TargetCheckResult> {
  const rows: TargetCheckRow[] = [];
  const began = performance.now();
  let env;
  try {
    env = await startLocalEnvironment({
      runId: `check-${process.pid}`,
      target,
      redis: {},
      postgres: target.needsPostgres,
      log,
    });
  } catch (error) {
    if (!isCachequakeError(error) || !['CQ_TARGET_SPAWN_FAILED', 'CQ_TARGET_START_FAILED'].includes(error.code))
      throw error;
    const field =
      error.code === 'CQ_TARGET_SPAWN_FAILED' || error.message.includes('it exited') ? 'command' : 'health.path';
    rows.push({
      step: 'start',
      field,
      request: `GET ${target.manifest.health.path}`,
      durationMs: ms(began),
      ok: false,
      note: error.message,
      detail: error.hint,
    });
    return finish(target, rows);
  }
  const agent = new Agent({ connections: 4 });
  try {
    const base = env.target?.url ?? '';
    rows.push({
      step: 'start',
      field: 'health.path',
      request: `GET ${target.manifest.health.path}`,
      status: 200,
      durationMs: env.startedInMs,
      ok: true,
      note: `healthy after ${env.startedInMs} ms${target.needsPostgres ? ' (with PostgreSQL)' : ''}`,
    });
    const call = (spec: RequestSpec): Promise<CallResult> => httpCall(base, spec, timeoutMs, agent);
    const user = `cq-check-${process.pid}`;
    const { session, cache } = target.manifest;
    const auth = session ? await checkSession(target, call, user, rows) : undefined;
    if (cache) await checkCacheRead(cache, call, rows);

    for (const [i, entry] of target.manifest.traffic.entries()) {
      const step = `traffic ${entry.name ?? `${entry.method} ${entry.path}`}`;
      if (entry.auth && !auth) {
        rows.push(skipped(step, `traffic[${i}].path`, 'needs a session: the login failed'));
        continue;
      }
      const spec = trafficRequest(target, entry, auth);
      const result = await call(spec);
      const okStatus = result.ok && result.response.status < 400;
      rows.push(row(step, `traffic[${i}].path`, spec, result, okStatus, okStatus ? '' : callNote(result)));
    }

    if (session?.logout && auth) {
      const spec = {
        ...checkRequest(target, auth.token, user),
        method: session.logout.method,
        path: session.logout.path,
      };
      const result = await call(spec);
      const okStatus = result.ok && result.response.status < 400;
      rows.push(row('log out', 'session.logout.path', spec, result, okStatus, okStatus ? '' : callNote(result)));
      if (okStatus) {
        const again = checkRequest(target, auth.token, user);
        const after = await call(again);
        const ended = after.ok && classifyCheck(after.response.status) === 'lost';
        rows.push(
          row(
            'check after logout',
            'session.check.path',
            again,
            after,
            ended,
            ended
              ? 'answered 401: the check sees the session end'
              : `expected 401, got ${after.ok ? after.response.status : after.reason}: the check does not verify the session`,
          ),
        );
      }
    } else if (session?.logout) rows.push(skipped('log out', 'session.logout.path', 'no token: the login failed'));
  } finally {
    await agent.close();
    await env.stop();
  }
  return finish(target, rows);
}

/** Logs one user in and checks the session; the token, or undefined when the login failed. */
async function checkSession(
  target: LoadedTarget,
  call: (spec: RequestSpec) => Promise<CallResult>,
  user: string,
  rows: TargetCheckRow[],
): Promise<{ token: string; user: string } | undefined> {
  const loginSpec = loginRequest(target, { user, password: 'cq-check-password', rememberMe: false });
  const login = await call(loginSpec);
  const token = login.ok ? readSessionToken(target, login.response) : undefined;
  rows.push(
    token?.ok
      ? row('log in', 'session.login', loginSpec, login, true, 'token read')
      : row(
          'log in',
          loginField(target, login),
          loginSpec,
          login,
          false,
          token && !token.ok ? token.reason : callNote(login),
        ),
  );
  if (!token?.ok) {
    rows.push(skipped('check the session', 'session.check.path', 'no token: the login failed'));
    return undefined;
  }
  const spec = checkRequest(target, token.token, user);
  const result = await call(spec);
  const outcome = result.ok ? classifyCheck(result.response.status) : 'error';
  const field = !result.ok ? 'session.check.path' : outcome === 'lost' ? 'session.token' : 'session.check.path';
  const note =
    outcome === 'valid'
      ? 'session valid'
      : outcome === 'lost'
        ? 'answered 401 with the fresh token: the service did not see it where session.token sends it'
        : callNote(result);
  rows.push(row('check the session', field, spec, result, outcome === 'valid', note));
  return { token: token.token, user };
}

/** Reads the first and the last id of cache.ids twice: each must answer 2xx, and the same both times. */
async function checkCacheRead(
  cache: CacheSection,
  call: (spec: RequestSpec) => Promise<CallResult>,
  rows: TargetCheckRow[],
): Promise<void> {
  for (const id of new Set([cache.ids.from, cache.ids.to])) {
    const spec = cacheReadRequest(cache, id);
    const first = await call(spec);
    if (!first.ok || first.response.status >= 300) {
      rows.push(row(`cache read id ${id}`, 'cache.read.path', spec, first, false, callNote(first)));
      continue;
    }
    const again = await call(spec);
    const same =
      again.ok &&
      cacheAnswer(cache, again.response.status, again.response.body) ===
        cacheAnswer(cache, first.response.status, first.response.body);
    const note = same
      ? `same answer twice (${first.response.body.length} bytes)`
      : again.ok
        ? 'the second read answered differently: list the changing fields in cache.ignoreFields'
        : callNote(again);
    rows.push(row(`cache read id ${id}`, same ? 'cache.read.path' : 'cache.ignoreFields', spec, again, same, note));
  }
}

function finish(target: LoadedTarget, rows: TargetCheckRow[]): TargetCheckResult {
  const tried = rows.filter((r) => !r.ok && !r.skipped);
  return { target: target.name, rows, failed: [...tried, ...rows.filter((r) => r.skipped)] };
}

function row(
  step: string,
  field: string,
  spec: RequestSpec,
  result: CallResult,
  ok: boolean,
  note: string,
): TargetCheckRow {
  return {
    step,
    field,
    request: `${spec.method} ${spec.path}`,
    status: result.ok ? result.response.status : undefined,
    durationMs: Math.round(result.durationMs),
    ok,
    note,
  };
}

function skipped(step: string, field: string, note: string): TargetCheckRow {
  return { step, field, request: '', durationMs: 0, ok: false, skipped: true, note: `skipped: ${note}` };
}

/** The login field a failed login points at: the path for 404/405, the body for 400/401/403/422, else okStatus or token. */
function loginField(target: LoadedTarget, result: CallResult): string {
  if (!result.ok) return 'session.login.path';
  const { status } = result.response;
  if (status === 404 || status === 405) return 'session.login.path';
  if ([400, 401, 403, 415, 422].includes(status)) return 'session.login.body';
  const { okStatus } = sessionOf(target).login;
  const accepted = okStatus ? okStatus.includes(status) : status >= 200 && status < 300;
  return accepted ? 'session.login.token' : 'session.login.okStatus';
}

function callNote(result: CallResult): string {
  if (!result.ok) return `no answer: ${result.reason}`;
  return `answered ${result.response.status}: ${result.response.body.replace(/\s+/g, ' ').slice(0, 80)}`;
}

function ms(since: number): number {
  return Math.round(performance.now() - since);
}
