// One HTTP request to the target with a timeout, as plain data: status, headers and body, or the reason it failed.
import { request, type Dispatcher } from 'undici';
import type { RequestSpec, ResponseSpec } from '../targets/index.ts';

export type CallResult =
  { ok: true; response: ResponseSpec; durationMs: number } | { ok: false; reason: string; durationMs: number };

export async function httpCall(
  baseUrl: string,
  spec: RequestSpec,
  timeoutMs: number,
  dispatcher?: Dispatcher,
): Promise<CallResult> {
  const started = performance.now();
  try {
    const res = await request(`${baseUrl}${spec.path}`, {
      method: spec.method,
      headers: spec.headers,
      body: spec.body,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      signal: AbortSignal.timeout(timeoutMs),
      dispatcher,
    });
    const body = await res.body.text();
    return {
      ok: true,
      response: { status: res.statusCode, headers: res.headers, body },
      durationMs: performance.now() - started,
    };
  } catch (error) {
    const err = error as { code?: string; name?: string; message?: string };
    const reason =
      err.name === 'TimeoutError' || err.code === 'UND_ERR_HEADERS_TIMEOUT' || err.code === 'UND_ERR_BODY_TIMEOUT'
        ? 'timeout'
        : (err.code ?? err.message ?? 'error');
    return { ok: false, reason, durationMs: performance.now() - started };
  }
}
