// Test helper: speaks a target's session contract over real HTTP and reads its Prometheus metrics.
import {
  checkRequest,
  classifyCheck,
  loginRequest,
  readSessionToken,
  type CheckOutcome,
  type LoadedTarget,
  type RequestSpec,
  type ResponseSpec,
} from '../../src/targets/index.ts';

/** Sends a request; a timeout or a refused connection comes back as status 0 with the error in the body. */
export async function send(baseUrl: string, spec: RequestSpec, timeoutMs = 3000): Promise<ResponseSpec> {
  try {
    const response = await fetch(`${baseUrl}${spec.path}`, {
      method: spec.method,
      headers: spec.headers,
      body: spec.body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const headers: Record<string, string | string[]> = Object.fromEntries(response.headers);
    headers['set-cookie'] = response.headers.getSetCookie();
    return { status: response.status, headers, body: await response.text() };
  } catch (error) {
    return { status: 0, headers: {}, body: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}

export interface LoggedIn {
  user: string;
  token: string;
  rememberMe: boolean;
}

export async function logIn(
  target: LoadedTarget,
  baseUrl: string,
  user: string,
  rememberMe: boolean,
): Promise<LoggedIn> {
  const response = await send(baseUrl, loginRequest(target, { user, password: `pw-${user}`, rememberMe }));
  const token = readSessionToken(target, response);
  if (!token.ok) throw new Error(`login of ${user} failed: ${token.reason}`);
  return { user, token: token.token, rememberMe };
}

export interface Checked {
  outcome: CheckOutcome;
  status: number;
  latencyMs: number;
}

export async function checkSession(
  target: LoadedTarget,
  baseUrl: string,
  session: LoggedIn,
  timeoutMs = 3000,
): Promise<Checked> {
  const started = performance.now();
  const response = await send(baseUrl, checkRequest(target, session.token, session.user), timeoutMs);
  return {
    outcome: response.status === 0 ? 'error' : classifyCheck(response.status),
    status: response.status,
    latencyMs: performance.now() - started,
  };
}

/** The sum of a metric's samples whose labels include `labels` (0 when absent). */
export async function metric(baseUrl: string, name: string, labels: Record<string, string> = {}): Promise<number> {
  const response = await send(baseUrl, { method: 'GET', path: '/metrics', headers: {} });
  let sum = 0;
  for (const line of response.body.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})?\s+(\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const labelText = match[2] ?? '';
    if (Object.entries(labels).every(([k, v]) => labelText.includes(`${k}="${v}"`))) sum += Number(match[3]);
  }
  return sum;
}

export async function health(baseUrl: string): Promise<{ status: number; body: { status?: string } }> {
  const response = await send(baseUrl, { method: 'GET', path: '/health', headers: {} });
  return { status: response.status, body: response.status ? (JSON.parse(response.body) as { status?: string }) : {} };
}

/** Polls `probe` every 100 ms until it returns true; false after `timeoutMs`. */
export async function eventually(probe: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return probe();
}
