// `cachequake target check <manifest>`: starts the target once and calls what its manifest describes, in seconds.
import type { Command } from 'commander';

export function registerTarget(program: Command): void {
  const target = program.command('target').description('work on a target manifest');
  target
    .command('check')
    .description(
      'start the target with a throwaway Redis (and PostgreSQL if it needs one), log one user in, check, call each ' +
        'traffic entry once, log out; print a table; exit 2 naming the manifest field that failed',
    )
    .argument('<manifest>', 'a target.yaml, a folder holding one, or a bundled target name')
    .action(async (manifest: string) => {
      const [{ resolveTarget }, { checkTarget }, { formatTargetCheck, describeFailure }, { invalidInput }] =
        await Promise.all([
          import('../../targets/index.ts'),
          import('../../doctor/target-check.ts'),
          import('../../doctor/format-target-check.ts'),
          import('../../errors/index.ts'),
        ]);
      const loaded = await resolveTarget(manifest);
      const result = await checkTarget(loaded, (line) => process.stderr.write(`  ${line}\n`));
      process.stdout.write(formatTargetCheck(result));
      const failure = describeFailure(result);
      if (failure) {
        const [first] = result.failed;
        const detail = first?.detail ? `${first.detail}\n` : '';
        throw invalidInput('CQ_TARGET_CHECK_FAILED', failure, {
          file: loaded.file,
          hint: `${detail}Fix ${first?.field} in ${loaded.file ?? loaded.name} and run cachequake target check again; docs/targets.md describes every field.`,
        });
      }
    });
}
