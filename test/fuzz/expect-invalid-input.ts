// Fuzz helper: a loader given any text either succeeds or throws a CachequakeError of kind invalid-input (exit 2) that
// names the file.
import { basename } from 'node:path';
import { CachequakeError } from '../../src/errors/index.ts';

export type Outcome = 'loaded' | 'invalid-input';

/** Runs `load`; returns how it ended, or throws an assertion error describing any other exception (a crash). */
export async function loadOutcome(load: () => unknown, file: string, input: string): Promise<Outcome> {
  try {
    await load();
    return 'loaded';
  } catch (error) {
    const described = `input ${JSON.stringify(input.slice(0, 400))}`;
    if (!(error instanceof CachequakeError)) {
      throw new Error(
        `crash, not a CachequakeError, for ${described}:\n${error instanceof Error ? error.stack : String(error)}`,
        { cause: error },
      );
    }
    if (error.kind !== 'invalid-input' || error.exitCode !== 2)
      throw new Error(
        `${error.code} has kind ${error.kind} (exit ${error.exitCode}), not invalid-input, for ${described}`,
        { cause: error },
      );
    if (!error.message.includes(basename(file)))
      throw new Error(`${error.code} does not name ${basename(file)}: ${error.message} — for ${described}`, {
        cause: error,
      });
    return 'invalid-input';
  }
}
