// Runs an async task over indexes with bounded concurrency (the ledgers' logins and checks).
/** Runs `task(0..count-1)` with at most `concurrency` at once. */
export async function inBatches(
  count: number,
  concurrency: number,
  task: (index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}
