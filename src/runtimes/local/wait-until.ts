// Polls a probe until it succeeds, the process it waits on exits, or a deadline passes.
export interface WaitUntilOptions {
  timeoutMs: number;
  intervalMs?: number;
  /** Stops waiting early (e.g. the server process exited); the returned reason is reported. */
  giveUp?: () => string | undefined;
}

export type WaitOutcome = { ok: true } | { ok: false; reason: string; lastError?: unknown };

export async function waitUntil(probe: () => Promise<boolean>, options: WaitUntilOptions): Promise<WaitOutcome> {
  const deadline = Date.now() + options.timeoutMs;
  const intervalMs = options.intervalMs ?? 5;
  let lastError: unknown;
  for (;;) {
    const gaveUp = options.giveUp?.();
    if (gaveUp) return { ok: false, reason: gaveUp, lastError };
    try {
      if (await probe()) return { ok: true };
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) return { ok: false, reason: `not ready after ${options.timeoutMs}ms`, lastError };
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
