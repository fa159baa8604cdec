// Fuzz helper: a loader given any text either succeeds or throws a CachequakeError of kind invalid-input (exit 2) that names the file.
import { basename } from 'node:path';
import { CachequakeError } from '../../src/errors/index.ts';

export type Outcome = 'loaded' | 'invalid-input' | 'known-crash';

/**
 * Crashes already reported to the owners of the loaders (see the report of issue 7), recognised so the properties keep
 * looking for new ones; each has a failing-until-fixed test in validate-cli.fuzz.test.ts.
 * 1. src/schema/load-yaml-file.ts calls doc.toJS(), which throws a ReferenceError for an alias without its anchor
 *    (`name: *a`) instead of a CQ_YAML_SYNTAX error.
 * 2. src/experiment/experiment-schema.ts's superRefine runs `'percentOfMaxmemory' in fault.to` on a fill-memory fault
 *    whose `to` did not parse (a plain string such as "abc"), a TypeError.
 */
export const knownCrashes: RegExp[] = [/^ReferenceError: Unresolved alias/, /^TypeError: Cannot use 'in' operator to search for 'percentOfMaxmemory'/];

/** Runs `load`; returns how it ended, or throws an assertion error describing any other exception (a crash). */
export async function loadOutcome(load: () => unknown, file: string, input: string): Promise<Outcome> {
  try {
    await load();
    return 'loaded';
  } catch (error) {
    const described = `input ${JSON.stringify(input.slice(0, 400))}`;
    if (!(error instanceof CachequakeError) && knownCrashes.some((known) => known.test(String(error)))) return 'known-crash';
    if (!(error instanceof CachequakeError)) {
      throw new Error(`crash, not a CachequakeError, for ${described}:\n${error instanceof Error ? error.stack : String(error)}`, { cause: error });
    }
    if (error.kind !== 'invalid-input' || error.exitCode !== 2) throw new Error(`${error.code} has kind ${error.kind} (exit ${error.exitCode}), not invalid-input, for ${described}`, { cause: error });
    if (!error.message.includes(basename(file))) throw new Error(`${error.code} does not name ${basename(file)}: ${error.message} — for ${described}`, { cause: error });
    return 'invalid-input';
  }
}
