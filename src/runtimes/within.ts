// Races a promise against a timeout, for waits that must not hang a run.
/** Races a promise against a timeout; the value or `undefined` when it took too long. */
export async function within<T>(promise: Promise<T>, timeoutMs: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), timeoutMs))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
